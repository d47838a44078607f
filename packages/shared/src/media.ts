/**
 * The media pipeline's shared vocabulary: video states, the HLS ladder, and the internal API the
 * origin uses to lease and report transcode jobs (docs/media-pipeline.md). Both the edge and the
 * origin import these, so the wire contract has one definition.
 */
import { z } from "zod";

export const VIDEO_STATUSES = [
  "awaiting_upload",
  "uploaded",
  "queued",
  "processing",
  "ready",
  "failed",
  "deleted",
] as const;
export type VideoStatus = (typeof VIDEO_STATUSES)[number];

export const VISIBILITIES = ["public", "unlisted", "private", "premium"] as const;
export type Visibility = (typeof VISIBILITIES)[number];

/** Segment length in seconds; the GOP is exactly this long so every rung cuts at the same frames. */
export const SEGMENT_SECONDS = 4;

/**
 * The first segments are this short (seconds each), then every segment is SEGMENT_SECONDS: a video is
 * playable once every rendition has its first segment, so a half-second first segment is out long
 * before a 4 s one (the encoders' start-up and lookahead are the rest). Every rung and the audio cut
 * at the same times (0.5, 1, 2, 6, 10, … s). Multiples of half a second: the origin's HLS muxer cuts
 * the audio every half second and joins those pieces.
 */
export const FIRST_SEGMENTS_SECONDS: readonly number[] = [0.5, 0.5, 1];

export interface Rung {
  name: string;
  height: number;
  /** Target average video bitrate, kbit/s. */
  videoKbps: number;
  /** VBV cap (maxrate), kbit/s; bufsize is twice this. */
  maxKbps: number;
}

/** The full ladder, tallest first. Bitrates are H.264 figures in line with common VOD ladders. */
export const LADDER: readonly Rung[] = [
  { name: "2160p", height: 2160, videoKbps: 14000, maxKbps: 16800 },
  { name: "1440p", height: 1440, videoKbps: 8000, maxKbps: 9600 },
  { name: "1080p", height: 1080, videoKbps: 5000, maxKbps: 6000 },
  { name: "720p", height: 720, videoKbps: 2800, maxKbps: 3360 },
  { name: "480p", height: 480, videoKbps: 1400, maxKbps: 1680 },
  { name: "360p", height: 360, videoKbps: 800, maxKbps: 960 },
  { name: "240p", height: 240, videoKbps: 400, maxKbps: 480 },
];

export const AUDIO_KBPS = 128;

/** Rungs for a source: every rung at or below its height, never upscaling; at least the smallest. */
export function planLadder(sourceHeight: number): Rung[] {
  const fitting = LADDER.filter((r) => r.height <= sourceHeight);
  return fitting.length > 0 ? fitting : [LADDER[LADDER.length - 1] as Rung];
}

/** Relative paths of a video's outputs under `videos/{videoId}/` in storage. */
export const OUTPUT_PATH =
  /^(hls\/(master\.m3u8|audio\/[a-z0-9_.-]+|[0-9]{3,4}p\/[a-z0-9_.-]+)|thumbs\/[a-z0-9_.-]+\.jpg|storyboard\/[a-z0-9_.-]+\.(jpg|vtt)|mp4\/[a-z0-9_-]+\.mp4)$/;

/**
 * What a job makes. `content`: the full ladder, thumbnails and storyboard. `ad`: an advertiser's
 * creative made to splice into any content ladder (docs/ads.md): the same codec, profile and segment
 * length, LADDER rungs up to AD_MAX_HEIGHT, AAC 48 kHz stereo always (silence when the source has
 * none), plus one progressive MP4 (`mp4/ad.mp4`) for VAST players that want a file.
 */
export const JOB_KINDS = ["content", "ad"] as const;
export type JobKind = (typeof JOB_KINDS)[number];
/** The tallest rung of an ad ladder: taller content rungs get this one (free viewers stop at 720p anyway). */
export const AD_MAX_HEIGHT = 1080;
/** The creative's progressive file, under `videos/{videoId}/`. */
export const AD_MP4_PATH = "mp4/ad.mp4";
/** The progressive MP4 is made of the tallest ad rung at or below this (else the smallest): small enough for any VAST player. */
export const AD_MP4_MAX_HEIGHT = 720;

// ---- internal API (origin → edge), bearer ORIGIN_TOKEN ----

export const LeaseRequest = z.strictObject({ workerId: z.string().min(1).max(100) });

export const LeasedJob = z.object({
  id: z.string(),
  videoId: z.string(),
  leaseToken: z.string(),
  leaseExpiresAt: z.number().int(),
  attempt: z.number().int(),
  /** Absent from edges older than ads: content. */
  kind: z.enum(JOB_KINDS).default("content"),
  source: z.object({
    url: z.string(),
    size: z.number().int(),
    contentType: z.string(),
    /**
     * The source's storage ETag as upload-complete checked it. The signed URL serves only that
     * version; the origin sends `If-Match: "{etag}"` (R2 presigned GETs sign that header) and
     * treats 412 as "the source changed after upload-complete". Absent for jobs queued before
     * sources were pinned.
     */
    etag: z.string().optional(),
  }),
  limits: z.object({
    maxDurationSeconds: z.number(),
    maxWidth: z.number().int(),
    maxHeight: z.number().int(),
    maxBytes: z.number().int(),
  }),
});
export type LeasedJob = z.infer<typeof LeasedJob>;

export const HeartbeatRequest = z.strictObject({
  leaseToken: z.string().min(1).max(200),
  /** 0–100 over the whole job. */
  progress: z.number().min(0).max(100),
  /** True once the first segments of every rung and the master playlist are stored. */
  playable: z.boolean().default(false),
  stage: z.enum(["downloading", "probing", "transcoding", "uploading", "finishing"]).optional(),
});

export const OutputsRequest = z.strictObject({
  leaseToken: z.string().min(1).max(200),
  files: z
    .array(
      z.strictObject({
        path: z.string().regex(OUTPUT_PATH, "not an allowed output path"),
        contentType: z.string().min(1).max(100),
        /** Exact byte length of the body the origin will PUT, so the edge can sign it (X-Length). */
        size: z.number().int().nonnegative().optional(),
      }),
    )
    .min(1)
    .max(200),
});

/** The answer to `POST /internal/jobs/{jobId}/heartbeat` (200). */
export const HeartbeatResponse = z.object({ leaseExpiresAt: z.number().int() });

export const SignedOutput = z.object({
  path: z.string(),
  url: z.string(),
  method: z.literal("PUT"),
  headers: z.record(z.string(), z.string()),
});
export type SignedOutput = z.infer<typeof SignedOutput>;

/** The answer to `POST /internal/jobs/{jobId}/outputs` (200): one signed PUT per requested file. */
export const OutputsResponse = z.object({ urls: z.array(SignedOutput) });

export const RenditionInfo = z.object({
  name: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  bandwidth: z.number().int(),
  codecs: z.string(),
});
export type RenditionInfo = z.infer<typeof RenditionInfo>;

export const CompleteRequest = z.strictObject({
  leaseToken: z.string().min(1).max(200),
  result: z.strictObject({
    durationMs: z.number().int().nonnegative(),
    width: z.number().int().positive(),
    height: z.number().int().positive(),
    renditions: z.array(RenditionInfo).min(1),
    /** Media segments stored across every rendition (video rungs and audio), init segments excluded. */
    segmentCount: z.number().int().positive(),
  }),
});

export const FailRequest = z.strictObject({
  leaseToken: z.string().min(1).max(200),
  reason: z.string().min(1).max(500),
  /** false for problems with the source itself (not a video, too long): no further attempts. */
  retryable: z.boolean(),
});

export const ReleaseRequest = z.strictObject({ leaseToken: z.string().min(1).max(200) });
