/**
 * Process helpers for benchmarks: clean-ups run on success, failure or Ctrl-C, CPU-time measurement.
 * Starting, waiting for and stopping processes is scripts/lib/processes.ts.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO_ROOT, toolEnv } from "../../scripts/lib/dev-vars";
import { type GroupOptions, startGroup as startProcessGroup, waitForHttp } from "../../scripts/lib/processes";

export { freePort } from "../../scripts/lib/processes";
export const ROOT = REPO_ROOT;

export function waitFor(url: string, timeoutMs = 120_000): Promise<void> {
  return waitForHttp(url, timeoutMs);
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
 * Starts a long-running child in its own process group (its output captured unless `output` says
 * otherwise); `stop()` ends the whole group (SIGTERM, then SIGKILL after `graceMs`), also from `runCleanups`.
 */
export function startGroup(
  cmd: string[],
  options: GroupOptions & {
    /** Between SIGTERM and SIGKILL (a supervisor like scripts/dev.ts needs time to stop its own groups). */
    graceMs?: number;
  } = {},
) {
  const group = startProcessGroup(cmd, options);
  const stop = addCleanup(async () => {
    await group.stop(options.graceMs ?? 4000);
  });
  return { ...group, stop };
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
  const out = Bun.spawnSync(cmd, { env: toolEnv(env), cwd: ROOT });
  if (out.exitCode !== 0)
    throw new Error(`${cmd.slice(0, 4).join(" ")} failed: ${out.stderr.toString().slice(-2000)}`);
  return out.stdout.toString();
}

export function say(line: string): void {
  process.stdout.write(`[bench] ${line}\n`);
}
