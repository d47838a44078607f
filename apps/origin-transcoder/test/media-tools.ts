// Test helpers (Node): run ffmpeg/ffprobe, make small synthetic clips.
import { spawn } from "node:child_process";

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(cmd: string, args: readonly string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export interface ClipOptions {
  width: number;
  height: number;
  seconds: number;
  fps?: number;
  audio?: boolean;
}

/** A test pattern (+ 440 Hz tone) encoded fast: ultrafast x264 + AAC in MP4. */
export async function makeClip(path: string, o: ClipOptions): Promise<void> {
  const args = ["-nostdin", "-hide_banner", "-loglevel", "error", "-y"];
  args.push("-f", "lavfi", "-i", `testsrc2=size=${o.width}x${o.height}:rate=${o.fps ?? 30}`);
  if (o.audio ?? true) args.push("-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000");
  args.push("-t", String(o.seconds), "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p");
  if (o.audio ?? true) args.push("-c:a", "aac", "-b:a", "96k");
  args.push("-f", "mp4", path);
  const res = await run("ffmpeg", args);
  if (res.code !== 0) throw new Error(`making ${path} failed: ${res.stderr}`);
}

/** ffprobe's JSON for a file (streams + format), or throws with ffprobe's error. */
export async function ffprobe(path: string, extra: readonly string[] = []): Promise<Record<string, unknown>> {
  const res = await run("ffprobe", ["-v", "error", "-print_format", "json", ...extra, path]);
  if (res.code !== 0) throw new Error(`ffprobe ${path}: ${res.stderr}`);
  return JSON.parse(res.stdout) as Record<string, unknown>;
}

/** Presentation times (s) of the video keyframes of a file. */
export async function keyframeTimes(path: string): Promise<number[]> {
  const res = await run("ffprobe", [
    "-v",
    "error",
    "-select_streams",
    "v",
    "-skip_frame",
    "nokey",
    "-show_entries",
    "frame=pts_time",
    "-of",
    "csv=p=0",
    path,
  ]);
  if (res.code !== 0) throw new Error(`ffprobe keyframes ${path}: ${res.stderr}`);
  return res.stdout
    .split("\n")
    .map((l) => l.replace(/,+$/, "").trim())
    .filter(Boolean)
    .map(Number);
}
