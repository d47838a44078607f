// ffprobe the downloaded source and check it against the lease's limits. Any problem with the file
// itself becomes a ProbeError whose message is the job's non-retryable `failed` reason, written for
// the creator. Uses node:child_process (not Bun.spawn) so the tests can run it under Node.
import { spawn } from "node:child_process";
import { stat } from "node:fs/promises";
import type { LeasedJob } from "@marquee/shared";
import { z } from "zod";

export interface ProbeInfo {
  durationSeconds: number;
  /** Display size: sample aspect ratio applied and rotation metadata honoured (ffmpeg autorotates). */
  width: number;
  height: number;
  /** Frames per second (average; the nominal rate when the average is unknown). */
  fps: number;
  hasAudio: boolean;
  videoCodec: string;
}

export type ProbeLimits = LeasedJob["limits"];

/** The source can't be transcoded; `message` is the human reason stored on the video. */
export class ProbeError extends Error {
  override name = "ProbeError";
}

export const REASONS = {
  empty: "the file is empty (0 bytes)",
  unreadable: "the file is not a media file ffprobe can read",
  noVideo: "the file has no video stream",
  stillImage: "the file is a still image, not a video",
  noDuration: "the file has no duration ffprobe can read",
} as const;

const num = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const n = Number(v);
  if (!Number.isFinite(n)) {
    ctx.addIssue({ code: "custom", message: "not a number" });
    return z.NEVER;
  }
  return n;
});

const Stream = z.looseObject({
  codec_type: z.string().optional(),
  codec_name: z.string().optional(),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  sample_aspect_ratio: z.string().optional(),
  avg_frame_rate: z.string().optional(),
  r_frame_rate: z.string().optional(),
  duration: num.optional().catch(undefined),
  disposition: z.looseObject({ attached_pic: z.number().optional() }).optional(),
  tags: z.record(z.string(), z.string()).optional().catch(undefined),
  side_data_list: z.array(z.looseObject({ rotation: num.optional().catch(undefined) })).optional(),
});

const FfprobeOutput = z.looseObject({
  streams: z.array(Stream).default([]),
  format: z
    .looseObject({ format_name: z.string().optional(), duration: num.optional().catch(undefined) })
    .optional(),
});

function ratio(value: string | undefined): number | null {
  if (!value) return null;
  const [a, b] = value.split(/[/:]/).map(Number);
  if (a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || a <= 0 || b <= 0) {
    return null;
  }
  return a / b;
}

const even = (n: number) => Math.max(2, Math.round(n / 2) * 2);

/** Image demuxers: a single picture renamed to .mp4 probes as a "video" stream without a duration. */
const STILL_FORMATS = /(^|,)(image2|\w+_pipe)(,|$)/;

/** Turns `ffprobe -print_format json -show_streams -show_format` output into ProbeInfo. */
export function parseProbeOutput(json: unknown): ProbeInfo {
  const parsed = FfprobeOutput.safeParse(json);
  if (!parsed.success) throw new ProbeError(REASONS.unreadable);
  const { streams, format } = parsed.data;
  const video = streams.find((s) => s.codec_type === "video" && s.disposition?.attached_pic !== 1);
  // An audio file's cover art is a "video" stream with attached_pic: still no video.
  if (!video) throw new ProbeError(streams.length === 0 ? REASONS.unreadable : REASONS.noVideo);
  if (!video.width || !video.height) throw new ProbeError(REASONS.unreadable);
  if (format?.format_name && STILL_FORMATS.test(format.format_name)) throw new ProbeError(REASONS.stillImage);

  const duration = format?.duration ?? video.duration;
  if (duration === undefined || !(duration > 0)) throw new ProbeError(REASONS.noDuration);

  const sar = ratio(video.sample_aspect_ratio) ?? 1;
  let width = sar === 1 ? video.width : even(video.width * sar);
  let height = video.height;
  const rotation =
    video.side_data_list?.find((d) => d.rotation !== undefined)?.rotation ?? Number(video.tags?.rotate ?? 0);
  if (Math.abs(Math.round(rotation)) % 180 === 90) [width, height] = [height, width];

  const fps = ratio(video.avg_frame_rate) ?? ratio(video.r_frame_rate) ?? 30;
  return {
    durationSeconds: duration,
    width,
    height,
    fps,
    hasAudio: streams.some((s) => s.codec_type === "audio"),
    videoCodec: video.codec_name ?? "unknown",
  };
}

/** "4h", "4h 30m", "12m 5s", "42s". */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const r = s % 60;
  if (h > 0) return m > 0 ? `${h}h ${m}m` : `${h}h`;
  if (m > 0) return r > 0 ? `${m}m ${r}s` : `${m}m`;
  return `${r}s`;
}

/** Binary units, at most one decimal: "20 GiB", "1.5 MiB", "512 bytes". */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB"];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const text = i === 0 ? String(v) : String(Math.round(v * 10) / 10);
  return `${text} ${units[i]}`;
}

/** The reason a source of `sizeBytes` is over the byte limit, or null. */
export function sizeProblem(sizeBytes: number, limits: ProbeLimits): string | null {
  if (sizeBytes === 0) return REASONS.empty;
  if (sizeBytes > limits.maxBytes) {
    return `the file is ${formatBytes(sizeBytes)}; the limit is ${formatBytes(limits.maxBytes)}`;
  }
  return null;
}

/**
 * Checks a probed source against the lease's limits; throws ProbeError with the reason.
 * Resolution limits are orientation-agnostic: a 1080×1920 portrait video passes a 1920×1080 limit.
 */
export function validateProbe(info: ProbeInfo, limits: ProbeLimits): void {
  if (info.durationSeconds > limits.maxDurationSeconds) {
    throw new ProbeError(
      `the video is ${formatDuration(info.durationSeconds)} long; the limit is ${formatDuration(limits.maxDurationSeconds)}`,
    );
  }
  const long = Math.max(info.width, info.height);
  const short = Math.min(info.width, info.height);
  if (
    long > Math.max(limits.maxWidth, limits.maxHeight) ||
    short > Math.min(limits.maxWidth, limits.maxHeight)
  ) {
    throw new ProbeError(
      `the video is ${info.width}×${info.height}; the limit is ${limits.maxWidth}×${limits.maxHeight}`,
    );
  }
}

const PROBE_TIMEOUT_MS = 60_000;

/** Runs ffprobe on a local file. Throws ProbeError for empty or unreadable files. */
export async function probeFile(
  path: string,
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
): Promise<ProbeInfo> {
  const { size } = await stat(path);
  if (size === 0) throw new ProbeError(REASONS.empty);
  const args = ["-v", "error", "-print_format", "json", "-show_streams", "-show_format", path];
  const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
    const child = spawn("ffprobe", args, { stdio: ["ignore", "pipe", "pipe"], signal: options.signal });
    const out: Buffer[] = [];
    child.stdout.on("data", (d: Buffer) => out.push(d));
    child.stderr.resume();
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? PROBE_TIMEOUT_MS);
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once("close", (c) => {
      clearTimeout(timer);
      resolve({ code: c, stdout: Buffer.concat(out).toString("utf8") });
    });
  });
  if (code !== 0) throw new ProbeError(REASONS.unreadable);
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    throw new ProbeError(REASONS.unreadable);
  }
  return parseProbeOutput(json);
}
