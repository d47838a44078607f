/**
 * Turns a scope's rollup rows (query.ts) into the API's figures (schemas.ts). Pure: the tests feed
 * it rows and compare. Every percentage goes through `pct`, which answers 0 for an empty denominator.
 */

import type { z } from "@hono/zod-openapi";
import { type AnalyticsDim, RETENTION_POINTS } from "@marquee/shared";
import type { CoverRow, DimSums, ScopeRows, StartupCount } from "./query";
import { quantileOf } from "./rollup/histogram";
import { emptySketch, estimate, mergeInto, parseSketch } from "./rollup/hll";
import type {
  AnalyticsPoint,
  AudienceTotals,
  Breakdown,
  QoeBreakdown,
  QoeFigures,
  RetentionPoint,
} from "./schemas";

type Point = z.infer<typeof AnalyticsPoint>;
type Totals = z.infer<typeof AudienceTotals>;
type Qoe = z.infer<typeof QoeFigures>;
type BreakdownRow = z.infer<typeof Breakdown>;
type QoeRow = z.infer<typeof QoeBreakdown>;
type Retention = z.infer<typeof RetentionPoint>;

/** Countries past this many are summed into one `other` row. */
export const TOP_COUNTRIES = 10;
export const OTHER_COUNTRIES = "other";

/** part ÷ whole × 100, to 0.01; 0 when there is no whole (no views, no watch time). */
export function pct(part: number, whole: number): number {
  if (!(whole > 0)) return 0;
  return Math.round((part / whole) * 10_000) / 100;
}

const perView = (ms: number, views: number) => (views > 0 ? Math.round(ms / views) : 0);

/** The counters both tables share. */
interface Sums {
  views: number;
  watchMs: number;
  startedViews: number;
  exitsBeforeStart: number;
  failedViews: number;
  rebufferCount: number;
  rebufferMs: number;
}

export const iso = (ms: number) => new Date(ms).toISOString();

function qoeOf(s: Sums, histogram: Map<number, number> | undefined): Qoe {
  return {
    views: s.views,
    watchTimeMs: s.watchMs,
    startupTimeMedianMs: histogram ? quantileOf(histogram, 0.5) : null,
    startupTimeP90Ms: histogram ? quantileOf(histogram, 0.9) : null,
    rebufferPercentage: pct(s.rebufferMs, s.watchMs),
    rebufferCount: s.rebufferCount,
    playbackFailurePercentage: pct(s.failedViews, s.views),
    exitsBeforeStartPercentage: pct(s.exitsBeforeStart, s.views),
  };
}

/** The summed startup histograms of the breakdowns, by `${dim}\t${value}`. */
function histogramsOf(rows: StartupCount[]): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>();
  for (const r of rows) {
    const key = `${r.dim}\t${r.value}`;
    const h = out.get(key) ?? new Map<number, number>();
    out.set(key, h);
    h.set(r.bucket, (h.get(r.bucket) ?? 0) + r.count);
  }
  return out;
}

/** The range's figures of one scope, shaped once and picked from by each response. */
export interface ScopeFigures {
  totals: Totals;
  qoe: Qoe;
  series: Point[];
  /** When the newest rollup row in the range was computed. */
  computedAt: string | null;
  breakdown(dim: Exclude<AnalyticsDim, "rendition">): BreakdownRow[];
  qoeBreakdown(dim: AnalyticsDim): QoeRow[];
  retention(durationMs: number | null): Retention[];
}

const ZERO: Sums = {
  views: 0,
  watchMs: 0,
  startedViews: 0,
  exitsBeforeStart: 0,
  failedViews: 0,
  rebufferCount: 0,
  rebufferMs: 0,
};

function add(into: Sums, r: Sums): void {
  into.views += r.views;
  into.watchMs += r.watchMs;
  into.startedViews += r.startedViews;
  into.exitsBeforeStart += r.exitsBeforeStart;
  into.failedViews += r.failedViews;
  into.rebufferCount += r.rebufferCount;
  into.rebufferMs += r.rebufferMs;
}

/** Views desc, then watch time desc, then the value: a stable order for equal figures. */
const byViews = (a: Sums & { value: string }, b: Sums & { value: string }) =>
  b.views - a.views || b.watchMs - a.watchMs || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0);

/**
 * Retention counts summed over the rows that have them (rows made while the duration was unknown
 * have none and add nothing). The denominator is every view of the range, not only those of rows with
 * retention: a month row merges its days' counts and all their views (rollup/buckets.ts mergeBuckets),
 * so only "all views" gives the same answer however the range is covered (months, days or hours).
 */
function retentionCounts(periods: CoverRow[]): number[] {
  const counts = new Array<number>(RETENTION_POINTS).fill(0);
  for (const p of periods) {
    if (!p.retention) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(p.retention);
    } catch {
      continue; // an unreadable row is left out, never the whole answer
    }
    if (!Array.isArray(parsed)) continue;
    for (let i = 0; i < RETENTION_POINTS; i++) {
      const n = parsed[i];
      if (typeof n === "number" && Number.isFinite(n)) counts[i] = (counts[i] as number) + n;
    }
  }
  return counts;
}

export function scopeFigures(rows: ScopeRows): ScopeFigures {
  // Totals from the cover (range.ts coverOf): the same sums as the series' buckets, from fewer rows.
  const sums: Sums & { engagedViews: number } = { ...ZERO, engagedViews: 0 };
  const viewers = emptySketch();
  // The newest row read, whichever read it came from.
  let computedAt = Number.NEGATIVE_INFINITY;
  for (const c of rows.cover) {
    add(sums, c);
    sums.engagedViews += c.engagedViews;
    mergeInto(viewers, parseSketch(c.viewersHll));
    computedAt = Math.max(computedAt, c.computedAt);
  }
  const whole = new Map<number, number>();
  for (const r of rows.startup) if (r.count > 0) whole.set(r.bucket, (whole.get(r.bucket) ?? 0) + r.count);
  const series: Point[] = rows.series.map((p) => {
    computedAt = Math.max(computedAt, p.computedAt);
    return {
      start: iso(p.start),
      views: p.views,
      engagedViews: p.engagedViews,
      uniqueViewers: p.viewers,
      watchTimeMs: p.watchMs,
      averageViewDurationMs: perView(p.watchMs, p.views),
      startupTimeMedianMs: p.startupMedianMs,
      rebufferPercentage: pct(p.rebufferMs, p.watchMs),
      playbackFailurePercentage: pct(p.failedViews, p.views),
    };
  });
  const histograms = histogramsOf(rows.dimStartup);
  const dimsOf = (dim: AnalyticsDim): DimSums[] => rows.dims.filter((d) => d.dim === dim).sort(byViews);

  return {
    totals: {
      views: sums.views,
      engagedViews: sums.engagedViews,
      uniqueViewers: estimate(viewers),
      watchTimeMs: sums.watchMs,
      averageViewDurationMs: perView(sums.watchMs, sums.views),
    },
    qoe: qoeOf(sums, whole.size > 0 ? whole : undefined),
    series,
    computedAt: Number.isFinite(computedAt) ? iso(computedAt) : null,
    breakdown(dim) {
      let list = dimsOf(dim);
      if (dim === "country" && list.length > TOP_COUNTRIES) {
        const rest: Sums = { ...ZERO };
        for (const d of list.slice(TOP_COUNTRIES)) add(rest, d);
        list = [...list.slice(0, TOP_COUNTRIES), { ...rest, dim, value: OTHER_COUNTRIES }];
      }
      return list.map((d) => ({
        value: d.value,
        views: d.views,
        watchTimeMs: d.watchMs,
        share: pct(d.views, sums.views),
      }));
    },
    qoeBreakdown(dim) {
      return dimsOf(dim).map((d) => ({ value: d.value, ...qoeOf(d, histograms.get(`${dim}\t${d.value}`)) }));
    },
    retention(durationMs) {
      if (durationMs === null || !(durationMs > 0)) return [];
      return retentionCounts(rows.cover).map((count, i) => ({
        percent: i,
        positionMs: Math.floor((i * durationMs) / RETENTION_POINTS),
        audiencePercentage: pct(count, sums.views),
      }));
    },
  };
}
