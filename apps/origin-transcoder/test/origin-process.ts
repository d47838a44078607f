// The whole origin (`bun src/main.ts`) as the end-to-end origin tests start it against a FakeEdge.
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const MAIN = fileURLToPath(new URL("../src/main.ts", import.meta.url));
export const ORIGIN_TEST_TOKEN = "origin-test-token-0123456789abcdef0123456789";

/** Spawns one origin (one job at a time, a fast publish interval) on a port of its choosing. */
export function spawnOrigin(edgeBase: string, workDir: string): ChildProcess {
  return spawn("bun", [MAIN], {
    env: {
      ...process.env,
      APP_ENV: "test",
      ORIGIN_HOST: "127.0.0.1",
      ORIGIN_PORT: "0",
      ORIGIN_TOKEN: ORIGIN_TEST_TOKEN,
      EDGE_URL: edgeBase,
      ORIGIN_WORK_DIR: workDir,
      ORIGIN_CONCURRENCY: "1",
      ORIGIN_PUBLISH_INTERVAL_MS: "200",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
}
