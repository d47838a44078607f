/**
 * Reads whole sessions' raw beacons (playback_events) for the rollup: a session touching an hour
 * is read with all its beacons, whatever hours they fall in (recompute.ts says why).
 */
import { and, eq, gte, inArray, lt } from "drizzle-orm";
import type { Db } from "../../db/client";
import { playbackEvents } from "../../db/schema";
import { groupBy } from "./lists";
import { HOUR_MS, type RawBeacon } from "./sessions";

export const sessionKey = (profileId: string, sessionId: string) => `${profileId}\t${sessionId}`;

/** Consecutive hours as [from, to) ranges: one query per run of hours rather than per hour. */
export function hourRuns(hours: number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const h of [...new Set(hours)].sort((a, b) => a - b)) {
    const last = runs[runs.length - 1];
    if (last && last[1] === h) last[1] = h + HOUR_MS;
    else runs.push([h, h + HOUR_MS]);
  }
  return runs;
}

/**
 * Every beacon of the video's sessions that have a beacon in one of `hours`, by session (profile,
 * session id), skipping the sessions in `known` (read already). One statement per run of hours: the
 * sessions' ids come from a subquery (playback_events_video_idx on (video_id, occurred_at)), their
 * beacons from playback_events_video_session_idx, so no list of ids is bound (D1's 100 parameters).
 */
export async function readSessionsTouching(
  db: Db,
  videoId: string,
  hours: number[],
  known: Map<string, RawBeacon[]>,
): Promise<Map<string, RawBeacon[]>> {
  const out = new Map<string, RawBeacon[]>();
  for (const [from, to] of hourRuns(hours)) {
    const idsInRun = db
      .selectDistinct({ sessionId: playbackEvents.sessionId })
      .from(playbackEvents)
      .where(
        and(
          eq(playbackEvents.videoId, videoId),
          gte(playbackEvents.occurredAt, from),
          lt(playbackEvents.occurredAt, to),
        ),
      );
    const rows = await db
      .select({
        profileId: playbackEvents.profileId,
        videoId: playbackEvents.videoId,
        sessionId: playbackEvents.sessionId,
        kind: playbackEvents.kind,
        positionMs: playbackEvents.positionMs,
        playedMs: playbackEvents.playedMs,
        occurredAt: playbackEvents.occurredAt,
        qoe: playbackEvents.qoe,
        country: playbackEvents.country,
        device: playbackEvents.device,
      })
      .from(playbackEvents)
      .where(and(eq(playbackEvents.videoId, videoId), inArray(playbackEvents.sessionId, idsInRun)));
    // Another profile's session of the same id is another session: kept only if it has a beacon
    // in the run itself.
    const bySession = groupBy(rows, (r) => sessionKey(r.profileId, r.sessionId));
    for (const [key, beacons] of bySession) {
      if (known.has(key) || out.has(key)) continue;
      if (beacons.some((b) => b.occurredAt >= from && b.occurredAt < to)) out.set(key, beacons);
    }
  }
  return out;
}
