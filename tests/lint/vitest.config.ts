import { defineConfig } from "vitest/config";

// Checks of the source tree itself (rules the lint step enforces), on Node.
export default defineConfig({
  test: { name: "lint", environment: "node", include: ["**/*.test.ts"] },
});
