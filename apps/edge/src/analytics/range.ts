/**
 * The range an analytics request covers: whole buckets of its grain (UTC), `from` inclusive and `to`
 * exclusive. Both ends are rounded outwards, so a bucket is either wholly in the range or not at all
 * (a rollup row is never cut in two).
 */
import {
  type AnalyticsGrain,
  type AnalyticsStoredGrain,
  DEFAULT_RANGE_DAYS,
  MAX_RANGE_MS,
} from "@marquee/shared";
import { AppError } from "../lib/errors";
import type { AnalyticsQuery } from "./schemas";

export const GRAIN_MS: Record<AnalyticsGrain, number> = { hour: 3_600_000, day: 86_400_000 };

export interface AnalyticsRange {
  grain: AnalyticsGrain;
  /** The first bucket's start (ms). */
  from: number;
  /** The end of the last bucket (ms, exclusive). */
  to: number;
}

const invalid = (path: string, message: string) =>
  new AppError("validation_failed", "Some fields are missing or invalid.", { errors: [{ path, message }] });

export const floorTo = (ms: number, grainMs: number) => Math.floor(ms / grainMs) * grainMs;
export const ceilTo = (ms: number, grainMs: number) => Math.ceil(ms / grainMs) * grainMs;

/**
 * The request's range: `to` defaults to now and `from` to DEFAULT_RANGE_DAYS before `to`. The span
 * limit (MAX_RANGE_MS) applies to the span asked for, before rounding, so a range of exactly the
 * limit with unaligned ends is not refused for the hour its rounding adds.
 */
export function resolveRange(q: AnalyticsQuery, now = Date.now()): AnalyticsRange {
  const grain = q.granularity;
  const grainMs = GRAIN_MS[grain];
  const to = q.to === undefined ? now : Date.parse(q.to);
  const from = q.from === undefined ? to - DEFAULT_RANGE_DAYS * GRAIN_MS.day : Date.parse(q.from);
  if (!Number.isFinite(from) || !Number.isFinite(to)) throw invalid("query.from", "Not a date");
  if (to <= from) throw invalid("query.to", "Must be after `from`");
  if (to - from > MAX_RANGE_MS[grain]) {
    const days = MAX_RANGE_MS[grain] / GRAIN_MS.day;
    throw invalid("query.from", `A range of \`${grain}\` buckets covers at most ${days} days`);
  }
  return { grain, from: floorTo(from, grainMs), to: ceilTo(to, grainMs) };
}

/** One run of stored buckets of one grain: those starting in [from, to). */
export interface CoverSegment {
  grain: AnalyticsStoredGrain;
  from: number;
  to: number;
}

/** The first ms of the UTC month holding `ms`, and of the month after it. */
const monthFloor = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
};
const nextMonth = (ms: number) => {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
};

/**
 * The coarsest stored buckets that tile the range exactly: the whole UTC months inside it as month
 * rows, the whole days left at either end as day rows, and (hour ranges) the hours left as hour rows.
 * A month row is the merge of its day rows and a day row of its hours (the rollup writes them so),
 * so totals, breakdowns, percentiles and unique viewers read from the cover equal those of the
 * range's own buckets, from far fewer rows: a year is 12 months and up to ~60 days, not 366 days.
 * Segments come out in time order, none empty.
 */
export function coverOf(range: AnalyticsRange): CoverSegment[] {
  const { from, to } = range;
  const dayFrom = ceilTo(from, GRAIN_MS.day);
  const dayTo = floorTo(to, GRAIN_MS.day);
  if (dayFrom >= dayTo) return [{ grain: range.grain, from, to }];
  const monthFrom = monthFloor(dayFrom) === dayFrom ? dayFrom : nextMonth(dayFrom);
  const monthTo = monthFloor(dayTo);
  const middle: CoverSegment[] =
    monthFrom < monthTo
      ? [
          { grain: "day", from: dayFrom, to: monthFrom },
          { grain: "month", from: monthFrom, to: monthTo },
          { grain: "day", from: monthTo, to: dayTo },
        ]
      : [{ grain: "day", from: dayFrom, to: dayTo }];
  return [
    { grain: "hour" as const, from, to: dayFrom },
    ...middle,
    { grain: "hour" as const, from: dayTo, to },
  ].filter((s) => s.from < s.to);
}
