/**
 * What one video's new beacons change: its view count and views/watch time per day, the profile's
 * watch history and affinities. Each statement is guarded by "none of these beacons is stored
 * yet" (and by the batch's fence), so it does nothing once they are (see beacons.ts for why that
 * makes a batch idempotent). Only `start`, `heartbeat` and `end` beacons have effects: `request` and
 * `error` beacons are raw analytics rows, nothing more.
 */
import { and, eq, gte, inArray, lt, notExists, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { StoredQoe } from "../analytics/stored-qoe";
import type { Db } from "../db/client";
import { playbackEvents, profileAffinities, videos, videoViewDays, watchHistory } from "../db/schema";
import { affinityRows, beaconWeight, DAY_MS, decayedSum } from "../feed/affinity";
import type { VideoRow } from "../videos/view";
import { type Beacon, HISTORY_KINDS } from "./schemas";

/** A `start` counts as a view only if it arrives this soon after its own timestamp (retries included). */
export const VIEW_MAX_AGE_MS = 10 * 60_000;
/** A video counts as finished once the playhead reached this share of its duration. */
export const COMPLETED_SHARE = 0.95;

export interface NewBeacon extends Beacon {
  at: number;
  played: number;
  /** The beacon's QoE facts as stored (analytics/beacon-qoe.ts); null: none. */
  storedQoe: StoredQoe | null;
}

export interface VideoGroup {
  video: VideoRow;
  /** Oldest first. */
  beacons: NewBeacon[];
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const dayStart = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;

// The statements below that insert from a SELECT are written with drizzle's `sql`: a guarded
// `INSERT … SELECT <values> WHERE NOT EXISTS …` has no FROM, which drizzle's select builder cannot make.
export function effectsOf(
  db: Db,
  profileId: string,
  group: VideoGroup,
  paused: boolean,
  now: number,
  fence: SQL,
): BatchItem<"sqlite">[] {
  const { video } = group;
  const beacons = group.beacons.filter((b) => HISTORY_KINDS.includes(b.kind));
  if (beacons.length === 0) return [];
  /** No stored beacon of this profile matches `conditions`. */
  const noBeaconWhere = (...conditions: SQL[]) =>
    notExists(
      db
        .select({ one: sql`1` })
        .from(playbackEvents)
        .where(and(eq(playbackEvents.profileId, profileId), ...conditions)),
    );
  // And the batch's `fence` (beacons.ts): no other batch of the profile stored since it was read.
  const guard = and(
    noBeaconWhere(
      inArray(
        playbackEvents.beaconId,
        beacons.map((b) => b.id),
      ),
    ),
    fence,
  ) as SQL;
  const today = dayStart(now);
  /**
   * No view of this video by this profile counted yet in the UTC day of receipt: no stored start
   * received that day within VIEW_MAX_AGE_MS of its own timestamp (each such start was a view or
   * came after one). The occurred_at lower bound is implied by the others; it makes the read a
   * range of playback_events_profile_video_idx.
   */
  const noViewYet = noBeaconWhere(
    eq(playbackEvents.videoId, video.id),
    gte(playbackEvents.occurredAt, today - VIEW_MAX_AGE_MS),
    eq(playbackEvents.kind, "start"),
    gte(playbackEvents.receivedAt, today),
    lt(playbackEvents.receivedAt, today + DAY_MS),
    gte(playbackEvents.occurredAt, sql`${playbackEvents.receivedAt} - ${VIEW_MAX_AGE_MS}`),
  );
  const out: BatchItem<"sqlite">[] = [];

  // Played time per UTC day it was played; the view (if any) on the UTC day the batch is received.
  const viewing = beacons.some((b) => b.kind === "start" && b.at >= now - VIEW_MAX_AGE_MS);
  const days = new Map<number, number>(viewing ? [[today, 0]] : []);
  for (const b of beacons) days.set(dayStart(b.at), (days.get(dayStart(b.at)) ?? 0) + b.played);
  if (viewing) {
    out.push(
      db
        .update(videos)
        .set({ viewCount: sql`${videos.viewCount} + 1` })
        .where(and(eq(videos.id, video.id), guard, noViewYet)),
    );
  }
  for (const [day, played] of days) {
    const counts = viewing && day === today;
    if (!counts && played === 0) continue;
    const views: SQL = counts ? sql`CASE WHEN ${noViewYet} THEN 1 ELSE 0 END` : sql`0`;
    out.push(
      db
        .insert(videoViewDays)
        .select(sql`SELECT ${video.id}, ${dayOf(day)}, ${views}, ${played} WHERE ${guard}`)
        .onConflictDoUpdate({
          target: [videoViewDays.videoId, videoViewDays.day],
          set: {
            views: sql`${videoViewDays.views} + excluded.views`,
            watchedMs: sql`${videoViewDays.watchedMs} + excluded.watched_ms`,
          },
        }),
    );
  }
  if (paused) return out;

  out.push(watchHistoryUpsert(db, profileId, { video, beacons }, guard));
  const started = beacons.some((b) => b.kind === "start");
  const weight = beaconWeight(
    started,
    beacons.reduce((n, b) => n + b.played, 0),
  );
  if (weight > 0) {
    const rows = affinityRows(
      { categoryId: video.categoryId, channelId: video.channelId, tags: video.tags },
      weight,
    );
    const values = sql.join(
      rows.map(([kind, key, score]) => sql`(${kind}, ${key}, ${score})`),
      sql`, `,
    );
    out.push(
      db
        .insert(profileAffinities)
        .select(
          sql`SELECT ${profileId}, column1, column2, column3, ${video.id}, ${now} FROM (VALUES ${values}) WHERE ${guard}`,
        )
        .onConflictDoUpdate({
          target: [profileAffinities.profileId, profileAffinities.kind, profileAffinities.key],
          set: {
            score: decayedSum,
            lastVideoId: sql`excluded.last_video_id`,
            updatedAt: sql`MAX(${profileAffinities.updatedAt}, excluded.updated_at)`,
          },
        }),
    );
  }
  return out;
}

/** The resume position, watched time and "finished" mark of the profile's history entry. */
function watchHistoryUpsert(db: Db, profileId: string, { video, beacons }: VideoGroup, guard: SQL) {
  const first = beacons[0] as NewBeacon;
  const latest = beacons[beacons.length - 1] as NewBeacon;
  const duration = video.durationMs;
  const reached =
    duration !== null && duration > 0 && beacons.some((b) => b.positionMs >= COMPLETED_SHARE * duration);
  const restarted = beacons.some((b) => b.kind === "start");
  const played = beacons.reduce((n, b) => n + b.played, 0);
  const position =
    duration !== null && duration > 0 ? Math.min(latest.positionMs, duration) : latest.positionMs;
  const newer = sql`excluded.last_watched_at >= ${watchHistory.lastWatchedAt}`;
  return db
    .insert(watchHistory)
    .select(
      sql`SELECT ${profileId}, ${video.id}, ${position}, ${played}, ${reached ? 1 : 0}, ${first.at}, ${latest.at} WHERE ${guard}`,
    )
    .onConflictDoUpdate({
      target: [watchHistory.profileId, watchHistory.videoId],
      set: {
        positionMs: sql`CASE WHEN ${newer} THEN excluded.position_ms ELSE ${watchHistory.positionMs} END`,
        watchedMs: sql`${watchHistory.watchedMs} + excluded.watched_ms`,
        completed: sql`CASE WHEN excluded.completed = 1 THEN 1
                            WHEN ${restarted ? 1 : 0} = 1 AND ${newer} THEN 0
                            ELSE ${watchHistory.completed} END`,
        firstWatchedAt: sql`MIN(${watchHistory.firstWatchedAt}, excluded.first_watched_at)`,
        lastWatchedAt: sql`MAX(${watchHistory.lastWatchedAt}, excluded.last_watched_at)`,
      },
    });
}
