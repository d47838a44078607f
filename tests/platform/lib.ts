// Shared by the end-to-end tests: start the local platform (`bun scripts/dev.ts`) in its own process
// group with its own ports and state, wait for it, and find anything it left running. Linux only
// (reads /proc).
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { createServer } from "node:net";
import { resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");
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

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once("error", fail).listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? done(addr.port) : fail(new Error("no port"))));
    });
  });
}

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

export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function until(
  what: string,
  ms: number,
  check: () => boolean | Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface Platform {
  child: ChildProcess;
  base: string;
  output: () => string;
}

/** Starts `bun scripts/dev.ts` detached (its own process group, like a terminal job). */
export function startPlatform(options: {
  port: number;
  originPort: number;
  stateDir: string;
  env?: Record<string, string>;
}): Platform {
  let output = "";
  const child = spawn("bun", ["scripts/dev.ts"], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      PORT: String(options.port),
      ORIGIN_PORT: String(options.originPort),
      MARQUEE_STATE_DIR: options.stateDir,
      MARQUEE_TEST_RUN_ID: RUN_ID,
      NO_COLOR: "1",
      ...options.env,
    },
  });
  child.stdout?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  return { child, base: `http://127.0.0.1:${options.port}`, output: () => output };
}

/** Resolves once the supervisor printed its banner; fails with the tail of its output otherwise. */
export async function platformReady(p: Platform): Promise<void> {
  try {
    await until("the supervisor to print its URLs", 170_000, () => {
      if (p.child.exitCode !== null) throw new Error(`bun scripts/dev.ts exited with ${p.child.exitCode}`);
      return p.output().includes("Press Ctrl-C to stop everything.");
    });
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- dev output ---\n${p.output().slice(-8000)}`);
  }
}

/** Stops a platform's whole process group and waits until nothing of this run is left. */
export async function stopPlatform(p: Platform): Promise<void> {
  const pid = p.child.pid as number;
  if (groupAlive(pid)) process.kill(pid, "SIGTERM");
  await until("the platform to stop", 20_000, () => !groupAlive(pid));
}
