import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // apps/edge has a second project: the tests that need a worker of their own (vitest.shared.ts).
    projects: [
      "apps/*/vitest.config.ts",
      "apps/edge/vitest.isolated.config.ts",
      "packages/*/vitest.config.ts",
      "tests/*/vitest.config.ts",
    ],
    // Services log one JSON line per request; show a test's output only when it fails.
    silent: "passed-only",
  },
});
