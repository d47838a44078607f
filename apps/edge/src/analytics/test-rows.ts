/**
 * Rollup rows for the read API's tests and the bench, written straight to the tables' shape (not
 * through the rollup), so a test of the reads fails on the reads alone.
 */
import type { AnalyticsDim, AnalyticsScope, AnalyticsStoredGrain } from "@marquee/shared";
import type { analyticsDims, analyticsPeriods, analyticsStartup } from "../db/schema";
import { addSample, type Histogram, quantileOf } from "./rollup/histogram";
import { addToSketch, emptySketch, estimate, serialiseSketch } from "./rollup/hll";

export interface TestBucket {
  scope: AnalyticsScope;
  scopeId: string;
  grain: AnalyticsStoredGrain;
  start: number;
  channelId?: string | null;
  views: number;
  engagedViews?: number;
  watchMs: number;
  startedViews?: number;
  exitsBeforeStart?: number;
  failedViews?: number;
  rebufferCount?: number;
  rebufferMs?: number;
  viewers?: string[];
  retention?: number[] | null;
  durationMs?: number | null;
  computedAt?: number;
  /** Per dimension value: views and watch time (the QoE counters default to 0). */
  dims?: {
    dim: AnalyticsDim;
    value: string;
    views: number;
    watchMs: number;
    failedViews?: number;
    rebufferMs?: number;
  }[];
  /** Startup samples (ms) per `${dim}\t${value}` ("\t": the whole bucket). */
  startups?: Record<string, number[]>;
}

/** The median the rollup stores beside a bucket (startup_median_ms): null without samples. */
function medianOf(samples: number[] | undefined): number | null {
  if (!samples?.length) return null;
  const h: Histogram = new Map();
  for (const ms of samples) addSample(h, ms);
  return quantileOf(h, 0.5);
}

export function testRows(b: TestBucket) {
  const where = {
    scope: b.scope,
    scopeId: b.scopeId,
    grain: b.grain,
    start: b.start,
    channelId: b.channelId ?? null,
  };
  const viewers = emptySketch();
  for (const v of b.viewers ?? []) addToSketch(viewers, v);
  const period: typeof analyticsPeriods.$inferInsert = {
    ...where,
    views: b.views,
    engagedViews: b.engagedViews ?? 0,
    watchMs: b.watchMs,
    startedViews: b.startedViews ?? 0,
    exitsBeforeStart: b.exitsBeforeStart ?? 0,
    failedViews: b.failedViews ?? 0,
    rebufferCount: b.rebufferCount ?? 0,
    rebufferMs: b.rebufferMs ?? 0,
    viewersHll: serialiseSketch(viewers),
    viewers: estimate(viewers),
    startupMedianMs: medianOf(b.startups?.["\t"]),
    retention: b.retention ? JSON.stringify(b.retention) : null,
    durationMs: b.durationMs ?? null,
    computedAt: b.computedAt ?? b.start + 3_600_000,
  };
  const dims: (typeof analyticsDims.$inferInsert)[] = (b.dims ?? []).map((d) => ({
    ...where,
    dim: d.dim,
    value: d.value,
    views: d.views,
    watchMs: d.watchMs,
    startedViews: 0,
    exitsBeforeStart: 0,
    failedViews: d.failedViews ?? 0,
    rebufferCount: 0,
    rebufferMs: d.rebufferMs ?? 0,
  }));
  const startup: (typeof analyticsStartup.$inferInsert)[] = [];
  for (const [key, samples] of Object.entries(b.startups ?? {})) {
    const [dim = "", value = ""] = key.split("\t");
    const h: Histogram = new Map();
    for (const ms of samples) addSample(h, ms);
    for (const [bucket, count] of h) startup.push({ ...where, dim, value, bucket, count });
  }
  return { period, dims, startup };
}

/** The first ms of the UTC month holding `ms`. */
export const monthOf = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};

/**
 * `buckets` and the month buckets the rollup would write from their day buckets: per scope and
 * UTC month, the merge of its days (figures summed, viewers and startup samples pooled, retention
 * added, dimension values summed). The reads take whole months from month rows, so a test that
 * writes day rows writes these too, exactly as the rollup keeps them.
 */
export function withMonths(buckets: TestBucket[]): TestBucket[] {
  const months = new Map<string, TestBucket>();
  const sum = (a: number | undefined, b: number | undefined) => (a ?? 0) + (b ?? 0);
  for (const b of buckets) {
    if (b.grain !== "day") continue;
    const start = monthOf(b.start);
    const key = `${b.scope}\t${b.scopeId}\t${start}`;
    const m: TestBucket = months.get(key) ?? {
      scope: b.scope,
      scopeId: b.scopeId,
      grain: "month",
      start,
      channelId: b.channelId ?? null,
      views: 0,
      watchMs: 0,
      computedAt: 0,
    };
    months.set(key, m);
    m.views += b.views;
    m.watchMs += b.watchMs;
    m.engagedViews = sum(m.engagedViews, b.engagedViews);
    m.startedViews = sum(m.startedViews, b.startedViews);
    m.exitsBeforeStart = sum(m.exitsBeforeStart, b.exitsBeforeStart);
    m.failedViews = sum(m.failedViews, b.failedViews);
    m.rebufferCount = sum(m.rebufferCount, b.rebufferCount);
    m.rebufferMs = sum(m.rebufferMs, b.rebufferMs);
    m.viewers = [...(m.viewers ?? []), ...(b.viewers ?? [])];
    m.computedAt = Math.max(m.computedAt ?? 0, b.computedAt ?? b.start + 3_600_000);
    if (b.retention) m.retention = b.retention.map((n, i) => n + (m.retention?.[i] ?? 0));
    if (b.durationMs != null) m.durationMs = b.durationMs;
    m.dims ??= [];
    const dims = m.dims;
    for (const d of b.dims ?? []) {
      const into = dims.find((x) => x.dim === d.dim && x.value === d.value);
      if (!into) dims.push({ ...d });
      else {
        into.views += d.views;
        into.watchMs += d.watchMs;
        into.failedViews = sum(into.failedViews, d.failedViews);
        into.rebufferMs = sum(into.rebufferMs, d.rebufferMs);
      }
    }
    m.startups ??= {};
    const startups = m.startups;
    for (const [k, samples] of Object.entries(b.startups ?? {}))
      startups[k] = [...(startups[k] ?? []), ...samples];
  }
  return [...buckets, ...months.values()];
}
