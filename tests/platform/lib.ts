// Shared by the end-to-end tests: the local platform (`bun scripts/dev.ts`) and origins started with
// this run's marker in their environment, so anything left running can be found. The process and
// platform helpers themselves are the repo's one set in scripts/lib. Linux only (reads /proc).
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { REPO_ROOT } from "../../scripts/lib/dev-vars";
import {
  type LocalPlatform,
  type OriginProcess,
  type PlatformOptions,
  platformReady,
  startLocalPlatform,
  startOrigin as startOriginProcess,
} from "../../scripts/lib/local-platform";

export { devVar } from "../../scripts/lib/dev-vars";
export { freePort, groupAlive, until } from "../../scripts/lib/processes";
export { platformReady };

export const ROOT = REPO_ROOT;
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
/** Every process a test run starts inherits it in its environment, so leftovers can be found. */
export const RUN_ID = randomUUID();
const MARKER = { MARQUEE_TEST_RUN_ID: RUN_ID };

/** Processes (pid + command line) that carry this run's marker, or whose command line matches `pattern`. */
export function survivors(pattern?: RegExp): string[] {
  const found: string[] = [];
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    if (Number(pid) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim();
      if (!cmd) continue; // zombie or kernel thread
      const env = readFileSync(`/proc/${pid}/environ`, "utf8");
      if (env.includes(`MARQUEE_TEST_RUN_ID=${RUN_ID}`) || pattern?.test(cmd)) found.push(`${pid} ${cmd}`);
    } catch {
      // exited while we looked, or not ours to read
    }
  }
  return found;
}

/** SIGKILLs whatever of this run is still alive: the safety net of an afterAll. */
export function killSurvivors(): void {
  for (const line of survivors()) process.kill(Number(line.split(" ")[0]), "SIGKILL");
}

export type Platform = LocalPlatform;

/** Starts `bun scripts/dev.ts` detached (its own process group, like a terminal job). */
export function startPlatform(options: PlatformOptions): Platform {
  // The origin's monthly payout schedule stays off in tests: a run 30 s after boot would write the
  // edge's D1 beside what a test is doing (tests/platform/payouts.test.ts runs payouts:run itself).
  return startLocalPlatform({ ...options, env: { PAYOUTS_SCHEDULE: "off", ...options.env, ...MARKER } });
}

/** Stops a platform's whole process group and waits until nothing of it is left. */
export async function stopPlatform(p: Platform): Promise<void> {
  if (!(await p.stop(20_000))) throw new Error("the platform did not stop within 20 s of SIGTERM");
}

export interface Origin extends OriginProcess {
  name: string;
}

/** Starts an origin transcoder process of our own (the platform runs none in the media test). */
export async function startOrigin(name: string, edgeUrl: string, workDir: string): Promise<Origin> {
  return { ...(await startOriginProcess({ edgeUrl, workDir, env: MARKER })), name };
}
