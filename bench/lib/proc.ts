/** Process helpers for benchmarks: free ports, health waits, CPU-time measurement, clean group stops. */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dir, "../..");
export const BIN_PATH = `${join(ROOT, "node_modules/.bin")}:${process.env.PATH ?? ""}`;

export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.once("error", fail).listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? done(addr.port) : fail(new Error("no port"))));
    });
  });
}

export async function waitFor(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await res.body?.cancel();
      if (res.status < 500) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not come up in ${timeoutMs / 1000}s`);
    await Bun.sleep(250);
  }
}

/** Clean-ups still owed (process groups, temp dirs); run by `runCleanups` on success, failure or Ctrl-C. */
const cleanups = new Set<() => Promise<void> | void>();

/** Registers a clean-up; call the returned function to run it now (once) and unregister it. */
export function addCleanup(fn: () => Promise<void> | void): () => Promise<void> {
  let done = false;
  const once = async () => {
    if (done) return;
    done = true;
    cleanups.delete(once);
    await fn();
  };
  cleanups.add(once);
  return once;
}

export async function runCleanups(): Promise<void> {
  await Promise.allSettled([...cleanups].map((fn) => fn()));
}

/** A temp dir removed by its `remove()` or by `runCleanups`. */
export function tempDir(prefix: string): { path: string; remove: () => Promise<void> } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: addCleanup(() => rmSync(path, { recursive: true, force: true })) };
}

/**
 * Starts a long-running child in its own process group; `stop()` ends the whole group (SIGTERM, then
 * SIGKILL after `graceMs`), also from `runCleanups`. With `capture`, stdout and stderr are kept and `output()` returns them.
 */
export function startGroup(
  cmd: string[],
  options: {
    cwd?: string;
    env?: Record<string, string>;
    quiet?: boolean;
    capture?: boolean;
    /** Between SIGTERM and SIGKILL (a supervisor like scripts/dev.ts needs time to stop its own groups). */
    graceMs?: number;
  } = {},
) {
  const out = options.capture ? "pipe" : options.quiet === false ? "inherit" : "ignore";
  const child: ChildProcess = spawn(cmd[0] as string, cmd.slice(1), {
    cwd: options.cwd ?? ROOT,
    detached: true,
    stdio: ["ignore", out, out],
    env: { ...process.env, PATH: BIN_PATH, ...options.env },
  });
  let output = "";
  for (const stream of [child.stdout, child.stderr]) {
    stream?.on("data", (d: Buffer) => {
      output += d.toString();
    });
  }
  const groupAlive = () => {
    try {
      process.kill(-(child.pid as number), 0);
      return true;
    } catch {
      return false;
    }
  };
  const stop = addCleanup(async () => {
    if (!child.pid || !groupAlive()) return;
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {}
    const grace = options.graceMs ?? 4000;
    for (let waited = 0; waited < grace && groupAlive(); waited += 100) await Bun.sleep(100);
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {}
  });
  return { child, output: () => output, stop, alive: groupAlive };
}

/** Clock ticks per second in /proc (USER_HZ; 100 on Linux). */
export const USER_HZ = 100;

/**
 * CPU-seconds the whole machine has spent busy since boot (/proc/stat: user, nice, system, irq, softirq,
 * steal). The difference over an interval, minus the CPU of what a benchmark ran, is load it did not
 * cause: other work on the machine that stretches wall times.
 */
export function machineBusySeconds(): number {
  const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0] ?? "";
  const [user, nice, system, , , irq, softirq, steal] = cpu.trim().split(/\s+/).slice(1).map(Number);
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) / USER_HZ;
}

/** A warning suffix when other load took more than 5 % of one core during `wallSeconds`, else "". */
export function otherLoad(otherCpuSeconds: number, wallSeconds: number): string {
  const share = otherCpuSeconds / wallSeconds;
  return share > 0.05
    ? `; other load on the machine meanwhile ${otherCpuSeconds.toFixed(1)} CPU-s (${(share * 100).toFixed(0)} % of one core): wall times are inflated`
    : "";
}

export interface Measured {
  wallSeconds: number;
  cpuSeconds: number;
  /** CPU-seconds the machine spent on other processes meanwhile (see machineBusySeconds). */
  otherCpuSeconds: number;
  exitCode: number;
  stderr: string;
}

/** Runs a command to completion and reports its wall time and CPU time (user + system, all threads). */
export async function measure(cmd: string[], env: Record<string, string> = {}): Promise<Measured> {
  const started = performance.now();
  const busyBefore = machineBusySeconds();
  const proc = Bun.spawn(cmd, { stdout: "ignore", stderr: "pipe", env: { ...process.env, ...env } });
  const kill = addCleanup(() => proc.kill("SIGKILL")); // only if the benchmark is interrupted meanwhile
  const stderr = await new Response(proc.stderr).text();
  const exitCode = await proc.exited;
  await kill();
  const wallSeconds = (performance.now() - started) / 1000;
  const usage = proc.resourceUsage();
  const cpuSeconds = usage ? Number(usage.cpuTime.user + usage.cpuTime.system) / 1e6 : Number.NaN;
  const otherCpuSeconds = Math.max(0, machineBusySeconds() - busyBefore - cpuSeconds);
  return { wallSeconds, cpuSeconds, otherCpuSeconds, exitCode, stderr };
}

/** Runs a shell-free command, throwing with its stderr when it fails. */
export function run(cmd: string[], env: Record<string, string> = {}): string {
  const out = Bun.spawnSync(cmd, { env: { ...process.env, PATH: BIN_PATH, ...env }, cwd: ROOT });
  if (out.exitCode !== 0)
    throw new Error(`${cmd.slice(0, 4).join(" ")} failed: ${out.stderr.toString().slice(-2000)}`);
  return out.stdout.toString();
}

export function say(line: string): void {
  process.stdout.write(`[bench] ${line}\n`);
}
