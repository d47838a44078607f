/**
 * Player beacons → playback_events (raw, for analytics), views, watch history and affinities.
 *
 * Idempotent by (profile, beacon id). The batch is read once (the videos, the profile's pause
 * switch, which beacon ids are stored already, the resume rows), then written in ONE D1 batch (one
 * transaction): for each video, its effect statements come first, each guarded by "none of this
 * video's new beacon ids is stored yet", and the beacon rows are inserted last
 * (ON CONFLICT DO NOTHING). So a retried batch finds its ids stored and changes nothing, and two
 * concurrent deliveries of the same beacons apply their effects at most once (D1 runs one
 * transaction at a time: whichever commits second finds the ids). In that race, a video group that
 * mixes retried and new beacons loses the new ones' effects rather than counting anything twice.
 *
 * A view is a `start` received at most VIEW_MAX_AGE_MS after it was stamped, and only the first
 * such start of a (profile, video) in the UTC day of *receipt*: the client's clock decides nothing
 * about views, so backdated starts (one per past day) cannot each count one. Older starts still
 * build history and watch time. Batches are rate limited per profile (BEACON_BATCH_LIMIT). Paused
 * history (profiles.history_paused) still stores the beacons and counts views and watch time per
 * day, but changes neither watch history nor affinities.
 */
import { inArray } from "drizzle-orm";
import { requireProfile } from "../auth/permissions";
import { videos } from "../db/schema";
import { affinityRows, beaconWeight, DAY_MS, DECAYED_SUM_SQL } from "../discovery/affinity";
import { canSee, viewerMaturity } from "../discovery/maturity";
import { AppError } from "../lib/errors";
import { assertCanWatch } from "../playback/access";
import type { Services } from "../services";
import type { Actor } from "../types";
import type { VideoRow } from "../videos/view";
import type { Beacon, RejectReason } from "./schemas";

/** playedMs of one beacon: at most this, and at most the wall time since the session's previous beacon + slack. */
export const MAX_PLAYED_PER_BEACON_MS = 60_000;
export const PLAYED_SLACK_MS = 5_000;
/** Beacons stamped further ahead than this are refused (a client clock gone wrong). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** Beacons older than this are refused (a player offline for a week replays nothing). */
export const MAX_BEACON_AGE_MS = 7 * DAY_MS;
/** A `start` counts as a view only if it arrives this soon after its own timestamp (retries included). */
export const VIEW_MAX_AGE_MS = 10 * 60_000;
/**
 * Batches per profile per sliding window (LoginThrottle object `beacons:{profileId}`). The web player
 * sends one batch per ~30 s plus one per start/pause/end, one request in flight per tab, and retries
 * a 429 with the same ids (nothing is lost, only delayed): 30 a minute is a pause or a new video every
 * two seconds for a whole minute. It bounds the rows and the played time one profile can claim.
 */
export const BEACON_BATCH_LIMIT = { limit: 30, windowSeconds: 60 } as const;
/** A video counts as finished once the playhead reached this share of its duration. */
export const COMPLETED_SHARE = 0.95;
/** 3 shared parameters + 7 per row, under D1's 100 bound parameters per statement. */
const BEACONS_PER_INSERT = 13;

export interface BeaconReceipt {
  accepted: number;
  duplicates: number;
  rejected: { id: string; reason: RejectReason }[];
}

interface NewBeacon extends Beacon {
  at: number;
  played: number;
}

interface VideoGroup {
  video: VideoRow;
  beacons: NewBeacon[];
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayStart = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;

function canWatch(s: Services, actor: Actor, video: VideoRow): boolean {
  if (!canSee(viewerMaturity(actor), video.maturity)) return false;
  try {
    assertCanWatch(actor, video, s.config);
    return true;
  } catch {
    return false;
  }
}

/** Counts one batch of the profile; past the limit, 429 with Retry-After (refused batches are not counted). */
async function takeBatchSlot(s: Services, profileId: string): Promise<void> {
  const stub = s.env.LOGIN_THROTTLE.get(s.env.LOGIN_THROTTLE.idFromName(`beacons:${profileId}`));
  const gate = await stub.begin(BEACON_BATCH_LIMIT.limit, BEACON_BATCH_LIMIT.windowSeconds);
  if (!gate.allowed) {
    const wait = gate.retryAfterSeconds ?? BEACON_BATCH_LIMIT.windowSeconds;
    throw new AppError("rate_limited", `Too many playback batches. Try again in ${wait} seconds.`, {
      headers: { "retry-after": String(wait) },
    });
  }
}

const marks = (from: number, count: number) =>
  Array.from({ length: count }, (_, i) => `?${from + i}`).join(", ");

export async function ingestBeacons(
  s: Services,
  actor: Actor,
  beacons: Beacon[],
  now = Date.now(),
): Promise<BeaconReceipt> {
  const profileId = requireProfile(actor, "history.write");
  await takeBatchSlot(s, profileId);
  const db = s.env.DB;
  const receipt: BeaconReceipt = { accepted: 0, duplicates: 0, rejected: [] };

  // Checks that need no data; a repeated id inside the batch is a duplicate of its first copy.
  const seen = new Set<string>();
  const timely: (Beacon & { at: number })[] = [];
  for (const b of beacons) {
    if (seen.has(b.id)) {
      receipt.duplicates++;
      continue;
    }
    seen.add(b.id);
    const at = Date.parse(b.occurredAt);
    if (at > now + MAX_CLOCK_SKEW_MS) receipt.rejected.push({ id: b.id, reason: "clock_skew" });
    else if (at < now - MAX_BEACON_AGE_MS) receipt.rejected.push({ id: b.id, reason: "too_old" });
    else timely.push({ ...b, at: Math.min(at, now) });
  }
  if (timely.length === 0) return receipt;

  const videoIds = [...new Set(timely.map((b) => b.videoId))];
  const beaconIds = timely.map((b) => b.id);
  const [videoRows, reads] = await Promise.all([
    s.db.select().from(videos).where(inArray(videos.id, videoIds)),
    db.batch([
      db.prepare("SELECT history_paused FROM profiles WHERE id = ?1").bind(profileId),
      db
        .prepare(
          `SELECT beacon_id FROM playback_events WHERE profile_id = ?1 AND beacon_id IN (${marks(2, beaconIds.length)})`,
        )
        .bind(profileId, ...beaconIds),
      db
        .prepare(
          `SELECT video_id, last_watched_at FROM watch_history WHERE profile_id = ?1 AND video_id IN (${marks(2, videoIds.length)})`,
        )
        .bind(profileId, ...videoIds),
    ]),
  ]);
  const paused = Boolean((reads[0]?.results[0] as { history_paused?: number } | undefined)?.history_paused);
  const stored = new Set(((reads[1]?.results ?? []) as { beacon_id: string }[]).map((r) => r.beacon_id));
  const lastSeen = new Map(
    ((reads[2]?.results ?? []) as { video_id: string; last_watched_at: number }[]).map((r) => [
      r.video_id,
      r.last_watched_at,
    ]),
  );
  const byId = new Map(videoRows.map((v) => [v.id, v]));

  const fresh: (Beacon & { at: number })[] = [];
  for (const b of timely) {
    const video = byId.get(b.videoId);
    if (!video || !canWatch(s, actor, video))
      receipt.rejected.push({ id: b.id, reason: "video_unavailable" });
    else if (stored.has(b.id)) receipt.duplicates++;
    else fresh.push(b);
  }
  if (fresh.length === 0) return receipt;

  // Cap playedMs: per beacon, by the wall time since the previous beacon of its session (in this
  // batch, else the profile's last beacon on the video), and by the video's duration.
  fresh.sort((a, b) => a.at - b.at);
  const previous = new Map<string, number>();
  const groups = new Map<string, VideoGroup>();
  for (const b of fresh) {
    const video = byId.get(b.videoId) as VideoRow;
    const session = `${b.videoId}|${b.sessionId}`;
    const anchor = lastSeen.get(b.videoId);
    const prev = previous.get(session) ?? (anchor !== undefined && anchor <= b.at ? anchor : undefined);
    const cap = Math.min(
      MAX_PLAYED_PER_BEACON_MS,
      prev === undefined ? MAX_PLAYED_PER_BEACON_MS : b.at - prev + PLAYED_SLACK_MS,
      video.durationMs ?? MAX_PLAYED_PER_BEACON_MS,
    );
    previous.set(session, b.at);
    const group = groups.get(b.videoId) ?? { video, beacons: [] };
    group.beacons.push({ ...b, played: Math.max(0, Math.min(b.playedMs ?? 0, cap)) });
    groups.set(b.videoId, group);
  }

  const statements: D1PreparedStatement[] = [];
  for (const group of groups.values()) {
    statements.push(...effectsOf(db, profileId, group, paused, now));
  }
  const rows = [...groups.values()].flatMap((g) => g.beacons);
  const inserts: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += BEACONS_PER_INSERT) {
    const chunk = rows.slice(i, i + BEACONS_PER_INSERT);
    const values = chunk.map((_, n) => `(?1, ?2, ?3, ${marks(4 + n * 7, 7)})`).join(", ");
    inserts.push(
      db
        .prepare(
          `INSERT INTO playback_events (profile_id, account_id, received_at, beacon_id, video_id, session_id, kind,
                                        position_ms, played_ms, occurred_at)
           VALUES ${values} ON CONFLICT (profile_id, beacon_id) DO NOTHING RETURNING beacon_id`,
        )
        .bind(
          profileId,
          actor.accountId,
          now,
          ...chunk.flatMap((b) => [b.id, b.videoId, b.sessionId, b.kind, b.positionMs, b.played, b.at]),
        ),
    );
  }
  const results = await db.batch([...statements, ...inserts]);
  const inserted = results.slice(statements.length).reduce((n, r) => n + r.results.length, 0);
  receipt.accepted = inserted;
  receipt.duplicates += fresh.length - inserted;
  return receipt;
}

/**
 * The statements one video's new beacons cause, each guarded so it does nothing once any of those
 * beacons is stored (see the module comment). Parameters: ?1 profile, ?2.. the beacon ids, then
 * the statement's own.
 */
function effectsOf(
  db: D1Database,
  profileId: string,
  group: VideoGroup,
  paused: boolean,
  now: number,
): D1PreparedStatement[] {
  const { video, beacons } = group;
  const ids = beacons.map((b) => b.id);
  const guard = `NOT EXISTS (SELECT 1 FROM playback_events WHERE profile_id = ?1 AND beacon_id IN (${marks(2, ids.length)}))`;
  let next = 2 + ids.length;
  const param = () => `?${next++}`;
  const out: D1PreparedStatement[] = [];
  const statement = (build: (p: () => string) => [string, unknown[]]) => {
    next = 2 + ids.length;
    const [sql, extra] = build(param);
    out.push(db.prepare(sql).bind(profileId, ...ids, ...extra));
  };
  /**
   * No view of this video by this profile counted yet in the UTC day [from, to) of receipt: no stored
   * start received that day within VIEW_MAX_AGE_MS of its own timestamp (each such start was a view
   * or came after one). The occurred_at bound is implied by the others; it makes the read a range of
   * playback_events_profile_video_idx.
   */
  const noViewYet = (v: string, from: string, to: string, age: string) =>
    `NOT EXISTS (SELECT 1 FROM playback_events WHERE profile_id = ?1 AND video_id = ${v}
                  AND occurred_at >= ${from} - ${age} AND kind = 'start'
                  AND received_at >= ${from} AND received_at < ${to} AND occurred_at >= received_at - ${age})`;

  // Played time per UTC day it was played; the view (if any) on the UTC day the batch is received.
  const today = dayStart(now);
  const viewing = beacons.some((b) => b.kind === "start" && b.at >= now - VIEW_MAX_AGE_MS);
  const days = new Map<number, number>(viewing ? [[today, 0]] : []);
  for (const b of beacons) days.set(dayStart(b.at), (days.get(dayStart(b.at)) ?? 0) + b.played);
  if (viewing) {
    statement((p) => {
      const [v, from, to, age] = [p(), p(), p(), p()];
      return [
        `UPDATE videos SET view_count = view_count + 1 WHERE id = ${v} AND ${guard} AND ${noViewYet(v, from, to, age)}`,
        [video.id, today, today + DAY_MS, VIEW_MAX_AGE_MS],
      ];
    });
  }
  for (const [day, played] of days) {
    const counts = viewing && day === today;
    if (!counts && played === 0) continue;
    statement((p) => {
      const [v, name, watched] = [p(), p(), p()];
      const extra: unknown[] = [video.id, dayOf(day), played];
      let views = "0";
      if (counts) {
        const [from, to, age] = [p(), p(), p()];
        extra.push(today, today + DAY_MS, VIEW_MAX_AGE_MS);
        views = `CASE WHEN ${noViewYet(v, from, to, age)} THEN 1 ELSE 0 END`;
      }
      return [
        `INSERT INTO video_view_days (video_id, day, views, watched_ms)
         SELECT ${v}, ${name}, ${views}, ${watched}
          WHERE ${guard}
         ON CONFLICT (video_id, day) DO UPDATE SET views = views + excluded.views,
                                                   watched_ms = watched_ms + excluded.watched_ms`,
        extra,
      ];
    });
  }
  if (paused) return out;

  const latest = beacons[beacons.length - 1] as NewBeacon;
  const duration = video.durationMs;
  const reached =
    duration !== null && duration > 0 && beacons.some((b) => b.positionMs >= COMPLETED_SHARE * duration);
  const started = beacons.some((b) => b.kind === "start");
  const played = beacons.reduce((n, b) => n + b.played, 0);
  const position =
    duration !== null && duration > 0 ? Math.min(latest.positionMs, duration) : latest.positionMs;
  statement((p) => {
    const [v, pos, watched, done, first, last, restart] = [p(), p(), p(), p(), p(), p(), p()];
    return [
      `INSERT INTO watch_history (profile_id, video_id, position_ms, watched_ms, completed, first_watched_at, last_watched_at)
       SELECT ?1, ${v}, ${pos}, ${watched}, ${done}, ${first}, ${last} WHERE ${guard}
       ON CONFLICT (profile_id, video_id) DO UPDATE SET
         position_ms = CASE WHEN excluded.last_watched_at >= watch_history.last_watched_at
                            THEN excluded.position_ms ELSE watch_history.position_ms END,
         watched_ms = watch_history.watched_ms + excluded.watched_ms,
         completed = CASE WHEN excluded.completed = 1 THEN 1
                          WHEN ${restart} = 1 AND excluded.last_watched_at >= watch_history.last_watched_at THEN 0
                          ELSE watch_history.completed END,
         first_watched_at = MIN(watch_history.first_watched_at, excluded.first_watched_at),
         last_watched_at = MAX(watch_history.last_watched_at, excluded.last_watched_at)`,
      [video.id, position, played, reached ? 1 : 0, (beacons[0] as NewBeacon).at, latest.at, started ? 1 : 0],
    ];
  });

  const weight = beaconWeight(started, played);
  if (weight > 0) {
    const rows = affinityRows(
      { categoryId: video.categoryId, channelId: video.channelId, tags: video.tags },
      weight,
    );
    statement((p) => {
      const [v, at] = [p(), p()];
      const values = rows.map(() => `(${p()}, ${p()}, ${p()})`).join(", ");
      return [
        `INSERT INTO profile_affinities (profile_id, kind, key, score, last_video_id, updated_at)
         SELECT ?1, column1, column2, column3, ${v}, ${at} FROM (VALUES ${values}) WHERE ${guard}
         ON CONFLICT (profile_id, kind, key) DO UPDATE SET
           score = ${DECAYED_SUM_SQL},
           last_video_id = excluded.last_video_id,
           updated_at = MAX(profile_affinities.updated_at, excluded.updated_at)`,
        [video.id, now, ...rows.flat()],
      ];
    });
  }
  return out;
}
