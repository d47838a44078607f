/**
 * Child processes the way the dev supervisor, the benchmarks and the platform tests run them: each
 * long-running child in its own process group (detached, like a terminal job), so stopping it stops
 * everything it started. Node APIs only (the platform tests run on Node). Linux/macOS.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { REPO_ROOT, toolEnv } from "./dev-vars";

export const sleep = (ms: number) => new Promise<void>((done) => setTimeout(done, ms));

/** Where Linux hands out ports for listen(0) and outgoing connections (its default elsewhere). */
function ephemeralLow(): number {
  try {
    const low = Number(readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 0 ? low : 32_768;
  } catch {
    return 32_768;
  }
}
const PICKED = { low: 20_000, high: Math.min(32_000, ephemeralLow()) };
/**
 * Ports handed out by freePort: tests, benchmarks and the dev supervisor bind them a moment later
 * (wrangler after vite's build, seconds on), so they are kept from being handed out twice.
 */
const handedOut = new Set<number>();

/**
 * A TCP port free on 127.0.0.1 now, and picked so nothing else is likely to take it before the
 * caller binds it. Why not the kernel's `listen(0)`: its answer is in the ephemeral range (Linux
 * 32768–60999), the range every `listen(0)` and outgoing connection also draws from, so in the
 * seconds before `wrangler dev` binds it the payments sandbox (port 0), the origin or a client
 * socket could take the same port, and the edge's URL would answer from someone else (a CI run saw
 * the origin's 404s there). These come from below that range, never the same one twice per process.
 */
export async function freePort(): Promise<number> {
  // A machine whose ephemeral range starts low leaves no room below it: the kernel's choice then.
  for (let tries = 0; PICKED.high - PICKED.low >= 1000 && tries < 200; tries++) {
    const port = PICKED.low + Math.floor(Math.random() * (PICKED.high - PICKED.low));
    if (handedOut.has(port) || !(await portIsFree(port))) continue;
    handedOut.add(port);
    return port;
  }
  // A machine using that whole range: the kernel's choice, never handed out twice all the same.
  for (;;) {
    const port = await kernelPort();
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

function kernelPort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once("error", fail).listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? done(addr.port) : fail(new Error("no port"))));
    });
  });
}

export function portIsFree(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((done) => {
    const srv = createServer()
      .once("error", () => done(false))
      .listen(port, host, () => srv.close(() => done(true)));
  });
}

/** True while any process of the group led by `pgid` is alive. */
export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is already gone
  }
}

/** Polls `check` every 250 ms until it is true; throws after `ms`. */
export async function until(
  what: string,
  ms: number,
  check: () => boolean | Promise<boolean>,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(250);
  }
}

/** Whether `url` answers now below 500 (or exactly `status`). */
export async function answersHttp(url: string, status?: number): Promise<boolean> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await res.body?.cancel();
    return status === undefined ? res.status < 500 : res.status === status;
  } catch {
    return false; // not listening yet
  }
}

/** Waits until `url` answers below 500 (or exactly `status`). */
export async function waitForHttp(url: string, ms = 120_000, status?: number): Promise<void> {
  await until(url, ms, () => answersHttp(url, status));
}

export interface ProcessGroup {
  child: ChildProcess;
  /** stdout and stderr so far (with `output: "capture"`). */
  output: () => string;
  alive: () => boolean;
  /** SIGTERM to the group, SIGKILL after `graceMs`; true when it ended before the SIGKILL. */
  stop: (graceMs?: number) => Promise<boolean>;
}

export interface GroupOptions {
  cwd?: string;
  /** Added to the tool environment (toolEnv). */
  env?: Record<string, string>;
  output?: "capture" | "inherit" | "ignore";
}

/** Starts a long-running command in its own process group. */
export function startGroup(cmd: readonly string[], options: GroupOptions = {}): ProcessGroup {
  const [file, ...args] = cmd;
  if (!file) throw new Error("empty command");
  const mode = options.output ?? "capture";
  const stdio = mode === "capture" ? "pipe" : mode;
  const child = spawn(file, args, {
    cwd: options.cwd ?? REPO_ROOT,
    detached: true, // setsid(): a new process group we can signal as a whole
    stdio: ["ignore", stdio, stdio],
    env: toolEnv(options.env),
  });
  let output = "";
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on("data", (d: Buffer) => {
      output += d.toString();
    });
  }
  const alive = () => child.pid !== undefined && groupAlive(child.pid);
  const stop = async (graceMs = 4000) => {
    const pid = child.pid;
    if (pid === undefined || !groupAlive(pid)) return true;
    signalGroup(pid, "SIGTERM");
    for (let waited = 0; waited < graceMs && groupAlive(pid); waited += 100) await sleep(100);
    if (!groupAlive(pid)) return true;
    signalGroup(pid, "SIGKILL");
    return false;
  };
  return { child, output: () => output, alive, stop };
}
