import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: ["apps/*/vitest.config.ts", "packages/*/vitest.config.ts", "tests/*/vitest.config.ts"],
    // Services log one JSON line per request; show a test's output only when it fails.
    silent: "passed-only",
  },
});
