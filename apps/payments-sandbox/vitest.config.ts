import { defineConfig } from "vitest/config";

// Runs under Node (vitest): the sandbox is node:http only, and the tests drive it over real HTTP.
export default defineConfig({
  test: { name: "sandbox", environment: "node", include: ["src/**/*.test.ts"], testTimeout: 30_000 },
});
