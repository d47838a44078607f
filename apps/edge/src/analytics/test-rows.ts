/**
 * Rollup rows for the read API's tests and the bench, written straight to the tables' shape (not
 * through the rollup), so a test of the reads fails on the reads alone.
 */
import type { AnalyticsDim, AnalyticsGrain, AnalyticsScope } from "@marquee/shared";
import type { analyticsDims, analyticsPeriods, analyticsStartup } from "../db/schema";
import { addSample, type Histogram } from "./rollup/histogram";
import { addToSketch, emptySketch, serialiseSketch } from "./rollup/hll";

export interface TestBucket {
  scope: AnalyticsScope;
  scopeId: string;
  grain: AnalyticsGrain;
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
    failedViews: d.failedViews ?? 0,
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
