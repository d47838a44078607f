/**
 * The reads behind the analytics API: one scope's rollup rows over a range, as drizzle queries the
 * service sends in ONE `db.batch` (one round trip to D1). Dimension figures are summed in SQL (one
 * row per value); what SQL cannot merge (HyperLogLog sketches, retention arrays) comes back per
 * bucket, and so do the scope's startup histograms, whose per-bucket medians and range quantiles the
 * worker takes in one pass (cheaper than a window function and a GROUP BY over the same rows).
 */
import type { AnalyticsScope } from "@marquee/shared";
import { and, desc, eq, gte, inArray, lt, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client";
import { analyticsDims, analyticsPeriods, analyticsStartup, videos } from "../db/schema";
import type { AnalyticsRange } from "./range";

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

const total = (column: SQLiteColumn) => sql<number>`coalesce(sum(${column}), 0)`.mapWith(Number);

/** Each bucket's headline row, oldest first. */
function periodRows(db: Db, key: ScopeKey, range: AnalyticsRange) {
  const p = analyticsPeriods;
  return db
    .select({
      start: p.start,
      views: p.views,
      engagedViews: p.engagedViews,
      watchMs: p.watchMs,
      startedViews: p.startedViews,
      exitsBeforeStart: p.exitsBeforeStart,
      failedViews: p.failedViews,
      rebufferCount: p.rebufferCount,
      rebufferMs: p.rebufferMs,
      viewersHll: p.viewersHll,
      retention: p.retention,
      durationMs: p.durationMs,
      computedAt: p.computedAt,
    })
    .from(p)
    .where(inRange(p, key, range))
    .orderBy(p.start);
}

/** Per dimension value, its figures summed over the range. */
function dimSums(db: Db, key: ScopeKey, range: AnalyticsRange) {
  const d = analyticsDims;
  return db
    .select({
      dim: d.dim,
      value: d.value,
      views: total(d.views),
      watchMs: total(d.watchMs),
      startedViews: total(d.startedViews),
      exitsBeforeStart: total(d.exitsBeforeStart),
      failedViews: total(d.failedViews),
      rebufferCount: total(d.rebufferCount),
      rebufferMs: total(d.rebufferMs),
    })
    .from(d)
    .where(inRange(d, key, range))
    .groupBy(d.dim, d.value);
}

/**
 * The whole scope's startup histogram rows ("" dim and value), per bucket of the range: the series'
 * medians and the range's quantiles are both computed from them in the worker (one pass, no sort in
 * SQL). `start IN (the range's period rows)` rather than a range on `start`: a startup row exists only
 * beside its bucket's period row (bucketRows writes both), and the IN list lets SQLite seek straight
 * to each bucket's ("", "") rows through the primary key, skipping the far more numerous rows of the
 * other dimensions' histograms that a range scan steps over (bench/analytics.ts, with the one string
 * per bucket below: a year's request went from 300 to 121 ms).
 */
function scopeStartup(db: Db, key: ScopeKey, range: AnalyticsRange) {
  const s = analyticsStartup;
  const p = analyticsPeriods;
  const buckets = db
    .select({ start: p.start })
    .from(p)
    .where(inRange(p, key, range));
  return (
    db
      // One row per bucket, its histogram as "bucket,count;…": a year of day buckets holds tens of
      // thousands of histogram rows, and shipping them one by one from D1 cost more than the query.
      .select({
        start: s.start,
        histogram: sql<string>`group_concat(${s.bucket} || ',' || ${s.count}, ';')`,
      })
      .from(s)
      .where(
        and(
          eq(s.scope, key.scope),
          eq(s.scopeId, key.scopeId),
          eq(s.grain, range.grain),
          inArray(s.start, buckets),
          eq(s.dim, ""),
          eq(s.value, ""),
        ),
      )
      .groupBy(s.start)
  );
}

/**
 * The startup histograms of `dims` (never "": see scopeStartup) summed over the range: one per
 * (dim, value), whose quantiles are those of every startup in the range (histogram.ts). An empty
 * `dims` reads nothing.
 */
function dimStartup(db: Db, key: ScopeKey, range: AnalyticsRange, dims: readonly string[]) {
  const s = analyticsStartup;
  return db
    .select({ dim: s.dim, value: s.value, bucket: s.bucket, count: total(s.count) })
    .from(s)
    .where(dims.length ? and(inRange(s, key, range), inArray(s.dim, [...dims])) : sql`0`)
    .groupBy(s.dim, s.value, s.bucket);
}

/** The four reads of one scope (startup breakdowns by `startupDims`), to be sent in one batch (with any reads of the caller's own). */
export function scopeQueries(db: Db, key: ScopeKey, range: AnalyticsRange, startupDims: readonly string[]) {
  return [
    periodRows(db, key, range),
    dimSums(db, key, range),
    scopeStartup(db, key, range),
    dimStartup(db, key, range, startupDims),
  ] as const;
}

export type PeriodRow = Awaited<ReturnType<typeof periodRows>>[number];
export type DimSums = Awaited<ReturnType<typeof dimSums>>[number];
export type StartupRow = Awaited<ReturnType<typeof scopeStartup>>[number];
export type StartupCount = Awaited<ReturnType<typeof dimStartup>>[number];

export interface ScopeRows {
  periods: PeriodRow[];
  dims: DimSums[];
  /** The whole scope's histogram rows, per bucket of the series. */
  startup: StartupRow[];
  /** The breakdowns' histograms, summed over the range. */
  dimStartup: StartupCount[];
}

/**
 * A channel's most viewed videos over the range, from its videos' rows (which carry `channel_id`,
 * analytics_periods_channel_idx), with their titles.
 */
export function topVideoRows(db: Db, channelId: string, range: AnalyticsRange, limit: number) {
  const p = analyticsPeriods;
  const views = total(p.views);
  return db
    .select({ videoId: p.scopeId, title: videos.title, views, watchMs: total(p.watchMs) })
    .from(p)
    .innerJoin(videos, eq(videos.id, p.scopeId))
    .where(
      and(
        eq(p.channelId, channelId),
        eq(p.grain, range.grain),
        gte(p.start, range.from),
        lt(p.start, range.to),
        eq(p.scope, "video"),
      ),
    )
    .groupBy(p.scopeId)
    .orderBy(desc(views), p.scopeId)
    .limit(limit);
}
export type TopVideoRow = Awaited<ReturnType<typeof topVideoRows>>[number];
