/**
 * The reads behind the analytics API: one scope's rollup rows over a range, as drizzle queries the
 * service sends in ONE `db.batch` (one round trip to D1).
 *
 * Two kinds of read. The series reads the range's own buckets (its grain), scalar columns only: each
 * point's unique viewers and startup median were estimated when the row was written (`viewers`,
 * `startup_median_ms`), so no sketch or histogram travels per point. Everything summed over the range
 * (totals, breakdowns, startup percentiles, retention, unique viewers) reads the range's cover instead
 * (range.ts coverOf: whole months as month rows, then days, then hours), which holds the same figures
 * in a few dozen buckets rather than hundreds. Dimension figures and histograms are summed in SQL;
 * what SQL cannot merge (sketches, retention arrays) comes back per cover bucket.
 */
import type { AnalyticsScope } from "@marquee/shared";
import { and, desc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import { type SQLiteColumn, unionAll } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client";
import { analyticsDims, analyticsPeriods, analyticsStartup, videos } from "../db/schema";
import { type AnalyticsRange, type CoverSegment, coverOf } from "./range";

export interface ScopeKey {
  scope: AnalyticsScope;
  /** The video's or channel's id; "" for the platform. */
  scopeId: string;
}

type Table = typeof analyticsPeriods | typeof analyticsDims | typeof analyticsStartup;

/** The rows of one scope, one grain and the range's buckets: a prefix of every table's primary key. */
const inRange = (t: Table, key: ScopeKey, range: AnalyticsRange) =>
  and(
    eq(t.scope, key.scope),
    eq(t.scopeId, key.scopeId),
    eq(t.grain, range.grain),
    gte(t.start, range.from),
    lt(t.start, range.to),
  );

/** One cover segment's buckets: a range of the primary key (scope, scope_id, grain, start). */
const inSegment = (t: Table, s: CoverSegment) =>
  and(eq(t.grain, s.grain), gte(t.start, s.from), lt(t.start, s.to));

/** The scope's rows of one cover segment: one range of the primary key. */
const inScopeSegment = (t: Table, key: ScopeKey, s: CoverSegment) =>
  and(eq(t.scope, key.scope), eq(t.scopeId, key.scopeId), inSegment(t, s));

/**
 * One read per cover segment, as one statement (UNION ALL), for the caller to sum over. Not one
 * WHERE with the segments OR-ed: SQLite then seeks only (scope, scope_id) and scans every grain's rows
 * of the scope (1.5 M histogram rows for a busy video's year: 133 ms, bench/analytics.ts), where each
 * arm of the union seeks its own key range. At most 5 segments × 10 bound parameters.
 */
function overCover<Q>(cover: CoverSegment[], arm: (segment: CoverSegment) => Q): Q {
  const [first, ...rest] = cover.map(arm);
  // coverOf never answers an empty cover; a union needs two arms. Every arm selects the same columns,
  // so the union has Q's rows (drizzle's own union types want the arms spelled out, not a list).
  const union = unionAll as unknown as (...arms: Q[]) => Q;
  return first !== undefined && rest.length > 0 ? union(first, ...rest) : (first as Q);
}

const total = (column: SQLiteColumn) => sql<number>`coalesce(sum(${column}), 0)`.mapWith(Number);

/** Each bucket of the range at its grain, oldest first: the series' points, scalars only. */
function seriesRows(db: Db, key: ScopeKey, range: AnalyticsRange) {
  const p = analyticsPeriods;
  return db
    .select({
      start: p.start,
      views: p.views,
      engagedViews: p.engagedViews,
      viewers: p.viewers,
      watchMs: p.watchMs,
      startupMedianMs: p.startupMedianMs,
      failedViews: p.failedViews,
      rebufferMs: p.rebufferMs,
      computedAt: p.computedAt,
    })
    .from(p)
    .where(inRange(p, key, range))
    .orderBy(p.start);
}

/** The cover's headline rows: summed in the worker, with their sketches merged and retention added. */
function coverRows(db: Db, key: ScopeKey, cover: CoverSegment[]) {
  const p = analyticsPeriods;
  return overCover(cover, (segment) =>
    db
      .select({
        views: p.views,
        engagedViews: p.engagedViews,
        watchMs: p.watchMs,
        startedViews: p.startedViews,
        exitsBeforeStart: p.exitsBeforeStart,
        failedViews: p.failedViews,
        rebufferCount: p.rebufferCount,
        rebufferMs: p.rebufferMs,
        viewersHll: p.viewersHll,
        // Only video rows keep retention; channel and platform rows hold null, so nothing to skip.
        retention: p.retention,
        computedAt: p.computedAt,
      })
      .from(p)
      .where(inScopeSegment(p, key, segment)),
  );
}

/** Per dimension value, its figures summed over the cover. */
function dimSums(db: Db, key: ScopeKey, cover: CoverSegment[]) {
  const d = analyticsDims;
  const rows = overCover(cover, (segment) =>
    db
      .select({
        dim: d.dim,
        value: d.value,
        views: d.views,
        watchMs: d.watchMs,
        startedViews: d.startedViews,
        exitsBeforeStart: d.exitsBeforeStart,
        failedViews: d.failedViews,
        rebufferCount: d.rebufferCount,
        rebufferMs: d.rebufferMs,
      })
      .from(d)
      .where(inScopeSegment(d, key, segment)),
  ).as("rows");
  return db
    .select({
      dim: rows.dim,
      value: rows.value,
      views: total(rows.views),
      watchMs: total(rows.watchMs),
      startedViews: total(rows.startedViews),
      exitsBeforeStart: total(rows.exitsBeforeStart),
      failedViews: total(rows.failedViews),
      rebufferCount: total(rows.rebufferCount),
      rebufferMs: total(rows.rebufferMs),
    })
    .from(rows)
    .groupBy(rows.dim, rows.value);
}

/**
 * The whole scope's startup histogram ("" dim and value) summed over the cover. `start IN (the
 * segment's period rows)` rather than a range on `start`: a startup row exists only beside its
 * bucket's period row (bucketRows writes both), and the IN list lets SQLite seek straight to each
 * bucket's ("", "") rows through the primary key, skipping the far more numerous rows of the other
 * dimensions' histograms that a range scan steps over.
 */
function scopeStartup(db: Db, key: ScopeKey, cover: CoverSegment[]) {
  const s = analyticsStartup;
  const p = analyticsPeriods;
  const rows = overCover(cover, (segment) =>
    db
      .select({ bucket: s.bucket, count: s.count })
      .from(s)
      .where(
        and(
          eq(s.scope, key.scope),
          eq(s.scopeId, key.scopeId),
          eq(s.grain, segment.grain),
          inArray(
            s.start,
            db
              .select({ start: p.start })
              .from(p)
              .where(inScopeSegment(p, key, segment)),
          ),
          eq(s.dim, ""),
          eq(s.value, ""),
        ),
      ),
  ).as("rows");
  return db
    .select({ bucket: rows.bucket, count: total(rows.count) })
    .from(rows)
    .groupBy(rows.bucket);
}

/**
 * The startup histograms of `dims` (never "": see scopeStartup) summed over the cover: one per
 * (dim, value), whose quantiles are those of every startup in the range (histogram.ts). An empty
 * `dims` reads nothing.
 */
function dimStartup(db: Db, key: ScopeKey, cover: CoverSegment[], dims: readonly string[]) {
  const s = analyticsStartup;
  // Without dims, one arm that reads nothing is enough.
  const rows = overCover(dims.length ? cover : cover.slice(0, 1), (segment) =>
    db
      .select({ dim: s.dim, value: s.value, bucket: s.bucket, count: s.count })
      .from(s)
      .where(dims.length ? and(inScopeSegment(s, key, segment), inArray(s.dim, [...dims])) : sql`0`),
  ).as("rows");
  return db
    .select({ dim: rows.dim, value: rows.value, bucket: rows.bucket, count: total(rows.count) })
    .from(rows)
    .groupBy(rows.dim, rows.value, rows.bucket);
}

/** The five reads of one scope (startup breakdowns by `startupDims`), to be sent in one batch (with any reads of the caller's own). */
export function scopeQueries(db: Db, key: ScopeKey, range: AnalyticsRange, startupDims: readonly string[]) {
  const cover = coverOf(range);
  return [
    seriesRows(db, key, range),
    coverRows(db, key, cover),
    dimSums(db, key, cover),
    scopeStartup(db, key, cover),
    dimStartup(db, key, cover, startupDims),
  ] as const;
}

export type SeriesRow = Awaited<ReturnType<typeof seriesRows>>[number];
export type CoverRow = Awaited<ReturnType<typeof coverRows>>[number];
export type DimSums = Awaited<ReturnType<typeof dimSums>>[number];
export type StartupCount = Awaited<ReturnType<typeof dimStartup>>[number];
export type HistogramCount = Awaited<ReturnType<typeof scopeStartup>>[number];

export interface ScopeRows {
  /** The range's buckets at its grain. */
  series: SeriesRow[];
  /** The cover's buckets (range.ts coverOf). */
  cover: CoverRow[];
  dims: DimSums[];
  /** The whole scope's histogram, summed over the cover. */
  startup: HistogramCount[];
  /** The breakdowns' histograms, summed over the cover. */
  dimStartup: StartupCount[];
}

/**
 * A channel's most viewed videos over the range, from its videos' cover rows (which carry
 * `channel_id`, analytics_periods_channel_idx), with their titles.
 */
export function topVideoRows(db: Db, channelId: string, range: AnalyticsRange, limit: number) {
  const p = analyticsPeriods;
  const rows = overCover(coverOf(range), (segment) =>
    db
      .select({ videoId: p.scopeId, views: p.views, watchMs: p.watchMs })
      .from(p)
      .where(and(eq(p.channelId, channelId), inSegment(p, segment), eq(p.scope, "video"))),
  ).as("rows");
  const views = total(rows.views);
  return db
    .select({ videoId: rows.videoId, title: videos.title, views, watchMs: total(rows.watchMs) })
    .from(rows)
    .innerJoin(videos, eq(videos.id, rows.videoId))
    .groupBy(rows.videoId)
    .orderBy(desc(views), rows.videoId)
    .limit(limit);
}
export type TopVideoRow = Awaited<ReturnType<typeof topVideoRows>>[number];
