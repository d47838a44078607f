/**
 * The range an analytics request covers: whole buckets of its grain (UTC), `from` inclusive and `to`
 * exclusive. Both ends are rounded outwards, so a bucket is either wholly in the range or not at all
 * (a rollup row is never cut in two).
 */
import { type AnalyticsGrain, DEFAULT_RANGE_DAYS, MAX_RANGE_MS } from "@marquee/shared";
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
