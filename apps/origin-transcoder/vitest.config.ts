import { defineConfig } from "vitest/config";

// Runs under Node (vitest), not Bun: Bun-only code is exercised through a spawned `bun` child.
export default defineConfig({
  test: { name: "origin", environment: "node", include: ["src/**/*.test.ts"], testTimeout: 30_000 },
});
