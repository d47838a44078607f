// ffprobe the source and check it against the lease's limits. Any problem with the file itself
// becomes a ProbeError whose message is the job's non-retryable `failed` reason, written for the
// creator. Uses node:child_process (not Bun.spawn) so the tests can run it under Node.
//
// The source is read where it is stored, through the lease's signed URL with HTTP Range requests
// (no local copy: time to playable does not grow with the file's size), or, in tests and benches,
// from a local file.
//
// The source is untrusted bytes. Several ffmpeg demuxers read *other* files or URLs named inside the
// input (hls, dash, concat, image2 patterns, …): an "upload" that is an HLS playlist naming
// file:/etc/… or http://169.254.169.254/… would have the origin fetch and publish what it names. So
// every ffprobe/ffmpeg that reads the source gets `-format_whitelist` (only demuxers that read one
// self-contained file) and a `-protocol_whitelist` of exactly what the source's own URL needs
// (`https,tls,tcp`; `http,tcp` only for a local http edge; `file` for a local path) — the first look
// too, which is what decides the format: ffmpeg checks the whitelist after guessing the format from
// the first bytes and before the demuxer reads its header, so a refused demuxer never opens anything.
// Later runs force that format with `-f`. An allowed demuxer never opens another URL (mov's drefs
// stay off), and the http protocol follows no redirect (max_redirects 0), so the only URL ever
// fetched is the signed one the edge leased.
import { spawn } from "node:child_process";
import { stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import type { LeasedJob } from "@marquee/shared";
import { z } from "zod";
import { mediaToolEnv, withoutUrls } from "./ffmpeg";

/**
 * The demuxers a source may be read with (ffmpeg's short names): real containers that hold their
 * media themselves. `mov` covers mp4/m4v/3gp (its external data references stay off), `matroska`
 * covers webm. Audio-only formats are left out: a source must have a video stream anyway.
 */
export const SOURCE_FORMATS = ["mov", "matroska", "avi", "mpegts", "flv", "ogg"] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

/** ffprobe's `format_name` (the demuxer's full name) → the short name to force with `-f`. */
const FORMAT_BY_NAME: Readonly<Record<string, SourceFormat>> = {
  "mov,mp4,m4a,3gp,3g2,mj2": "mov",
  "matroska,webm": "matroska",
  avi: "avi",
  mpegts: "mpegts",
  flv: "flv",
  ogg: "ogg",
};

/**
 * Where the source is read from: a local path (tests, benches), or the lease's signed URL (already
 * checked by sourceUrl in edge-client.ts: http(s) only, http only for a local http edge) with the
 * pinned ETag the URL serves.
 */
export type SourceRef = string | HttpSource;
export interface HttpSource {
  url: string;
  /** Unquoted; sent as If-Match (R2's presigned GETs sign that header; the local edge checks it). */
  etag?: string;
}

/** An ETag we put in a header: visible ASCII, no quote or backslash (so no header injection). */
const SAFE_ETAG = /^[\x21\x23-\x5b\x5d-\x7e]{1,200}$/;

/**
 * Protocols and options for reading `src`. For a URL: the whitelist is its own scheme and what that
 * scheme opens underneath (https → tls → tcp; http → tcp), nothing else: no file, no data, no
 * crypto/subfile/concat wrappers, no httpproxy.
 */
export function sourceProtocolArgs(src: SourceRef): { args: string[]; input: string } {
  if (typeof src === "string") {
    // The path as a `file:` URL: a path is never read as another protocol.
    return { args: ["-protocol_whitelist", "file"], input: `file:${src}` };
  }
  const url = new URL(src.url);
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new Error(`the source URL must be http(s), not ${url.protocol}`);
  }
  const protocols = url.protocol === "https:" ? "https,tls,tcp" : "http,tcp";
  const args = [
    "-protocol_whitelist",
    protocols,
    // Our storage never redirects: a redirect would be the only way to another URL. Refuse it.
    "-max_redirects",
    "0",
    // A hung connection must fail the read (and the job, which is retried), not stall it forever
    // while the heartbeats keep the lease alive. Microseconds.
    "-rw_timeout",
    "30000000",
    // The ladder reads one response for minutes: a dropped connection or a passing 5xx resumes at
    // the same offset with a new Range request instead of failing the job (1, 2, 4, 8, 16 s apart).
    // Never on 4xx: 403 (URL expired) and 412 (source changed) are final.
    "-reconnect",
    "1",
    "-reconnect_on_network_error",
    "1",
    "-reconnect_on_http_error",
    "5xx",
    "-reconnect_delay_max",
    "16",
    // No ICY (SHOUTcast) metadata: nothing to ask for, nothing more of the answer to parse.
    "-icy",
    "0",
    "-user_agent",
    "marquee-origin",
  ];
  // ffmpeg's TLS does not check the peer's certificate unless told to (gnutls: against the system's
  // CA store, ca-certificates in the image): without it anyone on the path could serve the bytes.
  if (url.protocol === "https:") args.push("-tls_verify", "1");
  // Seeking needs nothing more: ffmpeg learns it may seek from the 206 to its first `Range: bytes=0-`
  // (forcing `-seekable 1` would misread a server that ignores Range), and seeks with new ranges.
  if (src.etag !== undefined) {
    if (!SAFE_ETAG.test(src.etag)) throw new Error("the source ETag is not a plain token");
    args.push("-headers", `If-Match: "${src.etag}"\r\n`);
  }
  return { args, input: src.url };
}

/**
 * Input options + `-i` for reading the source with `format` and nothing else: one demuxer, the
 * source's own protocols only (sourceProtocolArgs).
 */
export function sourceInputArgs(src: SourceRef, format: SourceFormat): string[] {
  const { args: protocol, input } = sourceProtocolArgs(src);
  const args = ["-f", format, "-format_whitelist", format, ...protocol];
  // Off by default; said explicitly because a dref is exactly "open another file".
  if (format === "mov") args.push("-enable_drefs", "0");
  args.push("-i", input);
  return args;
}

export interface ProbeInfo {
  /** The demuxer every later read of the source is forced to. */
  format: SourceFormat;
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

const ACCEPTED = "MP4, MOV, MKV, WebM, AVI, MPEG-TS, FLV or Ogg";

/** Image demuxers: a single picture renamed to .mp4 probes as a "video" stream without a duration. */
const STILL_FORMATS = /(^|,)(image2|apng|gif|webp|\w+_pipe)(,|$)/;

/** Demuxers that read other files or URLs named in the input, by what a creator would call them. */
const REFERENCE_FORMATS: Readonly<Record<string, string>> = {
  hls: "an HLS playlist",
  applehttp: "an HLS playlist",
  dash: "a DASH manifest",
  concat: "an ffconcat script",
};

/** The failed reason for a file ffmpeg recognised as `demuxer`, which is not on the allow-list. */
export function refusedFormatReason(demuxer: string): string {
  const kind = REFERENCE_FORMATS[demuxer];
  if (kind) return `the file is ${kind}, not a video file; upload the video file itself`;
  if (STILL_FORMATS.test(demuxer)) return REASONS.stillImage;
  return `the file's format (${demuxer}) is not one we accept; upload a video file (${ACCEPTED})`;
}

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

/** Turns `ffprobe -print_format json -show_streams -show_format` output into ProbeInfo. */
export function parseProbeOutput(json: unknown): ProbeInfo {
  const parsed = FfprobeOutput.safeParse(json);
  if (!parsed.success) throw new ProbeError(REASONS.unreadable);
  const { streams, format } = parsed.data;
  // Only a whitelisted demuxer can have produced this, but the format forced on every later read
  // comes from here, so anything else is refused rather than guessed.
  const sourceFormat = FORMAT_BY_NAME[format?.format_name ?? ""];
  if (!sourceFormat) {
    throw new ProbeError(format?.format_name ? refusedFormatReason(format.format_name) : REASONS.unreadable);
  }
  const video = streams.find((s) => s.codec_type === "video" && s.disposition?.attached_pic !== 1);
  // An audio file's cover art is a "video" stream with attached_pic: still no video.
  if (!video) throw new ProbeError(streams.length === 0 ? REASONS.unreadable : REASONS.noVideo);
  if (!video.width || !video.height) throw new ProbeError(REASONS.unreadable);

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
    format: sourceFormat,
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

/** The first look: only whitelisted demuxers, only the source's own protocols, only this one input. */
export function probeArgs(src: SourceRef): string[] {
  const { args: protocol, input } = sourceProtocolArgs(src);
  return [
    "-v",
    "error",
    "-format_whitelist",
    SOURCE_FORMATS.join(","),
    ...protocol,
    "-print_format",
    "json",
    "-show_streams",
    "-show_format",
    input,
  ];
}

/** "[hls @ 0x55…] Format not on whitelist '…'": the demuxer ffmpeg recognised and refused. */
export function refusedDemuxer(stderr: string): string | null {
  return /\[([\w,]+) @ [^\]]*\] Format not on whitelist/.exec(stderr)?.[1] ?? null;
}

/** What ffmpeg's http/tls/tcp protocols print when the transfer, not the file, failed. */
const NETWORK_FAILURE =
  /Server returned|Connection (?:refused|reset|timed out)|timed out|Failed to resolve|Network is unreachable|Error in the pull function|TLS|handshake/i;

/**
 * Runs ffprobe on the source (see probeArgs) from `cwd` (default the OS temp dir: nothing of the
 * job's). Throws ProbeError for empty, unreadable or refused files. `size` is the source's byte count
 * when known (a URL's, from edge-client's checkSource); a local path is stat'ed.
 */
export async function probeFile(
  src: SourceRef,
  options: { signal?: AbortSignal; timeoutMs?: number; size?: number; cwd?: string } = {},
): Promise<ProbeInfo> {
  const size = options.size ?? (typeof src === "string" ? (await stat(src)).size : undefined);
  if (size === 0) throw new ProbeError(REASONS.empty);
  const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn("ffprobe", probeArgs(src), {
        cwd: options.cwd ?? tmpdir(),
        env: mediaToolEnv(),
        stdio: ["ignore", "pipe", "pipe"],
        signal: options.signal,
      });
      const out: Buffer[] = [];
      let err = "";
      child.stdout.on("data", (d: Buffer) => out.push(d));
      child.stderr.setEncoding("utf8");
      child.stderr.on("data", (d: string) => {
        err = (err + d).slice(-4096);
      });
      const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? PROBE_TIMEOUT_MS);
      child.once("error", (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.once("close", (c) => {
        clearTimeout(timer);
        resolve({ code: c, stdout: Buffer.concat(out).toString("utf8"), stderr: err });
      });
    },
  );
  if (code !== 0) {
    const refused = refusedDemuxer(stderr);
    if (refused) throw new ProbeError(refusedFormatReason(refused));
    // Read over the network, a failure may be the network's (a reset, a timeout, a 5xx after the
    // retries, our own time limit): a retryable error, never "not a media file" for good.
    if (typeof src !== "string" && (code === null || NETWORK_FAILURE.test(stderr))) {
      throw new Error(
        `ffprobe could not read the source over HTTP: ${withoutUrls(stderr).trim().slice(-300)}`,
      );
    }
    throw new ProbeError(REASONS.unreadable);
  }
  let json: unknown;
  try {
    json = JSON.parse(stdout);
  } catch {
    throw new ProbeError(REASONS.unreadable);
  }
  return parseProbeOutput(json);
}
