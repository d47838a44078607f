/**
 * Reads the raw beacons (playback_events) of the sessions active in a run of hours, bounded in time:
 * a session's beacons count up to MAX_SESSION_SPAN_MS after its earliest (sessions.ts), so every
 * session attributed to an hour of the run [from, to) has all its counted beacons in
 * [from, to + span), and every session with a beacon in the run began after from − span, or is a
 * tail that is ignored anyway. The read is that window, never "all of a session".
 */
import { and, eq, gte, inArray, lt } from "drizzle-orm";
import type { Db } from "../../db/client";
import { playbackEvents } from "../../db/schema";
import { groupBy } from "./lists";
import { HOUR_MS, MAX_SESSION_SPAN_MS, type RawBeacon } from "./sessions";

export const sessionKey = (profileId: string, sessionId: string) => `${profileId}\t${sessionId}`;

/** Hours one read covers at most: a run's window is run + 2 × MAX_SESSION_SPAN_MS long. */
export const MAX_RUN_HOURS = 3;

/**
 * Consecutive hours as [from, to) ranges of at most `maxHours` hours: one query per run rather than
 * per hour, and each query's time window bounded.
 */
export function hourRuns(hours: number[], maxHours = MAX_RUN_HOURS): [number, number][] {
  const runs: [number, number][] = [];
  for (const h of [...new Set(hours)].sort((a, b) => a - b)) {
    const last = runs[runs.length - 1];
    if (last && last[1] === h && last[1] - last[0] < maxHours * HOUR_MS) last[1] = h + HOUR_MS;
    else runs.push([h, h + HOUR_MS]);
  }
  return runs;
}

/**
 * The beacons in [from − span, to + span) of the video's sessions that have a beacon in [from, to),
 * by session (profile, session id). The sessions' ids come from a subquery
 * (playback_events_video_idx on (video_id, occurred_at)), their beacons by (video_id, session_id)
 * (playback_events_video_session_idx), so no list of ids is bound (D1's 100 parameters); profiles
 * are told apart here, in JS.
 */
export async function readRun(db: Db, videoId: string, [from, to]: [number, number]): Promise<RawBeacon[][]> {
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
    .where(
      and(
        eq(playbackEvents.videoId, videoId),
        inArray(playbackEvents.sessionId, idsInRun),
        gte(playbackEvents.occurredAt, from - MAX_SESSION_SPAN_MS),
        lt(playbackEvents.occurredAt, to + MAX_SESSION_SPAN_MS),
      ),
    );
  // Another profile's session of the same id is another session: kept only if it has a beacon in
  // the run itself.
  const out: RawBeacon[][] = [];
  for (const beacons of groupBy(rows, (r) => sessionKey(r.profileId, r.sessionId)).values())
    if (beacons.some((b) => b.occurredAt >= from && b.occurredAt < to)) out.push(beacons);
  return out;
}
