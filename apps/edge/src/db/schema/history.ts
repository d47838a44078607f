import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { profileRef } from "./accounts";
import { now } from "./columns";
import { videoRef } from "./videos";

/**
 * Raw player beacons, one row each, idempotent by (profile, beacon id) so a retried batch counts
 * once. They are the raw material for history now and for analytics later.
 */
export const playbackEvents = sqliteTable(
  "playback_events",
  {
    profileId: text("profile_id").notNull(),
    beaconId: text("beacon_id").notNull(),
    accountId: text("account_id").notNull(),
    videoId: text("video_id").notNull(),
    /** One player session (a page load of the player): groups a start, heartbeats and an end. */
    sessionId: text("session_id").notNull(),
    kind: text("kind").$type<"start" | "heartbeat" | "end" | "request" | "error">().notNull(),
    positionMs: integer("position_ms").notNull(),
    /** Seconds of media actually played since this session's previous beacon (client-reported, capped). */
    playedMs: integer("played_ms").notNull().default(0),
    occurredAt: integer("occurred_at").notNull(),
    receivedAt: integer("received_at").notNull().default(now),
    /** The account had a paid plan when the edge received it: its playedMs counts toward the premium pool. */
    premium: integer("premium", { mode: "boolean" }).notNull().default(false),
    /** Quality-of-experience facts of the beacon (analytics/beacon-qoe.ts `StoredQoe`), JSON; null: none. */
    qoe: text("qoe"),
    /** ISO 3166 country of the request (Cloudflare's `cf.country`); null when unknown. */
    country: text("country"),
    /** Device class of the request's User-Agent (DEVICE_CLASSES). */
    device: text("device"),
  },
  (t) => [
    primaryKey({ columns: [t.profileId, t.beaconId] }),
    index("playback_events_video_idx").on(t.videoId, t.occurredAt),
    // "First start of the day" per (profile, video) for view counting.
    index("playback_events_profile_video_idx").on(t.profileId, t.videoId, t.occurredAt),
    index("playback_events_received_idx").on(t.receivedAt),
    // The profile's latest receipt: the per-profile played-time budget (history/beacons.ts).
    index("playback_events_profile_received_idx").on(t.profileId, t.receivedAt),
    // Every beacon of a session (the analytics rollup gathers whole sessions).
    index("playback_events_video_session_idx").on(t.videoId, t.sessionId),
  ],
);

/** A profile's watch history and resume positions ("continue watching"). */
export const watchHistory = sqliteTable(
  "watch_history",
  {
    profileId: profileRef(),
    videoId: videoRef(),
    positionMs: integer("position_ms").notNull().default(0),
    watchedMs: integer("watched_ms").notNull().default(0),
    completed: integer("completed", { mode: "boolean" }).notNull().default(false),
    firstWatchedAt: integer("first_watched_at").notNull(),
    lastWatchedAt: integer("last_watched_at").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.profileId, t.videoId] }),
    index("watch_history_recent_idx").on(t.profileId, t.lastWatchedAt),
  ],
);

/** Views and watch time per video per UTC day (popularity, trending velocity, later analytics). */
export const videoViewDays = sqliteTable(
  "video_view_days",
  {
    videoId: videoRef(),
    day: text("day").notNull(),
    views: integer("views").notNull().default(0),
    watchedMs: integer("watched_ms").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.videoId, t.day] })],
);
