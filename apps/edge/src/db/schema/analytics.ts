import type { AnalyticsDim, AnalyticsScope, AnalyticsStoredGrain } from "@marquee/shared";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Analytics rollups (docs/analytics.md). Every row is recomputed wholesale from the raw beacons
 * (playback_events) or from the rows it sums, never incremented: recomputing twice changes nothing.
 *
 * A row is one bucket: `scope` (video | channel | platform) × `scopeId` (the video's or channel's id,
 * "" for the platform) × `grain` (hour | day | month) × `start` (the bucket's first ms, UTC).
 */

/** (video, hour) whose raw beacons changed since their rollup: the rollup object drains these. */
export const analyticsDirty = sqliteTable(
  "analytics_dirty",
  {
    videoId: text("video_id").notNull(),
    /** The hour's first ms (UTC) of a beacon's occurredAt. */
    hour: integer("hour").notNull(),
    /** Bumped on every mark: the drain deletes only the version it computed (a newer mark stays). */
    version: integer("version").notNull().default(1),
    /** Failed recomputes of this mark in a row: a failing mark backs off and never blocks the others. */
    attempts: integer("attempts").notNull().default(0),
    /** Not before this time (ms): the backoff after a failed recompute. */
    retryAt: integer("retry_at").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.videoId, t.hour] })],
);

/** The headline figures of one bucket. */
export const analyticsPeriods = sqliteTable(
  "analytics_periods",
  {
    scope: text("scope").$type<AnalyticsScope>().notNull(),
    scopeId: text("scope_id").notNull(),
    grain: text("grain").$type<AnalyticsStoredGrain>().notNull(),
    start: integer("start").notNull(),
    /** Video rows: their channel (the channel's rows sum these). Null on channel and platform rows. */
    channelId: text("channel_id"),
    /** Play attempts (sessions with a `request` or a `start`). */
    views: integer("views").notNull().default(0),
    /** Views with at least ENGAGED_VIEW_MS played. */
    engagedViews: integer("engaged_views").notNull().default(0),
    watchMs: integer("watch_ms").notNull().default(0),
    /** Views that reached a first frame (they carry a startup time). */
    startedViews: integer("started_views").notNull().default(0),
    /** Views that left before a first frame, without a fatal error. */
    exitsBeforeStart: integer("exits_before_start").notNull().default(0),
    /** Views with a fatal playback error. */
    failedViews: integer("failed_views").notNull().default(0),
    rebufferCount: integer("rebuffer_count").notNull().default(0),
    rebufferMs: integer("rebuffer_ms").notNull().default(0),
    /** A HyperLogLog sketch of the viewers (profiles), serialised by analytics/rollup/hll.ts. */
    viewersHll: text("viewers_hll").notNull().default(""),
    /** estimate(viewersHll) when written: a series reads it without parsing a sketch per point. */
    viewers: integer("viewers").notNull().default(0),
    /** The bucket's own startup median (ms) when written; null: no startup. For series points. */
    startupMedianMs: integer("startup_median_ms"),
    /** Video rows: JSON array of RETENTION_POINTS counts (views watching at i % of the duration). */
    retention: text("retention"),
    /** The video's duration when the row was computed (video rows). */
    durationMs: integer("duration_ms"),
    computedAt: integer("computed_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.scope, t.scopeId, t.grain, t.start] }),
    // A channel's bucket sums its videos' rows of the same bucket.
    index("analytics_periods_channel_idx").on(t.channelId, t.grain, t.start),
    // The platform's bucket sums every channel row of the same bucket.
    index("analytics_periods_bucket_idx").on(t.scope, t.grain, t.start),
  ],
);

/** The same figures broken down by one dimension's value (traffic source, country, device, …). */
export const analyticsDims = sqliteTable(
  "analytics_dims",
  {
    scope: text("scope").$type<AnalyticsScope>().notNull(),
    scopeId: text("scope_id").notNull(),
    grain: text("grain").$type<AnalyticsStoredGrain>().notNull(),
    start: integer("start").notNull(),
    dim: text("dim").$type<AnalyticsDim>().notNull(),
    value: text("value").notNull(),
    channelId: text("channel_id"),
    views: integer("views").notNull().default(0),
    watchMs: integer("watch_ms").notNull().default(0),
    startedViews: integer("started_views").notNull().default(0),
    exitsBeforeStart: integer("exits_before_start").notNull().default(0),
    failedViews: integer("failed_views").notNull().default(0),
    rebufferCount: integer("rebuffer_count").notNull().default(0),
    rebufferMs: integer("rebuffer_ms").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.scope, t.scopeId, t.grain, t.start, t.dim, t.value] }),
    index("analytics_dims_channel_idx").on(t.channelId, t.grain, t.start),
    index("analytics_dims_bucket_idx").on(t.scope, t.grain, t.start),
  ],
);

/**
 * Startup times as a sparse histogram: `count` views whose startup fell in log bucket `bucket`
 * (analytics/rollup/histogram.ts). Sums across buckets, so medians and p90 merge exactly to the
 * bucket's resolution. dim = value = "" for the whole scope.
 */
export const analyticsStartup = sqliteTable(
  "analytics_startup",
  {
    scope: text("scope").$type<AnalyticsScope>().notNull(),
    scopeId: text("scope_id").notNull(),
    grain: text("grain").$type<AnalyticsStoredGrain>().notNull(),
    start: integer("start").notNull(),
    dim: text("dim").notNull(),
    value: text("value").notNull(),
    bucket: integer("bucket").notNull(),
    channelId: text("channel_id"),
    count: integer("count").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.scope, t.scopeId, t.grain, t.start, t.dim, t.value, t.bucket] }),
    index("analytics_startup_channel_idx").on(t.channelId, t.grain, t.start),
    index("analytics_startup_bucket_idx").on(t.scope, t.grain, t.start),
  ],
);
