// The HLS ladder as ONE ffmpeg process, and the master playlist. Pure functions of the probe and the
// rungs (no I/O), exported for the tests and for the benchmarks under bench/.
//
// Shape of the command (see docs/media-pipeline.md, "The origin (as built)"):
//   decode once → format=yuv420p → split (rungs + tiles) → a cascade of scalers, each rung from a
//   taller one (cascadeGraph) → libx264 per rung (VBV capped, per-rung threads, fixed GOP =
//   SEGMENT_SECONDS, no scene-cut keyframes, so every rung cuts at the same frames)
//   + AAC encoded once into its own rendition, all muxed by one HLS muxer (fMP4, EVENT playlists)
//   + one cheap image branch of the same decode: storyboard tiles (fps + scale to 160×90 JPEGs), so
//     the storyboard needs no second decode. Thumbnails (5 seeks) and the sprite (joining the tiles) are
//     small separate runs afterwards (images.ts).
import {
  AD_MAX_HEIGHT,
  AUDIO_KBPS,
  type JobKind,
  planLadder,
  type Rung,
  SEGMENT_SECONDS,
} from "@marquee/shared";
import { FFMPEG_QUIET } from "./ffmpeg";
import { AAC_LC_CODEC, avc1Codec, h264Level } from "./h264";
import { AD_SCHEDULE, CONTENT_SCHEDULE, chunkSeconds, keyframeExpr } from "./playlist";
import { type ProbeInfo, type SourceRef, sourceInputArgs } from "./probe";
import { planStoryboard, type StoryboardPlan, storyboardTileFilter } from "./storyboard";

/**
 * x264 preset. `veryfast`, not `faster`: on this ladder `faster` costs roughly 25–35 % more CPU per
 * rung for a few percent of bitrate efficiency, and CPU-seconds per ladder is what the origin is
 * measured on (bench: ≥ 1.5× less CPU than one-ffmpeg-per-rung at `veryfast`). Using the same preset
 * as that PeerTube-style baseline also keeps the 720p PSNR comparison like for like: the savings come
 * from decoding once, converting once and encoding audio once, not from lowering the quality.
 */
export const X264_PRESET = "veryfast";
export const X264_PROFILE = "high";
/** Frame rates above this are capped to it: 120 fps sources gain nothing on the web. */
export const MAX_FPS = 60;
export const AUDIO_SAMPLE_RATE = 48_000;
export const AUDIO_CHANNELS = 2;
/** Name of the audio rendition (its directory under hls/). */
export const AUDIO_RENDITION = "audio";
/** Thumbnail candidates at these fractions of the duration; the first one is also the poster. */
export const THUMBNAIL_FRACTIONS = [0.1, 0.3, 0.5, 0.7, 0.9] as const;
/** Thumbnails are at most this tall (and never taller than the top rung). */
export const THUMBNAIL_MAX_HEIGHT = 720;

export interface PlannedRung extends Rung {
  width: number;
  /** x264 `level`, e.g. "4.0". */
  level: string;
  /** RFC 6381 codec string of the rung's video, e.g. `avc1.640028`. */
  codecs: string;
  bufsizeKbps: number;
}

/** Width for a rung of `height` that keeps the display aspect ratio, rounded to even (like scale=-2). */
export function rungWidth(height: number, sourceWidth: number, sourceHeight: number): number {
  return Math.max(2, Math.round((height * sourceWidth) / sourceHeight / 2) * 2);
}

/** The output frame rate: the source's, capped at MAX_FPS. */
export function outputFps(probe: Pick<ProbeInfo, "fps">): number {
  return Math.min(probe.fps, MAX_FPS);
}

/** GOP length in frames: one keyframe per segment. */
export function gopFrames(fps: number): number {
  return Math.max(1, Math.round(fps * SEGMENT_SECONDS));
}

/**
 * The rungs for a source: planLadder(height), except that a source shorter than the smallest rung
 * (but at least 100 px, so the name stays a valid output path) gets one rung at its own height with
 * the smallest rung's bitrates, instead of being upscaled.
 */
export function ladderFor(sourceHeight: number): Rung[] {
  const rungs = planLadder(sourceHeight);
  const smallest = rungs[0] as Rung;
  if (sourceHeight >= smallest.height || sourceHeight < 100) return rungs;
  const height = Math.floor(sourceHeight / 2) * 2;
  return [{ ...smallest, name: `${height}p`, height }];
}

/**
 * The rungs of an ad creative: the content rule (ladderFor) applied to the source's height capped at
 * AD_MAX_HEIGHT, so an ad has rungs at LADDER heights up to 1080p, never upscaled, and a tiny source
 * gets the one small rung content would get. The edge matches each content rung with the tallest ad
 * rung at or below it (docs/ads.md).
 */
export function adLadderFor(sourceHeight: number): Rung[] {
  return ladderFor(Math.min(sourceHeight, AD_MAX_HEIGHT));
}

/** Sizes, H.264 level and codec string of each rung for this source (default: ladderFor(height)). */
export function planRungs(
  probe: Pick<ProbeInfo, "width" | "height" | "fps">,
  rungs: readonly Rung[] = ladderFor(probe.height),
): PlannedRung[] {
  const fps = outputFps(probe);
  return rungs.map((r) => {
    const width = rungWidth(r.height, probe.width, probe.height);
    const bufsizeKbps = r.maxKbps * 2;
    const level = h264Level({ width, height: r.height, fps, maxKbps: r.maxKbps, bufsizeKbps });
    return { ...r, width, level: level.name, codecs: avc1Codec(level.idc), bufsizeKbps };
  });
}

/** Times (s) of the thumbnail candidates. */
export function thumbnailTimes(durationSeconds: number): number[] {
  return THUMBNAIL_FRACTIONS.map((f) => Math.round(durationSeconds * f * 1000) / 1000);
}

/** Size of the thumbnails: the tallest rung ≤ THUMBNAIL_MAX_HEIGHT (or the smallest rung). */
export function thumbnailSize(rungs: readonly PlannedRung[]): { width: number; height: number } {
  const r = rungs.find((x) => x.height <= THUMBNAIL_MAX_HEIGHT) ?? (rungs[rungs.length - 1] as PlannedRung);
  return { width: r.width, height: r.height };
}

export interface LadderImages {
  /** Times (s) of the thumbnail candidates. */
  thumbnails: number[];
  thumbnailSize: { width: number; height: number };
  storyboard: StoryboardPlan;
  /** Scratch dir (not uploaded) where the ladder writes the storyboard tiles, tile_00001.jpg … */
  tilesDir: string;
}

/** Scratch dir for the storyboard tiles, under the output root but outside the storage layout. */
export const TILES_DIR = "storyboard-tiles";

export interface LadderArgsInput {
  /** The source: its signed URL (read by Range) or a local path. */
  input: SourceRef;
  /** Output root: ffmpeg writes hls/, thumbs/ and storyboard/ beneath it (the storage layout). */
  outDir: string;
  /** `format` is the demuxer the probe found: the source is read with it and nothing else. */
  probe: Pick<ProbeInfo, "format" | "width" | "height" | "fps" | "hasAudio" | "durationSeconds">;
  /** Default ladderFor(probe.height). */
  rungs?: readonly Rung[];
  /** Also write the storyboard tiles from the same decode (default true). */
  images?: boolean;
  /** Where ffmpeg writes `-progress` key=value blocks (default pipe:1, i.e. stdout). */
  progress?: string;
  /**
   * `ad` (default `content`): rungs by adLadderFor, no storyboard tiles, and an audio rendition
   * always, its length the video's (see adAudioFilter).
   */
  kind?: JobKind;
  /** Ads only: read at most this many seconds of the source (input `-t`). */
  maxSeconds?: number;
}

export interface LadderPlan {
  args: string[];
  rungs: PlannedRung[];
  /** Rendition directory names in var_stream_map order: rungs, then "audio" when there is audio. */
  renditions: string[];
  images: LadderImages | null;
}

const under = (dir: string, rel: string) => `${dir.replace(/\/+$/, "")}/${rel}`;

/** Rungs below this height are "small": encoded with one x264 thread (x264Threads). */
export const SMALL_RUNG_BELOW = 720;

/**
 * x264 frame threads per rung on the origin's 2-core box: 2 from 720p up, 1 below. ffmpeg's default
 * (1.5 × cores = 3 per encoder, 15 for a 1080p ladder) spends CPU on thread sync and lookahead
 * threads, and the big rungs' threads already keep both cores busy; a one-thread small rung encodes
 * in ffmpeg's main thread, off the wall time's critical path. Fewer frame threads never cost quality.
 */
export function x264Threads(height: number): number {
  return height >= SMALL_RUNG_BELOW ? 2 : 1;
}

/**
 * The rung each rung is scaled from: a taller rung of exactly twice its height if any (a clean 2:1
 * step), else the next taller one; -1 for the tallest, scaled from the decoded source. 1080p→240p:
 * 720 ← 1080, 480 ← 720, 360 ← 720, 240 ← 480: steps of 1.33–2:1, at most three from the source.
 */
export function cascadeParents(rungs: readonly Pick<PlannedRung, "height">[]): number[] {
  return rungs.map((r, j) => {
    if (j === 0) return -1;
    const double = rungs.findIndex((x, i) => i < j && x.height === 2 * r.height);
    return double >= 0 ? double : j - 1;
  });
}

/**
 * The ladder's scalers, from the decoded picture `[c0]` to `[vI]` per rung: a cascade (cascadeParents),
 * since scaling costs roughly its input's size; it halves the ladder's scaling CPU. Every step keeps
 * the default bicubic, the quality reference's scaler. Measured on the 20 s 1080p bench clip against
 * the source scaled directly: −0.10 to −0.16 dB PSNR on 480p/360p/240p, 720p unchanged (scaled from
 * the source as before); 240p from 360p was −0.26 dB; bilinear small rungs saved ~0.3 CPU-s for
 * −2 dB (480p) and −5 dB (360p), so no. All rungs come from the same frames and cut at the same ones.
 */
export function cascadeGraph(rungs: readonly Pick<PlannedRung, "width" | "height">[]): string[] {
  const parents = cascadeParents(rungs);
  return rungs.map((r, i) => {
    const outs = [`[v${i}]`, ...parents.flatMap((p, j) => (p === i ? [`[c${j}]`] : []))];
    const split = outs.length > 1 ? `,split=${outs.length}` : "";
    return `[c${i}]scale=${r.width}:${r.height},setsar=1${split}${outs.join("")}`;
  });
}

/**
 * Plans the ladder and returns the argv (without the leading "ffmpeg") of the single ffmpeg process
 * that makes it, with everything needed to publish it.
 */
export function planLadderCommand(opts: LadderArgsInput): LadderPlan {
  const ad = opts.kind === "ad";
  const rungs = planRungs(opts.probe, opts.rungs ?? (ad ? adLadderFor(opts.probe.height) : undefined));
  const fps = outputFps(opts.probe);
  const gop = gopFrames(fps);
  // Ads carry a poster only: a storyboard is for scrubbing, and nobody scrubs an ad.
  const withImages = !ad && (opts.images ?? true);
  // An ad's audio rendition always exists: every content audio playlist gets the ad's audio stitched in.
  const audio = ad || opts.probe.hasAudio;
  const images: LadderImages | null = withImages
    ? {
        thumbnails: thumbnailTimes(opts.probe.durationSeconds),
        thumbnailSize: thumbnailSize(rungs),
        storyboard: planStoryboard(opts.probe.durationSeconds),
        tilesDir: under(opts.outDir, TILES_DIR),
      }
    : null;

  // ---- filter graph: decode once, convert once, then a cascade of scalers (see cascadeGraph) ----
  const length = ad ? adLength(opts.probe, opts.maxSeconds) : null;
  const pre = length
    ? adVideoChain(length)
    : [opts.probe.fps > MAX_FPS ? `fps=${MAX_FPS}` : null, "format=yuv420p"].filter(Boolean).join(",");
  const graph = [images ? `[0:v:0]${pre},split=2[c0][st]` : `[0:v:0]${pre}[c0]`, ...cascadeGraph(rungs)];
  if (images) graph.push(`[st]${storyboardTileFilter(images.storyboard)}[tiles]`);
  if (length) graph.push(adAudioFilter(opts.probe.hasAudio, length));

  const args: string[] = [...FFMPEG_QUIET, "-nostats"];
  args.push("-progress", opts.progress ?? "pipe:1");
  if (ad && opts.maxSeconds !== undefined) args.push("-t", String(opts.maxSeconds));
  args.push(...sourceInputArgs(opts.input, opts.probe.format));
  args.push("-filter_complex", graph.join(";"));

  // ---- the HLS output: every rung + the one audio rendition ----
  rungs.forEach((_, i) => {
    args.push("-map", `[v${i}]`);
  });
  if (ad) args.push("-map", `[${AD_AUDIO_LABEL}]`);
  else if (opts.probe.hasAudio) args.push("-map", "0:a:0");
  args.push("-c:v", "libx264", "-preset", X264_PRESET, "-profile:v", X264_PROFILE);
  rungs.forEach((r, i) => {
    args.push(
      `-b:v:${i}`,
      `${r.videoKbps}k`,
      `-maxrate:v:${i}`,
      `${r.maxKbps}k`,
      `-bufsize:v:${i}`,
      `${r.bufsizeKbps}k`,
      `-level:v:${i}`,
      r.level,
      `-threads:v:${i}`,
      String(x264Threads(r.height)),
    );
  });
  // Keyframes only where the schedule cuts (0.5, 1, 2, 6, 10, … s; playlist.ts): time-based forced
  // keyframes keep rungs aligned even for variable-frame-rate sources, and the muxer cuts a video
  // rendition at every keyframe past a half second, so x264 must add none of its own: one frame
  // more than a steady segment, its own keyframe never comes before the forced one (a rate like
  // 30.1 fps has 121 frames between some forced ones), and no scene-cut keyframes.
  args.push("-g", String(gop + 1), "-keyint_min", String(gop), "-sc_threshold", "0");
  args.push("-force_key_frames:v", keyframeExpr(ad ? AD_SCHEDULE : CONTENT_SCHEDULE));
  if (audio) {
    args.push(
      "-c:a",
      "aac",
      "-b:a",
      `${AUDIO_KBPS}k`,
      "-ac",
      String(AUDIO_CHANNELS),
      "-ar",
      String(AUDIO_SAMPLE_RATE),
    );
  }
  const renditions = [...rungs.map((r) => r.name), ...(audio ? [AUDIO_RENDITION] : [])];
  const streamMap = [
    ...rungs.map((r, i) => `v:${i},name:${r.name}`),
    ...(audio ? [`a:0,name:${AUDIO_RENDITION}`] : []),
  ].join(" ");
  args.push(
    "-f",
    "hls",
    // For content not SEGMENT_SECONDS but ½ (chunkSeconds): the muxer cuts video at the forced
    // keyframes and the audio every half second, pieces the publisher joins into segments ending at the same times
    // (playlist.ts, "the segment schedule"). Ads keep SEGMENT_SECONDS throughout.
    "-hls_time",
    String(chunkSeconds(ad ? AD_SCHEDULE : CONTENT_SCHEDULE)),
    "-hls_playlist_type",
    "event",
    "-hls_segment_type",
    "fmp4",
    "-hls_flags",
    "independent_segments",
    "-start_number",
    "1",
    // With several variants ffmpeg appends "_N" to the init name unless it contains %v; "../%v/init.mp4"
    // resolves to the variant's own directory (the publisher rewrites the MAP URI to "init.mp4"). With
    // one variant it expands no %v in this name, and a plain "init.mp4" already lands in its directory.
    "-hls_fmp4_init_filename",
    renditions.length > 1 ? "../%v/init.mp4" : "init.mp4",
    "-hls_segment_filename",
    under(opts.outDir, "hls/%v/seg_%05d.m4s"),
    "-var_stream_map",
    streamMap,
    under(opts.outDir, "hls/%v/playlist.m3u8"),
  );

  // ---- storyboard tiles from the same decode (one small JPEG per interval, from t = 0) ----
  if (images) {
    args.push("-map", "[tiles]", "-fps_mode", "passthrough", "-c:v", "mjpeg", "-q:v", "5");
    args.push("-start_number", "1", under(images.tilesDir, "tile_%05d.jpg"));
  }
  return { args, rungs, renditions, images };
}

const AD_AUDIO_LABEL = "adaudio";

/** An ad's exact length: whole frames at a constant rate, and the audio samples that last as long. */
export interface AdLength {
  fps: number;
  frames: number;
  /** At AUDIO_SAMPLE_RATE. */
  samples: number;
  /** Upper bound of the gap to pad at the video's end (s). */
  padSeconds: number;
}

/**
 * The length of an ad: the source's duration (the longest of its streams, at most `maxSeconds`) in
 * whole frames of the output rate, and the audio samples of exactly that time. Planned up front
 * because an ad's audio must last as long as its video (every content audio playlist gets the ad's
 * audio in front of it, and a shorter one would shift the content's audio against its video).
 */
export function adLength(
  probe: Pick<ProbeInfo, "fps" | "durationSeconds">,
  maxSeconds = Number.POSITIVE_INFINITY,
): AdLength {
  const fps = outputFps(probe);
  const seconds = Math.min(probe.durationSeconds, maxSeconds);
  const frames = Math.max(1, Math.round(seconds * fps));
  return {
    fps,
    frames,
    samples: Math.round((frames / fps) * AUDIO_SAMPLE_RATE),
    padSeconds: Math.ceil(seconds) + 1,
  };
}

/**
 * An ad's video before the split: a constant frame rate, the last frame held if the video stream
 * is shorter than the source (its audio ran on), then cut at exactly `frames` frames.
 */
export function adVideoChain(length: AdLength): string {
  return [
    `fps=${length.fps}`,
    "format=yuv420p",
    `tpad=stop_mode=clone:stop_duration=${length.padSeconds}`,
    `trim=end_frame=${length.frames}`,
  ].join(",");
}

/**
 * An ad's audio: the source's first track resampled to 48 kHz and padded with silence, or, for a
 * source without audio, silence (anullsrc, 48 kHz stereo); either cut at exactly the samples that
 * last as long as the video (adLength). So every ad has an audio rendition, as long as its video
 * to within one AAC frame, whether the source's audio was missing, shorter or longer.
 */
export function adAudioFilter(hasAudio: boolean, length: AdLength): string {
  const src = hasAudio
    ? `[0:a:0]aresample=${AUDIO_SAMPLE_RATE},apad`
    : `anullsrc=r=${AUDIO_SAMPLE_RATE}:cl=${AUDIO_CHANNELS === 2 ? "stereo" : "mono"}`;
  return `${src},atrim=end_sample=${length.samples}[${AD_AUDIO_LABEL}]`;
}

/** The argv (without "ffmpeg") of the one ladder process. See planLadderCommand. */
export function buildLadderArgs(opts: LadderArgsInput): string[] {
  return planLadderCommand(opts).args;
}

// ---- master playlist ----

export interface MasterVariant {
  name: string;
  width: number;
  height: number;
  /** Peak bit/s including audio. */
  bandwidth: number;
  /** Average bit/s including audio. */
  averageBandwidth: number;
  /** Video codec string, e.g. avc1.640028 (the audio codec is appended when there is audio). */
  videoCodec: string;
  frameRate?: number;
}

/** Nominal figures before anything is measured: VBV maxrate (peak) and target (average), plus audio. */
export function nominalVariants(
  rungs: readonly PlannedRung[],
  opts: { audio: boolean; frameRate?: number },
): MasterVariant[] {
  const audio = opts.audio ? AUDIO_KBPS : 0;
  return rungs.map((r) => ({
    name: r.name,
    width: r.width,
    height: r.height,
    bandwidth: (r.maxKbps + audio) * 1000,
    averageBandwidth: (r.videoKbps + audio) * 1000,
    videoCodec: r.codecs,
    frameRate: opts.frameRate,
  }));
}

export const AUDIO_GROUP = "aud";

/** The master playlist: our own, not ffmpeg's. Child URIs are relative (`720p/playlist.m3u8`). */
export function masterPlaylist(variants: readonly MasterVariant[], opts: { audio: boolean }): string {
  const lines = ["#EXTM3U", "#EXT-X-VERSION:7", "#EXT-X-INDEPENDENT-SEGMENTS"];
  if (opts.audio) {
    lines.push(
      `#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="${AUDIO_GROUP}",NAME="Audio",DEFAULT=YES,AUTOSELECT=YES,` +
        `CHANNELS="${AUDIO_CHANNELS}",URI="${AUDIO_RENDITION}/playlist.m3u8"`,
    );
  }
  for (const v of variants) {
    const codecs = opts.audio ? `${v.videoCodec},${AAC_LC_CODEC}` : v.videoCodec;
    const attrs = [
      `BANDWIDTH=${Math.round(v.bandwidth)}`,
      `AVERAGE-BANDWIDTH=${Math.round(v.averageBandwidth)}`,
      `RESOLUTION=${v.width}x${v.height}`,
      ...(v.frameRate ? [`FRAME-RATE=${v.frameRate.toFixed(3)}`] : []),
      `CODECS="${codecs}"`,
      ...(opts.audio ? [`AUDIO="${AUDIO_GROUP}"`] : []),
    ];
    lines.push(`#EXT-X-STREAM-INF:${attrs.join(",")}`, `${v.name}/playlist.m3u8`);
  }
  return `${lines.join("\n")}\n`;
}
