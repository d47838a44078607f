import { defineConfig } from "vitest/config";

// Unit tests of the web app's plain logic (locales, formatting), on Node: no browser needed.
export default defineConfig({
  test: { name: "web", environment: "node", include: ["src/**/*.test.ts"] },
});
