/**
 * ffmpeg and ffprobe for tools and tests: test-pattern clips (the demo video, the origin's and the
 * platform's test clips) and what ffprobe says about a file. Node APIs only, so Bun scripts, the
 * origin's tests and the platform tests (Node) share it.
 */
import { spawn, spawnSync } from "node:child_process";

export interface ToolResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion without a shell. */
export function runTool(cmd: string, args: readonly string[]): Promise<ToolResult> {
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

/** `runTool` that blocks (for code that cannot await). */
export function runToolSync(cmd: string, args: readonly string[]): ToolResult {
  const run = spawnSync(cmd, args, { encoding: "utf8" });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

export interface TestPatternOptions {
  seconds: number;
  /** WxH; default 1280x720. */
  size?: string;
  fps?: number;
  /** A 440 Hz tone as AAC (default true). */
  audio?: boolean;
  /** Target video bitrate; omitted → x264's default rate control. */
  videoKbps?: number;
  /** Temporal noise makes the clip hard to compress, like real footage. */
  noise?: boolean;
  /** x264 preset; default veryfast. */
  preset?: string;
}

/** ffmpeg argv of an MP4 of ffmpeg's test pattern (testsrc2) plus a 440 Hz tone. */
export function testPatternArgs(path: string, o: TestPatternOptions): string[] {
  const { seconds, size = "1280x720", fps = 30, audio = true, videoKbps, noise = false } = o;
  const video = `testsrc2=size=${size}:rate=${fps}:duration=${seconds}${noise ? ",noise=alls=40:allf=t" : ""}`;
  return [
    ...["-nostdin", "-hide_banner", "-loglevel", "error", "-y"],
    ...["-f", "lavfi", "-i", video],
    ...(audio ? ["-f", "lavfi", "-i", `sine=frequency=440:sample_rate=48000:duration=${seconds}`] : []),
    ...["-c:v", "libx264", "-preset", o.preset ?? "veryfast"],
    ...(videoKbps ? ["-b:v", `${videoKbps}k`] : []),
    ...["-pix_fmt", "yuv420p"],
    ...(audio ? ["-c:a", "aac", "-shortest"] : []),
    ...["-f", "mp4", path],
  ];
}

function madeOrThrow(path: string, run: ToolResult): string {
  if (run.code !== 0) throw new Error(`ffmpeg could not make ${path}: ${run.stderr}`);
  return path;
}

/** Makes a test-pattern clip at `path` and returns the path. */
export async function makeTestPatternClip(path: string, options: TestPatternOptions): Promise<string> {
  return madeOrThrow(path, await runTool("ffmpeg", testPatternArgs(path, options)));
}

/** `makeTestPatternClip` that blocks. */
export function makeTestPatternClipSync(path: string, options: TestPatternOptions): string {
  return madeOrThrow(path, runToolSync("ffmpeg", testPatternArgs(path, options)));
}

/** ffprobe's JSON for a file (add `-show_streams`, `-show_format`…), or throws with ffprobe's error. */
export async function ffprobe(path: string, extra: readonly string[] = []): Promise<Record<string, unknown>> {
  const res = await runTool("ffprobe", ["-v", "error", "-print_format", "json", ...extra, path]);
  if (res.code !== 0) throw new Error(`ffprobe ${path}: ${res.stderr}`);
  return JSON.parse(res.stdout) as Record<string, unknown>;
}

export interface ProbedStream {
  codec_type: string;
  codec_name: string;
  width?: number;
  height?: number;
}

/** The streams ffprobe finds in a file. */
export async function probeStreams(path: string): Promise<ProbedStream[]> {
  return (await ffprobe(path, ["-show_streams"])).streams as ProbedStream[];
}

/** Presentation times (s) of the keyframes of the first video stream. */
export async function keyframeTimes(path: string): Promise<number[]> {
  const res = await runTool("ffprobe", [
    ...["-v", "error", "-select_streams", "v:0", "-skip_frame", "nokey"],
    ...["-show_entries", "frame=pts_time", "-of", "csv=p=0", path],
  ]);
  if (res.code !== 0) throw new Error(`ffprobe keyframes ${path}: ${res.stderr}`);
  return res.stdout
    .split("\n")
    .map((l) => l.replace(/,+$/, "").trim())
    .filter(Boolean)
    .map(Number);
}

/** ffmpeg that prints only errors and never asks (overwrites `-y`). */
export function ffmpeg(args: readonly string[]): Promise<ToolResult> {
  return runTool("ffmpeg", ["-nostdin", "-hide_banner", "-loglevel", "error", "-y", ...args]);
}

/** An MPEG-TS copy of a clip (no re-encode): what an HLS playlist may name as a segment. */
export async function remuxToMpegTs(source: string, dest: string): Promise<string> {
  const made = await ffmpeg(["-i", source, "-c", "copy", "-f", "mpegts", dest]);
  if (made.code !== 0) throw new Error(`making ${dest}: ${made.stderr}`);
  return dest;
}
