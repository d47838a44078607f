/**
 * Analytics vocabularies shared by the edge (beacons, rollups, API), the web client (player beacons,
 * dashboards) and the scripts (seed:scale). Plain constants: the browser bundle takes no zod from here.
 * Definitions of every metric: docs/analytics.md.
 */

/**
 * Where a view came from. `feed` views also name the home row's reason type (the feed's
 * REASON_TYPES, apps/edge/src/feed/schemas.ts) in the beacon's `feedRow`; the rollups keep it as
 * `feed:<reason>`.
 */
export const TRAFFIC_SOURCES = ["feed", "search", "channel", "external", "embed", "direct", "other"] as const;
export type TrafficSource = (typeof TRAFFIC_SOURCES)[number];

/** The request's device class, from its User-Agent (analytics/device.ts). */
export const DEVICE_CLASSES = ["desktop", "mobile", "tablet", "tv", "bot", "other"] as const;
export type DeviceClass = (typeof DEVICE_CLASSES)[number];

/** hls.js fatal error types (Hls.ErrorTypes), plus `mediaElementError` for the <video>'s own error. */
export const PLAYBACK_ERROR_TYPES = [
  "networkError",
  "mediaError",
  "keySystemError",
  "muxError",
  "otherError",
  "mediaElementError",
] as const;
export type PlaybackErrorType = (typeof PLAYBACK_ERROR_TYPES)[number];

/**
 * A rendition label as the ladder names it: the height with a "p" ("720p"), or "audio". Only the
 * heights the transcoder makes: LADDER's (media.ts; ads use its rungs up to 1080p), and the one
 * rung of a source shorter than 240 px, at its own even height from 100 to 238
 * (apps/origin-transcoder/src/ladder.ts ladderFor). Keep in step with both.
 */
export const RENDITION_PATTERN = /^(?:(?:240|360|480|720|1080|1440|2160)p|(?:1\d|2[0-3])[02468]p|audio)$/;

/** Bucket sizes of the API's series. */
export const ANALYTICS_GRAINS = ["hour", "day"] as const;
export type AnalyticsGrain = (typeof ANALYTICS_GRAINS)[number];
/**
 * Bucket sizes the rollups store: the series' grains, and months, which only cover the whole months
 * inside a long range so a year's totals and breakdowns read 12 buckets, not 365.
 */
export const ANALYTICS_STORED_GRAINS = ["hour", "day", "month"] as const;
export type AnalyticsStoredGrain = (typeof ANALYTICS_STORED_GRAINS)[number];

/** The dimensions the rollups break figures down by (analytics_dims.dim). */
export const ANALYTICS_DIMS = ["source", "country", "device", "player", "rendition"] as const;
export type AnalyticsDim = (typeof ANALYTICS_DIMS)[number];

/** Rollup scopes: one video, one channel (all its videos), the whole platform. */
export const ANALYTICS_SCOPES = ["video", "channel", "platform"] as const;
export type AnalyticsScope = (typeof ANALYTICS_SCOPES)[number];

/** A view with at least this much played is an "engaged view". */
export const ENGAGED_VIEW_MS = 30_000;
/** Audience retention is sampled at 0 %, 1 %, … 99 % of the duration. */
export const RETENTION_POINTS = 100;

/** Longest range one analytics request may cover, per grain. */
export const MAX_RANGE_MS: Record<AnalyticsGrain, number> = {
  hour: 31 * 86_400_000,
  day: 400 * 86_400_000,
};
/** The range when the request names none: the last 28 days (YouTube Studio's default). */
export const DEFAULT_RANGE_DAYS = 28;
