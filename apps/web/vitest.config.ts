import { defineConfig } from "vitest/config";

// Unit tests of the web app's plain logic (locales, formatting), on Node: no browser needed.
export default defineConfig({
  // Dates are formatted in the local zone: the tests' expected strings are UTC's, whatever the host's.
  test: { name: "web", environment: "node", include: ["src/**/*.test.ts"], env: { TZ: "UTC" } },
});
