/** Process helpers for benchmarks: free ports, health waits, CPU-time measurement, clean group stops. */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
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

/** Starts a long-running child in its own process group; `stop()` ends the whole group. */
export function startGroup(
  cmd: string[],
  options: { cwd?: string; env?: Record<string, string>; quiet?: boolean } = {},
) {
  const child: ChildProcess = spawn(cmd[0] as string, cmd.slice(1), {
    cwd: options.cwd ?? ROOT,
    detached: true,
    stdio: [
      "ignore",
      options.quiet === false ? "inherit" : "ignore",
      options.quiet === false ? "inherit" : "ignore",
    ],
    env: { ...process.env, PATH: BIN_PATH, ...options.env },
  });
  return {
    child,
    async stop() {
      if (!child.pid) return;
      try {
        process.kill(-child.pid, "SIGTERM");
      } catch {
        return;
      }
      for (let i = 0; i < 40; i++) {
        try {
          process.kill(-child.pid, 0);
        } catch {
          return;
        }
        await Bun.sleep(100);
      }
      try {
        process.kill(-child.pid, "SIGKILL");
      } catch {}
    },
  };
}

export interface Measured {
  wallSeconds: number;
  cpuSeconds: number;
  exitCode: number;
  stderr: string;
}

/** Runs a command to completion and reports its wall time and CPU time (user + system, all threads). */
export async function measure(cmd: string[], env: Record<string, string> = {}): Promise<Measured> {
  const started = performance.now();
  const proc = Bun.spawn(cmd, { stdout: "ignore", stderr: "pipe", env: { ...process.env, ...env } });
  const stderr = await new Response(proc.stderr).text();
  const exitCode = await proc.exited;
  const wallSeconds = (performance.now() - started) / 1000;
  const usage = proc.resourceUsage();
  const cpuSeconds = usage ? Number(usage.cpuTime.user + usage.cpuTime.system) / 1e6 : Number.NaN;
  return { wallSeconds, cpuSeconds, exitCode, stderr };
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
