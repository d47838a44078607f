import { defineConfig } from "vitest/config";

// End-to-end: boots the whole local platform (`bun scripts/dev.ts`) and drives it like a newcomer would.
export default defineConfig({
  test: {
    name: "platform",
    environment: "node",
    include: ["**/*.test.ts"],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    // One file at a time, and (vitest puts such projects in a sequential group of their own) never
    // alongside another project's files: this test starts its own workerd, vite and origin.
    fileParallelism: false,
  },
});
