/**
 * Sessions → one bucket's figures, buckets → their merge, and a bucket ↔ its D1 rows
 * (analytics_periods, analytics_dims, analytics_startup). Pure: no I/O. Every figure is a sum, a
 * sketch union or a histogram sum, so a day is exactly the merge of its hours and a channel the merge
 * of its videos (docs/analytics.md, "Buckets and merges").
 */
import { type AnalyticsDim, ENGAGED_VIEW_MS, RETENTION_POINTS } from "@marquee/shared";
import type { analyticsDims, analyticsPeriods, analyticsStartup } from "../../db/schema";
import { capDims } from "./cap-dims";
import { addSample, type Histogram, quantileOf } from "./histogram";
import {
  addToSketch,
  emptySketch,
  estimate,
  mergeInto,
  parseSketch,
  type Sketch,
  serialiseSketch,
} from "./hll";
import { compareText, retentionTimes, type SessionFacts } from "./sessions";

export interface DimFigures {
  views: number;
  watchMs: number;
  startedViews: number;
  exitsBeforeStart: number;
  failedViews: number;
  rebufferCount: number;
  rebufferMs: number;
}

export interface Bucket {
  views: number;
  engagedViews: number;
  watchMs: number;
  startedViews: number;
  exitsBeforeStart: number;
  failedViews: number;
  rebufferCount: number;
  rebufferMs: number;
  viewers: Sketch;
  /** RETENTION_POINTS counts (views watching at point i); null: duration unknown, or not kept. */
  retention: number[] | null;
  durationMs: number | null;
  /** Keyed `${dim}\t${value}`. */
  dims: Map<string, DimFigures>;
  /** Startup histograms keyed `${dim}\t${value}`; "\t" is the whole bucket. */
  startup: Map<string, Histogram>;
}

export type PeriodRow = typeof analyticsPeriods.$inferInsert;
export type DimRow = typeof analyticsDims.$inferInsert;
export type StartupRow = typeof analyticsStartup.$inferInsert;

export interface BucketKey {
  scope: PeriodRow["scope"];
  scopeId: string;
  grain: PeriodRow["grain"];
  start: number;
  /** The video's channel on video rows (channel rows merge them by it); null otherwise. */
  channelId: string | null;
}

/** The startup key of the whole bucket. */
export const ALL_KEY = "\t";
/** The session attributes a view's startup time is also broken down by (rendition is not one). */
const SESSION_DIMS = ["source", "country", "device", "player"] as const satisfies readonly AnalyticsDim[];

export const dimKey = (dim: string, value: string) => `${dim}\t${value}`;
function splitKey(key: string): [string, string] {
  const tab = key.indexOf("\t");
  return [key.slice(0, tab), key.slice(tab + 1)];
}

export const emptyDimFigures = (): DimFigures => ({
  views: 0,
  watchMs: 0,
  startedViews: 0,
  exitsBeforeStart: 0,
  failedViews: 0,
  rebufferCount: 0,
  rebufferMs: 0,
});

export const emptyBucket = (): Bucket => ({
  ...emptyDimFigures(),
  engagedViews: 0,
  viewers: emptySketch(),
  retention: null,
  durationMs: null,
  dims: new Map(),
  startup: new Map(),
});

/** A bucket with no view: its rows are deleted rather than written. */
export const isEmptyBucket = (b: Bucket) => b.views === 0;

function figuresAt(map: Map<string, DimFigures>, key: string): DimFigures {
  let f = map.get(key);
  if (!f) {
    f = emptyDimFigures();
    map.set(key, f);
  }
  return f;
}

function histogramAt(map: Map<string, Histogram>, key: string): Histogram {
  let h = map.get(key);
  if (!h) {
    h = new Map();
    map.set(key, h);
  }
  return h;
}

function addFigures(into: DimFigures, from: DimFigures): void {
  into.views += from.views;
  into.watchMs += from.watchMs;
  into.startedViews += from.startedViews;
  into.exitsBeforeStart += from.exitsBeforeStart;
  into.failedViews += from.failedViews;
  into.rebufferCount += from.rebufferCount;
  into.rebufferMs += from.rebufferMs;
}

/** One view's figures (the session must be a view). */
function viewFigures(s: SessionFacts): DimFigures {
  return {
    views: 1,
    watchMs: s.playedMs,
    startedViews: s.startupMs !== null ? 1 : 0,
    exitsBeforeStart: !s.reachedFirstFrame && !s.failed ? 1 : 0,
    failedViews: s.failed ? 1 : 0,
    rebufferCount: s.rebufferCount,
    rebufferMs: s.rebufferMs,
  };
}

/** Does the sorted, disjoint union `ranges` contain t (ranges are [from, to))? */
function covers(ranges: [number, number][], t: number): boolean {
  for (const [from, to] of ranges) {
    if (t < from) return false;
    if (t < to) return true;
  }
  return false;
}

/**
 * The bucket of `sessions` (only views count; a session with neither a request nor a start is
 * none). `durationMs` null or 0: no retention.
 */
export function bucketFromSessions(sessions: SessionFacts[], durationMs: number | null): Bucket {
  const b = emptyBucket();
  const known = durationMs !== null && durationMs > 0;
  const times = known ? retentionTimes(durationMs) : [];
  if (known) {
    b.durationMs = durationMs;
    b.retention = new Array<number>(RETENTION_POINTS).fill(0);
  }
  for (const s of sessions) {
    if (!s.isView) continue;
    const figures = viewFigures(s);
    addFigures(b, figures);
    if (s.playedMs >= ENGAGED_VIEW_MS) b.engagedViews++;
    addToSketch(b.viewers, s.profileId);
    const retention = b.retention;
    if (retention)
      for (const [i, t] of times.entries()) if (covers(s.ranges, t)) retention[i] = (retention[i] ?? 0) + 1;
    for (const dim of SESSION_DIMS) addFigures(figuresAt(b.dims, dimKey(dim, s[dim])), figures);
    for (const [label, [playedMs, rebufferMs]] of s.renditions) {
      const f = figuresAt(b.dims, dimKey("rendition", label));
      f.views++;
      f.watchMs += playedMs;
      f.rebufferMs += rebufferMs;
    }
    if (s.startupMs !== null) {
      addSample(histogramAt(b.startup, ALL_KEY), s.startupMs);
      for (const dim of SESSION_DIMS) addSample(histogramAt(b.startup, dimKey(dim, s[dim])), s.startupMs);
    }
  }
  return capDims(b);
}

/**
 * The merge of `buckets` (in time order). keepRetention: sum the retention counts (a video's day
 * from its hours); the duration is the latest known one. Channel and platform rows keep none.
 */
export function mergeBuckets(buckets: Bucket[], keepRetention: boolean): Bucket {
  const m = emptyBucket();
  for (const b of buckets) {
    addFigures(m, b);
    m.engagedViews += b.engagedViews;
    mergeInto(m.viewers, b.viewers);
    if (keepRetention && b.retention) {
      m.retention ??= new Array<number>(RETENTION_POINTS).fill(0);
      for (let i = 0; i < RETENTION_POINTS; i++)
        m.retention[i] = (m.retention[i] as number) + (b.retention[i] ?? 0);
    }
    if (keepRetention && b.durationMs !== null) m.durationMs = b.durationMs;
    for (const [key, f] of b.dims) addFigures(figuresAt(m.dims, key), f);
    for (const [key, h] of b.startup) {
      const into = histogramAt(m.startup, key);
      for (const [bucket, count] of h) into.set(bucket, (into.get(bucket) ?? 0) + count);
    }
  }
  return capDims(m);
}

/**
 * A bucket's rows, in a deterministic order (dims and startup sorted by key, then bucket). The
 * breakdowns are capped first (cap-dims.ts; a no-op on buckets made here), so no caller can write
 * more than MAX_DIM_VALUES values of a dimension.
 */
export function bucketRows(
  input: Bucket,
  key: BucketKey,
  computedAt: number,
): { period: PeriodRow; dims: DimRow[]; startup: StartupRow[] } {
  const bucket = capDims({ ...input, dims: new Map(input.dims), startup: new Map(input.startup) });
  const where = {
    scope: key.scope,
    scopeId: key.scopeId,
    grain: key.grain,
    start: key.start,
    channelId: key.channelId,
  };
  const period: PeriodRow = {
    ...where,
    views: bucket.views,
    engagedViews: bucket.engagedViews,
    watchMs: bucket.watchMs,
    startedViews: bucket.startedViews,
    exitsBeforeStart: bucket.exitsBeforeStart,
    failedViews: bucket.failedViews,
    rebufferCount: bucket.rebufferCount,
    rebufferMs: bucket.rebufferMs,
    viewersHll: serialiseSketch(bucket.viewers),
    // Derived, for series that read many rows: bucketFromRows ignores them (the sketch and the
    // histogram are the truth, and merge).
    viewers: estimate(bucket.viewers),
    startupMedianMs: quantileOf(bucket.startup.get(ALL_KEY) ?? new Map(), 0.5),
    retention: bucket.retention ? JSON.stringify(bucket.retention) : null,
    durationMs: bucket.durationMs,
    computedAt,
  };
  const dims: DimRow[] = [...bucket.dims.entries()]
    .sort((a, b) => compareText(a[0], b[0]))
    .map(([k, f]) => {
      const [dim, value] = splitKey(k);
      return { ...where, dim: dim as AnalyticsDim, value, ...f };
    });
  const startup: StartupRow[] = [];
  for (const [k, h] of [...bucket.startup.entries()].sort((a, b) => compareText(a[0], b[0]))) {
    const [dim, value] = splitKey(k);
    for (const [b, count] of [...h.entries()].sort((x, y) => x[0] - y[0]))
      if (count > 0) startup.push({ ...where, dim, value, bucket: b, count });
  }
  return { period, dims, startup };
}

type StoredPeriod = Pick<
  typeof analyticsPeriods.$inferSelect,
  | "views"
  | "engagedViews"
  | "watchMs"
  | "startedViews"
  | "exitsBeforeStart"
  | "failedViews"
  | "rebufferCount"
  | "rebufferMs"
  | "viewersHll"
  | "retention"
  | "durationMs"
>;
type StoredDim = Pick<typeof analyticsDims.$inferSelect, "dim" | "value" | keyof DimFigures>;
type StoredStartup = Pick<typeof analyticsStartup.$inferSelect, "dim" | "value" | "bucket" | "count">;

/** Reads a stored retention array; anything unreadable is null (a rollup never throws on one row). */
function parseRetention(text: string | null): number[] | null {
  if (!text) return null;
  try {
    const value: unknown = JSON.parse(text);
    if (!Array.isArray(value) || value.length !== RETENTION_POINTS) return null;
    return value.map((n) => (typeof n === "number" && Number.isFinite(n) ? n : 0));
  } catch {
    return null;
  }
}

/** The bucket stored as these rows (the inverse of bucketRows). */
export function bucketFromRows(period: StoredPeriod, dims: StoredDim[], startup: StoredStartup[]): Bucket {
  const b: Bucket = {
    views: period.views,
    engagedViews: period.engagedViews,
    watchMs: period.watchMs,
    startedViews: period.startedViews,
    exitsBeforeStart: period.exitsBeforeStart,
    failedViews: period.failedViews,
    rebufferCount: period.rebufferCount,
    rebufferMs: period.rebufferMs,
    viewers: parseSketch(period.viewersHll),
    retention: parseRetention(period.retention),
    durationMs: period.durationMs,
    dims: new Map(),
    startup: new Map(),
  };
  for (const d of dims)
    addFigures(figuresAt(b.dims, dimKey(d.dim, d.value)), {
      views: d.views,
      watchMs: d.watchMs,
      startedViews: d.startedViews,
      exitsBeforeStart: d.exitsBeforeStart,
      failedViews: d.failedViews,
      rebufferCount: d.rebufferCount,
      rebufferMs: d.rebufferMs,
    });
  for (const s of startup) {
    const h = histogramAt(b.startup, dimKey(s.dim, s.value));
    h.set(s.bucket, (h.get(s.bucket) ?? 0) + s.count);
  }
  return b;
}
