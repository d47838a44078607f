/**
 * One beacon's quality-of-experience fields → the StoredQoe the row keeps (playback_events.qoe).
 *
 * The schema takes any integer within ±2^31 so that one bad beacon does not 400 its batch; here a
 * beacon whose figures cannot be true is refused on its own (`impossible_value`): a negative count
 * or duration, a startup over MAX_STARTUP_MS, a range ending before it starts, more stall or
 * rendition time than the wall time since the session's previous beacon allows (the same anchor
 * the played-time cap uses, history/beacons.ts), ranges longer in total than MAX_PLAYBACK_RATE times
 * that (retention is made of ranges), or more stalls or switches than one per MIN_EVENT_GAP_MS of it
 * plus one. What is merely past the end is kept and clamped: positions and ranges beyond the video's
 * duration become the duration (a player's last frame often reports a few ms past it). Ranges of a
 * beacon that plays nothing (`request`, `error`) and renditions named by no rung of the ladder are
 * dropped, not refused.
 *
 * A stall count of 0 with stall time is possible (a stall under way when the previous beacon was
 * sent is counted there and goes on here: the web player's QoeMeter), so it is not refused.
 */
import { RENDITION_PATTERN } from "@marquee/shared";
import { type Beacon, HISTORY_KINDS } from "../history/schemas";
import type { StoredQoe } from "./stored-qoe";

/** A play request that took longer than this to show a first frame is not a startup time. */
export const MAX_STARTUP_MS = 10 * 60_000;
/**
 * The fastest playback rate the web player offers (its native controls: browsers' speed menus stop
 * at 2×): content played per wall-clock ms, so a beacon's ranges cover at most this × its allowance.
 */
export const MAX_PLAYBACK_RATE = 2;
/** Slack on the ranges' total (on top of the rate × allowance, which has its own). */
export const RANGES_SLACK_MS = 5_000;
/** Stalls and switches cannot come closer than this: at most one per this much allowance, plus one. */
export const MIN_EVENT_GAP_MS = 100;

export interface QoeLimits {
  /** The video's duration (ms); null or 0 when unknown (nothing is clamped). */
  durationMs: number | null;
  /**
   * The most stall or rendition time the beacon may claim: the wall time since the session's
   * previous beacon plus the played cap's slack (history/beacons.ts decides it).
   */
  allowanceMs: number;
}

export type NormalisedBeacon = { positionMs: number; qoe: StoredQoe | null };

/** The stored form of a beacon's QoE fields and its position; null when the beacon is refused. */
export function normaliseBeacon(b: Beacon, { durationMs, allowanceMs }: QoeLimits): NormalisedBeacon | null {
  const q = b.qoe ?? {};
  const renditions = Object.entries(q.renditions ?? {});
  const counts = [q.startupMs, q.rebufferCount, q.rebufferMs, q.switches];
  for (const [, r] of renditions) counts.push(r.playedMs, r.rebufferMs);
  if (counts.some((n) => n !== undefined && n < 0)) return null;
  if (q.startupMs !== undefined && q.startupMs > MAX_STARTUP_MS) return null;
  if ((q.rebufferMs ?? 0) > allowanceMs) return null;
  const inRenditions = renditions.reduce((n, [, r]) => n + r.playedMs + r.rebufferMs, 0);
  if (inRenditions > allowanceMs) return null;
  const events = 1 + Math.floor(allowanceMs / MIN_EVENT_GAP_MS);
  if ((q.rebufferCount ?? 0) > events || (q.switches ?? 0) > events) return null;
  // Only beacons that play (start, heartbeat, end) keep ranges: the others' would be retention
  // claimed beside no played time.
  const played = HISTORY_KINDS.includes(b.kind) ? b.ranges : undefined;
  if ((played ?? []).some(([from, to]) => from < 0 || to < from)) return null;
  const spanned = (played ?? []).reduce((n, [from, to]) => n + (to - from), 0);
  if (spanned > MAX_PLAYBACK_RATE * allowanceMs + RANGES_SLACK_MS) return null;

  const end = durationMs !== null && durationMs > 0 ? durationMs : Number.POSITIVE_INFINITY;
  const qoe: StoredQoe = {};
  const source = b.source === "feed" && b.feedRow ? `feed:${b.feedRow}` : b.source;
  if (source !== undefined) qoe.source = source;
  if (b.playerVersion !== undefined) qoe.player = b.playerVersion;
  if (q.startupMs !== undefined) qoe.startupMs = q.startupMs;
  if (q.rebufferCount !== undefined) qoe.rebufferCount = q.rebufferCount;
  if (q.rebufferMs !== undefined) qoe.rebufferMs = q.rebufferMs;
  // The ladder's labels only (the rollup's rendition dim stays the ladder); the time checks above
  // counted every entry.
  const laddered = renditions.filter(([label]) => RENDITION_PATTERN.test(label));
  if (laddered.length > 0) {
    qoe.renditions = Object.fromEntries(laddered.map(([label, r]) => [label, [r.playedMs, r.rebufferMs]]));
  }
  if (q.switches !== undefined) qoe.switches = q.switches;
  if (q.error !== undefined)
    qoe.error = q.error.details ? `${q.error.type}:${q.error.details}` : q.error.type;
  if (played !== undefined) {
    const ranges = mergeRanges(played.map(([from, to]) => [Math.min(from, end), Math.min(to, end)]));
    if (ranges.length > 0) qoe.ranges = ranges;
  }
  return {
    positionMs: Math.min(b.positionMs, end),
    qoe: Object.keys(qoe).length > 0 ? qoe : null,
  };
}

/** Sorted, overlapping or touching ranges joined, empty ones dropped: [from, to) with from < to. */
export function mergeRanges(ranges: [number, number][]): [number, number][] {
  const sorted = ranges.filter(([from, to]) => to > from).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  for (const [from, to] of sorted) {
    const last = out[out.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}
