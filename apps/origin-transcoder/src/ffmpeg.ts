// Runs one ffmpeg process: progress from `-progress pipe:1` on stdout, the tail of stderr kept for the
// failure reason, killed when the job's signal aborts. node:child_process so it also runs under Node.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";
import { type FfmpegProgress, ProgressParser } from "./progress";

/** ffmpeg exited non-zero (a crash or an encoder error): retryable. */
export class FfmpegError extends Error {
  override name = "FfmpegError";
  constructor(
    readonly code: number | null,
    readonly signal: NodeJS.Signals | null,
    readonly stderrTail: string,
  ) {
    const how = code !== null ? `exited with code ${code}` : `was killed by ${signal}`;
    const last = withoutUrls(stderrTail).trim().split("\n").slice(-3).join(" | ");
    super(`ffmpeg ${how}${last ? `: ${last}` : ""}`);
  }
}

/**
 * ffmpeg names its input in errors ("https://…X-Amz-Signature=…: Server returned 403"): a failure
 * reason is shown to the creator and logged, so signed URLs are cut out of it.
 */
export function withoutUrls(text: string): string {
  // Not the punctuation after it: "<url>: Server returned 403".
  return text.replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s'"]*[^\s'":,;.)]/gi, "<url>");
}

/**
 * The environment ffmpeg and ffprobe run with: only what they need to find programs, scratch space
 * and CA certificates. They parse strangers' files, so they must not inherit the origin's secrets
 * (ORIGIN_TOKEN, and PAYOUTS_TOKEN / STRIPE_SECRET_KEY where one process does both).
 */
export function mediaToolEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = { PATH: env.PATH ?? "/usr/local/bin:/usr/bin:/bin" };
  for (const name of ["HOME", "TMPDIR", "LANG", "SSL_CERT_FILE", "SSL_CERT_DIR"] as const) {
    if (env[name] !== undefined) out[name] = env[name];
  }
  return out;
}

/** Every ffmpeg command line starts so: no stdin, overwrite, errors only. */
export const FFMPEG_QUIET = ["-nostdin", "-hide_banner", "-y", "-loglevel", "error"] as const;

const STDERR_TAIL_BYTES = 4096;

const found = new Map<string, string | null>();

/**
 * The program's path in an absolute PATH directory (Linux only), or null; looked up once. A relative
 * entry ("." or "bin") would resolve against the job's directory, where ffmpeg runs.
 */
function findLinuxTool(name: string): string | null {
  let path = found.get(name);
  if (path !== undefined) return path;
  path = null;
  if (process.platform === "linux") {
    for (const dir of (process.env.PATH ?? "/usr/bin:/bin").split(delimiter)) {
      const candidate = join(dir, name);
      if (isAbsolute(dir) && existsSync(candidate)) {
        path = candidate;
        break;
      }
    }
  }
  found.set(name, path);
  return path;
}

/**
 * ffmpeg's niceness. The origin's own work (uploading segments as they appear, heartbeats that keep
 * the lease, answering /healthz) is a few milliseconds at a time and must not queue behind ffmpeg's
 * encoder threads, which keep every core busy: with ffmpeg niced the origin's uploads go out the
 * moment a segment is finished. ffmpeg still gets every cycle the origin does not want, so a job
 * takes no longer. (It orders ffmpeg against its own origin process only: with the kernel's
 * autogroup scheduling, processes in other sessions, such as a local edge, share the CPU by session.)
 * Measured in `ttfp`: the first segments' batch went from 0.5 s to 0.3 s on the local platform.
 */
export const FFMPEG_NICENESS = 10;

/**
 * The command that runs ffmpeg with `args`: through util-linux `setpriv --pdeathsig KILL`, so the
 * kernel kills ffmpeg if the origin dies without cleaning up (SIGKILL, OOM; an orphaned ffmpeg would
 * otherwise keep burning CPU for a job whose lease has already gone back to the queue), and through
 * coreutils `nice` (FFMPEG_NICENESS); each where available (Linux). Both exec, so ffmpeg keeps the pid.
 */
export function ffmpegCommand(args: readonly string[]): [string, string[]] {
  const setpriv = findLinuxTool("setpriv");
  const nice = findLinuxTool("nice");
  const argv = [...(nice ? ["-n", String(FFMPEG_NICENESS), "ffmpeg"] : []), ...args];
  const first = nice ?? "ffmpeg";
  return setpriv ? [setpriv, ["--pdeathsig", "KILL", "--", first, ...argv]] : [first, argv];
}

export interface RunFfmpegOptions {
  signal?: AbortSignal;
  onProgress?: (p: FfmpegProgress) => void;
  /** Working directory: the job's own dir, so a relative name can only reach the job's files. */
  cwd?: string;
  /** Called with the pid once spawned. */
  onSpawn?: (pid: number) => void;
}

/** Resolves when ffmpeg exits 0; rejects with FfmpegError, or with the signal's reason when aborted. */
export function runFfmpeg(args: readonly string[], opts: RunFfmpegOptions = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    if (opts.signal?.aborted) return reject(opts.signal.reason);
    const [cmd, argv] = ffmpegCommand(args);
    const child = spawn(cmd, argv, { cwd: opts.cwd, env: mediaToolEnv(), stdio: ["ignore", "pipe", "pipe"] });
    const parser = new ProgressParser();
    let tail = "";
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      for (const p of parser.push(chunk)) opts.onProgress?.(p);
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      tail = (tail + chunk).slice(-STDERR_TAIL_BYTES);
    });
    const onAbort = () => child.kill("SIGKILL");
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    child.once("spawn", () => {
      if (child.pid !== undefined) opts.onSpawn?.(child.pid);
    });
    child.once("error", (err) => {
      opts.signal?.removeEventListener("abort", onAbort);
      reject(err);
    });
    child.once("close", (code, signal) => {
      opts.signal?.removeEventListener("abort", onAbort);
      if (opts.signal?.aborted) reject(opts.signal.reason);
      else if (code === 0) resolve();
      else reject(new FfmpegError(code, signal, tail));
    });
  });
}
