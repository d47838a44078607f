/** Media helpers for the transcoding benchmarks: cached 1080p source clips, PSNR, rendition files. */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run, say } from "./proc";

/** Source clips are kept here between runs (they take about 1.3 s per second of clip to make). */
export const CLIP_CACHE = join(tmpdir(), "marquee-bench-clips");

/**
 * A 1080p30 clip with stereo audio, made once and cached: testsrc2 (moving shapes, gradients, a clock)
 * under temporal + uniform noise, so it does not compress to nothing, encoded the way a phone or camera
 * would (x264 crf 18 capped at 20 Mbit/s, 2 s GOP, AAC 192k): decoding it costs what a real upload costs.
 * About 2.6 MB per second.
 */
export function sourceClip(seconds: number): string {
  return cachedClip(`src-1080p30-${seconds}s-v1.mp4`, seconds, "", [
    ...["-preset", "veryfast", "-crf", "18", "-maxrate", "20M", "-bufsize", "40M"],
  ]);
}

/**
 * The same picture and sound as sourceClip(seconds), encoded at about 33 MB/s (x264 ultrafast at a
 * fixed QP 17 over the temporal noise, ~270 Mbit/s: an intermediate-codec-like bitrate), so a 60 s
 * clip is about 2 GB: the file-size axis of `ttfp` at the same length. Made once and cached next to
 * the other clips (a few minutes on two busy cores); moov at the end, as cameras write it, so the
 * origin's first look has to seek by Range to the end of the file.
 */
export function largeSourceClip(seconds: number): string {
  return cachedClip(`src-1080p30-${seconds}s-qp17-v1.mp4`, seconds, " at ~270 Mbit/s", [
    ...["-preset", "ultrafast", "-qp", "17"],
  ]);
}

/** The bench's test picture and tone, encoded with x264 `rate` options (2 s GOP, AAC 192k), cached. */
function cachedClip(name: string, seconds: number, what: string, rate: string[]): string {
  mkdirSync(CLIP_CACHE, { recursive: true });
  const path = join(CLIP_CACHE, name);
  if (existsSync(path)) return path;
  say(`making a ${seconds} s 1080p30 source clip${what} (cached in ${CLIP_CACHE}) …`);
  const partial = `${path}.${process.pid}.partial.mp4`;
  try {
    run([
      ...["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y"],
      ...["-f", "lavfi", "-i", `testsrc2=size=1920x1080:rate=30:duration=${seconds},noise=alls=16:allf=t+u`],
      ...["-f", "lavfi", "-i", `sine=frequency=440:beep_factor=4:sample_rate=48000:duration=${seconds}`],
      ...["-ac", "2", "-c:v", "libx264", ...rate, "-g", "60", "-pix_fmt", "yuv420p"],
      ...["-c:a", "aac", "-b:a", "192k", "-shortest", partial],
    ]);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  }
  renameSync(partial, path);
  return path;
}

/** Joins a rendition directory's init.mp4 and media segments (seg_00001.m4s …) into one fMP4 file. */
export function joinRendition(dir: string, out: string): string {
  const segments = readdirSync(dir)
    .filter((f) => /^seg_\d+\.m4s$/.test(f))
    .sort();
  const parts = ["init.mp4", ...segments].map((f) => readFileSync(join(dir, f)));
  writeFileSync(out, Buffer.concat(parts));
  return out;
}

/** Average PSNR (dB, all planes) of `distorted` against `source` scaled to the distorted size. */
export function psnr(distorted: string, source: string, width: number, height: number): number {
  const out = Bun.spawnSync([
    "ffmpeg",
    "-nostdin",
    "-hide_banner",
    "-i",
    distorted,
    "-i",
    source,
    "-lavfi",
    `[0:v]setpts=PTS-STARTPTS[d];[1:v]scale=${width}:${height},setpts=PTS-STARTPTS[ref];[d][ref]psnr`,
    "-f",
    "null",
    "-",
  ]);
  const text = out.stderr.toString();
  const avg = /average:([\d.]+|inf)/.exec(text)?.[1];
  if (out.exitCode !== 0 || !avg) throw new Error(`psnr of ${distorted} failed: ${text.slice(-1500)}`);
  return Number(avg);
}

/** Bitrate of the first video stream in kbit/s: the sum of its packet sizes over `seconds`. */
export function videoKbps(path: string, seconds: number): number {
  const sizes = run([
    "ffprobe",
    "-v",
    "error",
    "-select_streams",
    "v:0",
    "-show_entries",
    "packet=size",
    "-of",
    "csv=p=0",
    path,
  ]);
  const bytes = sizes.split("\n").reduce((sum, line) => sum + (Number(line) || 0), 0);
  return (bytes * 8) / seconds / 1000;
}
