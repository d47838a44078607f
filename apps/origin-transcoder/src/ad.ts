// The ad profile of a transcode job (kind `ad`, docs/ads.md): what differs from content after the
// ladder. The ladder itself is planLadderCommand with kind "ad" (ladder.ts: rungs ≤ AD_MAX_HEIGHT,
// an exact length, audio always). Here: the duration limit with its reason, the check that the audio
// lasts as long as the video, the progressive MP4 for VAST players (a remux of one rung and the
// audio, no second encode) and the poster (ads have no storyboard).
import { copyFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { AD_MP4_MAX_HEIGHT, AD_MP4_PATH, type LeasedJob } from "@marquee/shared";
import { FFMPEG_QUIET, runFfmpeg } from "./ffmpeg";
import { thumbnailArgs } from "./images";
import {
  AUDIO_RENDITION,
  AUDIO_SAMPLE_RATE,
  type PlannedRung,
  thumbnailSize,
  thumbnailTimes,
} from "./ladder";
import { parseMediaPlaylist, type SegmentStat } from "./playlist";
import {
  formatDuration,
  ProbeError,
  type ProbeInfo,
  type SourceRef,
  sourceInputArgs,
  validateProbe,
} from "./probe";

/** One AAC-LC frame (1024 samples at 48 kHz): how far an ad's audio may end from its video. */
export const AAC_FRAME_SECONDS = 1024 / AUDIO_SAMPLE_RATE;
/**
 * A source this much over the limit still passes (and is cut at the limit): a "60 s" spot from an
 * editor probes as 60.02 s because its AAC track carries a priming frame or ends a frame late.
 */
export const AD_DURATION_SLACK_SECONDS = 0.5;

/** The limits check of an ad: the ad's own duration rule and reason, then the usual size limits. */
export function validateAdProbe(info: ProbeInfo, limits: LeasedJob["limits"]): void {
  const max = limits.maxDurationSeconds;
  if (info.durationSeconds > max + AD_DURATION_SLACK_SECONDS) {
    throw new ProbeError(
      `an ad may be at most ${formatDuration(max)} long; this video is ${formatDuration(info.durationSeconds)} (${info.durationSeconds.toFixed(1)} s)`,
    );
  }
  validateProbe({ ...info, durationSeconds: Math.min(info.durationSeconds, max) }, limits);
}

/** The rung the MP4 is made of: the tallest ≤ AD_MP4_MAX_HEIGHT, else the smallest. */
export function mp4Rung(rungs: readonly PlannedRung[]): PlannedRung {
  return rungs.find((r) => r.height <= AD_MP4_MAX_HEIGHT) ?? (rungs[rungs.length - 1] as PlannedRung);
}

/**
 * ffmpeg argv: the rung's video and the audio (each our own fMP4: init + segments joined) copied,
 * not re-encoded, into one progressive MP4 with the index first (`+faststart`), so a VAST player can
 * start it before the whole file is in. Our own files, but still read with one demuxer and the file
 * protocol only.
 */
export function adMp4Args(video: string, audio: string, dest: string): string[] {
  const input = (path: string) => [
    "-f",
    "mov",
    "-format_whitelist",
    "mov",
    "-protocol_whitelist",
    "file",
    "-i",
    `file:${path}`,
  ];
  return [
    ...FFMPEG_QUIET,
    ...input(video),
    ...input(audio),
    ...["-map", "0:v:0", "-map", "1:a:0", "-c", "copy", "-movflags", "+faststart", "-f", "mp4", dest],
  ];
}

/**
 * The audio must last as long as the video to within one AAC frame: the edge puts the ad's audio in
 * front of every content audio playlist, and any more would shift the content's sound against its
 * picture. Planned so (adLength); checked here on what was really written. Returns the two lengths.
 */
export function checkAdAudioLength(
  stats: Map<string, SegmentStat[]>,
  rungs: readonly Pick<PlannedRung, "name">[],
): { video: number; audio: number } {
  const total = (name: string) => (stats.get(name) ?? []).reduce((sum, s) => sum + s.duration, 0);
  const video = total(rungs[0]?.name ?? "");
  const audio = total(AUDIO_RENDITION);
  // EXTINF values carry 6 decimals: a millisecond covers their rounding.
  if (!(Math.abs(audio - video) <= AAC_FRAME_SECONDS + 0.001)) {
    throw new ProbeError(
      `the ad's audio (${audio.toFixed(3)} s) could not be made as long as its video (${video.toFixed(3)} s)`,
    );
  }
  return { video, audio };
}

/** init.mp4 + the segments a local rendition playlist lists, joined into one fMP4 file at `dest`. */
async function joinRendition(renditionDir: string, dest: string): Promise<void> {
  const pl = parseMediaPlaylist(await readFile(join(renditionDir, "playlist.m3u8"), "utf8"));
  const names = [...(pl.mapUri ? [pl.mapUri] : []), ...pl.segments.map((s) => s.uri)];
  const parts = await Promise.all(
    names.map((u) => readFile(join(renditionDir, u.slice(u.lastIndexOf("/") + 1)))),
  );
  await writeFile(dest, Buffer.concat(parts));
}

export interface AdExtras {
  /** Files to upload: storage path → local path (mp4/ad.mp4, thumbs/poster.jpg). */
  files: { path: string; local: string }[];
}

/** Makes mp4/ad.mp4 (from the finished local renditions) and thumbs/poster.jpg under `outDir`. */
export async function makeAdExtras(opts: {
  /** The source's signed URL (the poster is one Range-read seek) or a path. */
  source: SourceRef;
  info: Pick<ProbeInfo, "format" | "durationSeconds">;
  /** Output root of the job (hls/ is finished). */
  outDir: string;
  /** Scratch dir, not uploaded. */
  scratch: string;
  rungs: readonly PlannedRung[];
  signal?: AbortSignal;
}): Promise<AdExtras> {
  const { outDir, scratch: scratchDir, signal } = opts;
  const { format, durationSeconds } = opts.info;
  await Promise.all([
    mkdir(join(outDir, "mp4"), { recursive: true }),
    mkdir(join(outDir, "thumbs"), { recursive: true }),
    mkdir(scratchDir, { recursive: true }),
  ]);
  const mp4 = async () => {
    const video = join(scratchDir, "video.mp4");
    const audio = join(scratchDir, "audio.mp4");
    await Promise.all([
      joinRendition(join(outDir, "hls", mp4Rung(opts.rungs).name), video),
      joinRendition(join(outDir, "hls", AUDIO_RENDITION), audio),
    ]);
    const dest = join(outDir, AD_MP4_PATH);
    await runFfmpeg(adMp4Args(video, audio, dest), { signal, cwd: outDir });
    return { path: AD_MP4_PATH, local: dest };
  };
  const poster = async () => {
    const dir = join(outDir, "thumbs");
    const [at] = thumbnailTimes(durationSeconds);
    const size = thumbnailSize(opts.rungs);
    await runFfmpeg(thumbnailArgs(opts.source, format, [at ?? 0], size, dir), { signal, cwd: outDir });
    const made = join(dir, "thumb_1.jpg");
    const local = join(dir, "poster.jpg");
    try {
      await copyFile(made, local);
    } catch {
      // Shorter than the seek point: the first frame.
      const first = [...FFMPEG_QUIET, ...sourceInputArgs(opts.source, format), "-frames:v", "1"];
      const vf = ["-vf", `scale=${size.width}:${size.height},setsar=1`, "-update", "1", local];
      await runFfmpeg([...first, ...vf], { signal, cwd: outDir });
    }
    return { path: "thumbs/poster.jpg", local };
  };
  return { files: await Promise.all([mp4(), poster()]) };
}
