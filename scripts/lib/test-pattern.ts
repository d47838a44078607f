/**
 * A video made by ffmpeg from its test-pattern source plus a 440 Hz tone: the demo video and the
 * end-to-end tests' clips. Node APIs only, so Bun scripts and Node tests can both use it.
 */
import { spawnSync } from "node:child_process";

export interface TestPatternOptions {
  seconds: number;
  size?: string;
  /** Target video bitrate; omitted → x264's default rate control. */
  videoKbps?: number;
  /** Temporal noise makes the clip hard to compress, like real footage. */
  noise?: boolean;
  preset?: string;
}

export function makeTestPatternClip(path: string, options: TestPatternOptions): string {
  const { seconds, size = "1280x720", videoKbps, noise = false, preset = "veryfast" } = options;
  const video = `testsrc2=size=${size}:rate=30:duration=${seconds}${noise ? ",noise=alls=40:allf=t" : ""}`;
  const run = spawnSync(
    "ffmpeg",
    [
      ...["-nostdin", "-hide_banner", "-loglevel", "error", "-y"],
      ...["-f", "lavfi", "-i", video],
      ...["-f", "lavfi", "-i", `sine=frequency=440:sample_rate=48000:duration=${seconds}`],
      ...[
        "-c:v",
        "libx264",
        "-preset",
        preset,
        ...(videoKbps ? ["-b:v", `${videoKbps}k`] : []),
        "-pix_fmt",
        "yuv420p",
      ],
      ...["-c:a", "aac", "-shortest", path],
    ],
    { encoding: "utf8" },
  );
  if (run.status !== 0) throw new Error(`ffmpeg could not make ${path}: ${run.stderr}`);
  return path;
}
