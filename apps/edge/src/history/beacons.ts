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
 * day, but changes neither watch history nor affinities. Each row keeps whether the account had a
 * paid plan when the batch was received (`premium`): that played time feeds the creators' premium
 * pool (payouts/facts.ts).
 *
 * `request` and `error` beacons (analytics only) are stored as raw rows and change nothing else:
 * no history, views, affinities or played time (so no premium time). Every stored beacon keeps its
 * QoE facts, validated and clamped (analytics/beacon-qoe.ts; an impossible one is refused alone),
 * and the request's country and device class; the same D1 batch marks analytics_dirty for each
 * (video, UTC hour) it stored beacons in, for the rollup (analytics/rollup/).
 *
 * A profile opens at most MAX_SESSIONS_PER_VIDEO_HOUR sessions (views) per video per hour of
 * receipt: a beacon that would open one more is refused (`too_many_sessions`).
 *
 * Played time is also capped per PROFILE by the edge's receipt clock (`playedBudget`): a batch's new
 * beacons together claim at most the wall time since the profile's previous batch was received,
 * whatever their sessions, videos or timestamps say. Otherwise fresh session ids, backdated
 * `occurredAt` or paused history would let one paid profile claim ~1500× real time of the pool.
 *
 * The batch's write statements (the fence, the row inserts, the dirty marks) are in beacon-writes.ts.
 */
import type { DeviceClass } from "@marquee/shared";
import { and, countDistinct, eq, gt, inArray, max } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { normaliseBeacon } from "../analytics/beacon-qoe";
import type { StoredQoe } from "../analytics/stored-qoe";
import { requireProfile } from "../auth/permissions";
import { rateLimiter } from "../auth/rate-limiter";
import { currentSubscription, type Entitlements, FREE_PLAN_ID, graceMsOf } from "../billing/entitlements";
import { canSee, viewerMaturity } from "../catalog/maturity";
import { billingSubscriptions, channels, plans, playbackEvents, profiles, videos } from "../db/schema";
import { DAY_MS } from "../feed/affinity";
import { AppError } from "../lib/errors";
import { assertCanWatch } from "../playback/access";
import type { Services } from "../services";
import type { Actor } from "../types";
import { isPubliclyVisible } from "../videos/access";
import type { VideoRow } from "../videos/view";
import { effectsOf, type VideoGroup } from "./beacon-effects";
import { batchFence, beaconInserts, dirtyMarks, HOUR_MS } from "./beacon-writes";
import { type Beacon, type BeaconKind, HISTORY_KINDS, type RejectReason } from "./schemas";

export { COMPLETED_SHARE, VIEW_MAX_AGE_MS } from "./beacon-effects";

/** playedMs of one beacon: at most this, and at most the wall time since the session's previous beacon + slack. */
export const MAX_PLAYED_PER_BEACON_MS = 60_000;
export const PLAYED_SLACK_MS = 5_000;
/**
 * The most played time one batch of a profile can claim: the budget after a long gap, and for a
 * profile's first batch (no receipt to measure from, like an endless gap). Five beacons' worth: a
 * player back from a few minutes offline still delivers its buffered heartbeats; a longer outage
 * loses the rest. A new profile's one-off 5 minutes are not worth farming (profiles per account are few).
 */
export const MAX_PLAYED_PER_BATCH_MS = 5 * MAX_PLAYED_PER_BEACON_MS;
/**
 * The most stall, rendition (and, times MAX_PLAYBACK_RATE, ranges) time one beacon may claim: a full
 * beacon's worth plus the slack. Also what a beacon may claim when its session has no earlier beacon
 * (in the batch or stored): its wall time is unknown, and an older anchor (another session's, days
 * ago) would allow days.
 */
export const MAX_ALLOWANCE_MS = MAX_PLAYED_PER_BEACON_MS + PLAYED_SLACK_MS;
/**
 * New sessions (views) one profile may open on one video per hour (by receipt): more are refused
 * (`too_many_sessions`). Otherwise 30 batches × 50 `request` beacons with fresh session ids would
 * make 1,500 views a minute. A viewer reloading a video 20 times an hour is already unusual;
 * beacons of a session already stored are never refused by this.
 */
export const MAX_SESSIONS_PER_VIDEO_HOUR = 20;
/** Beacons stamped further ahead than this are refused (a client clock gone wrong). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;
/** Beacons older than this are refused (a player offline for a week replays nothing). */
export const MAX_BEACON_AGE_MS = 7 * DAY_MS;
/**
 * Batches per profile per sliding window (RateLimiter object `beacons:{profileId}`). The web player
 * sends one batch per ~30 s plus one per start/pause/end, one request in flight per tab, and retries
 * a 429 with the same ids (nothing is lost, only delayed): 30 a minute is a pause or a new video every
 * two seconds for a whole minute. It bounds the rows and the played time one profile can claim.
 */
export const BEACON_BATCH_LIMIT = { limit: 30, windowSeconds: 60 } as const;

export interface BeaconReceipt {
  accepted: number;
  duplicates: number;
  rejected: { id: string; reason: RejectReason }[];
}

/** What the edge knows of the request that carried a batch (stored on each of its rows). */
export interface RequestFacts {
  /** cf.country, upper case; null when Cloudflare named none (always locally). */
  country: string | null;
  device: DeviceClass | null;
}

/** A beacon as this batch stored it (for the Analytics Engine sink, analytics/sink.ts). */
export interface StoredBeacon {
  id: string;
  videoId: string;
  sessionId: string;
  kind: BeaconKind;
  positionMs: number;
  playedMs: number;
  occurredAt: number;
  qoe: StoredQoe | null;
  country: string | null;
  device: DeviceClass | null;
}

export interface IngestResult {
  receipt: BeaconReceipt;
  /** The beacons stored now (not the duplicates or the rejected). */
  stored: StoredBeacon[];
}

function canWatch(actor: Actor, video: VideoRow, entitlements: Entitlements | null): boolean {
  if (!canSee(viewerMaturity(actor), video.maturity)) return false;
  try {
    assertCanWatch(actor, video, entitlements);
    return true;
  } catch {
    return false;
  }
}

/** Counts one batch of the profile; past the limit, 429 with Retry-After (refused batches are not counted). */
async function takeBatchSlot(s: Services, profileId: string): Promise<void> {
  const stub = rateLimiter(s.env, `beacons:${profileId}`);
  const gate = await stub.begin(BEACON_BATCH_LIMIT.limit, BEACON_BATCH_LIMIT.windowSeconds);
  if (!gate.allowed) {
    const wait = gate.retryAfterSeconds ?? BEACON_BATCH_LIMIT.windowSeconds;
    throw new AppError("rate_limited", `Too many playback batches. Try again in ${wait} seconds.`, {
      headers: { "retry-after": String(wait) },
    });
  }
}

/**
 * How much played time a batch received at `now` may claim in total: the wall time since the
 * profile's previous batch was received (`lastReceivedAt`, the Worker clock of that batch) plus
 * PLAYED_SLACK_MS for network jitter, at most MAX_PLAYED_PER_BATCH_MS (also for a first batch).
 * An honest player sends ~30 s played every ~30 s and keeps it all; many sessions' beacons sent in
 * quick batches share the few seconds between them. Played time is integer ms (caps never split).
 *
 * Two batches of one profile in flight at once would both measure from the same previous receipt
 * and each spend the full gap. The batch's write is fenced against that (storeBatch): the later
 * commit stores nothing and is re-read and re-budgeted (after 3 collisions: 429, retry in 1 s).
 * Even unfenced, it would be bounded by BEACON_BATCH_LIMIT (batches per window per profile).
 */
export function playedBudget(lastReceivedAt: number | null, now: number): number {
  if (lastReceivedAt === null) return MAX_PLAYED_PER_BATCH_MS;
  // A previous receipt "after" now (another isolate's clock ahead) leaves only the slack.
  const gap = Math.max(0, now - lastReceivedAt);
  return Math.min(MAX_PLAYED_PER_BATCH_MS, gap + PLAYED_SLACK_MS);
}

export async function ingestBeacons(
  s: Services,
  actor: Actor,
  beacons: Beacon[],
  request: RequestFacts = { country: null, device: null },
  now = Date.now(),
): Promise<IngestResult> {
  const profileId = requireProfile(actor, "history.write");
  await takeBatchSlot(s, profileId);
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
  if (timely.length === 0) return { receipt, stored: [] };
  // A fenced attempt wrote nothing (another batch of the profile was stored meanwhile): read again.
  for (let attempt = 0; attempt < 3; attempt++) {
    const stored = await storeBatch(s, actor, profileId, timely, request, now, {
      ...receipt,
      rejected: [...receipt.rejected],
    });
    if (stored) return stored;
  }
  throw new AppError("rate_limited", "Too many playback batches at once. Try again in a second.", {
    headers: { "retry-after": "1" },
  });
}

/** Reads, budgets and writes the timely beacons; null when the write was fenced off (nothing stored). */
async function storeBatch(
  s: Services,
  actor: Actor,
  profileId: string,
  timely: (Beacon & { at: number })[],
  request: RequestFacts,
  now: number,
  receipt: BeaconReceipt,
): Promise<IngestResult | null> {
  const db = s.db;
  const videoIds = [...new Set(timely.map((b) => b.videoId))];
  const beaconIds = timely.map((b) => b.id);
  // The batch's (video, session) pairs, in two halves: each lookup binds ≤ 1 + 25 + 25 parameters.
  const pairs = [...new Map(timely.map((b) => [`${b.videoId}|${b.sessionId}`, b])).values()];
  const sessionLookup = (half: typeof pairs) =>
    db
      .select({
        videoId: playbackEvents.videoId,
        sessionId: playbackEvents.sessionId,
        last: max(playbackEvents.occurredAt),
      })
      .from(playbackEvents)
      .where(
        and(
          eq(playbackEvents.profileId, profileId),
          inArray(playbackEvents.videoId, [...new Set(half.map((b) => b.videoId))]),
          inArray(playbackEvents.sessionId, [...new Set(half.map((b) => b.sessionId))]),
        ),
      )
      .groupBy(playbackEvents.videoId, playbackEvents.sessionId);
  const [
    videoRows,
    profileRows,
    storedRows,
    sessionRowsA,
    sessionRowsB,
    sessionCounts,
    allPlans,
    subs,
    lastRows,
    demonetisedRows,
  ] = await db.batch([
    db.select().from(videos).where(inArray(videos.id, videoIds)),
    db.select({ paused: profiles.historyPaused }).from(profiles).where(eq(profiles.id, profileId)),
    db
      .select({ beaconId: playbackEvents.beaconId })
      .from(playbackEvents)
      .where(and(eq(playbackEvents.profileId, profileId), inArray(playbackEvents.beaconId, beaconIds))),
    // The batch's sessions already stored (never refused as too many) and their latest beacon
    // (the anchor of the allowances below); playback_events_video_session_idx.
    sessionLookup(pairs.slice(0, 25)),
    sessionLookup(pairs.slice(25)),
    // Sessions the profile opened on each video in the last hour (MAX_SESSIONS_PER_VIDEO_HOUR):
    // 1 + ≤ 50 + 1 parameters.
    db
      .select({ videoId: playbackEvents.videoId, sessions: countDistinct(playbackEvents.sessionId) })
      .from(playbackEvents)
      .where(
        and(
          eq(playbackEvents.profileId, profileId),
          inArray(playbackEvents.videoId, videoIds),
          gt(playbackEvents.receivedAt, now - HOUR_MS),
        ),
      )
      .groupBy(playbackEvents.videoId),
    // The account's plan (billing/entitlements.ts's rule), read in the same round trip.
    db.select().from(plans),
    db.select().from(billingSubscriptions).where(eq(billingSubscriptions.accountId, actor.accountId)),
    // When the profile's previous batch was received (playedBudget); playback_events_profile_received_idx.
    db
      .select({ at: max(playbackEvents.receivedAt) })
      .from(playbackEvents)
      .where(eq(playbackEvents.profileId, profileId)),
    // The batch's videos whose channel is demonetised (docs/moderation.md): their plays earn no premium share.
    db
      .select({ id: videos.id })
      .from(videos)
      .innerJoin(channels, eq(channels.id, videos.channelId))
      .where(and(inArray(videos.id, videoIds), eq(channels.demonetised, true))),
  ]);
  const paused = profileRows[0]?.paused ?? false;
  const stored = new Set(storedRows.map((r) => r.beaconId));
  // The latest stored beacon of each of the batch's sessions that has one.
  const storedSessions = new Map(
    [...sessionRowsA, ...sessionRowsB].map((r) => [`${r.videoId}|${r.sessionId}`, r.last]),
  );
  const sessionsOpened = new Map(sessionCounts.map((r) => [r.videoId, r.sessions]));
  const byId = new Map(videoRows.map((v) => [v.id, v]));
  // The account's plan when the batch is received decides premium videos, and whether the played
  // time counts toward the creators' premium pool (playback_events.premium, payouts/facts.ts).
  const { entitlements } = currentSubscription(subs, allPlans, now, await graceMsOf(s));
  const premium = entitlements.plan !== FREE_PLAN_ID;
  // A demonetised video, or one of a demonetised channel, earns no premium share: its plays are
  // stored with premium = false, so the premium pool of the open period leaves it out. Stamped at
  // receipt, never rewritten: periods already closed (and paid) never change when a decision lands.
  const demonetised = new Set(demonetisedRows.map((r) => r.id));
  // Nor does a play of a video others cannot see (private, or held/removed/channel hidden by
  // moderation): only its owner or staff play it, and that is no audience to pay for.
  const earnsPremium = (v: VideoRow) =>
    premium && !v.demonetised && !demonetised.has(v.id) && isPubliclyVisible(v);

  const fresh: (Beacon & { at: number })[] = [];
  for (const b of timely) {
    const video = byId.get(b.videoId);
    if (!video || !canWatch(actor, video, entitlements))
      receipt.rejected.push({ id: b.id, reason: "video_unavailable" });
    else if (stored.has(b.id)) receipt.duplicates++;
    else fresh.push(b);
  }
  if (fresh.length === 0) return { receipt, stored: [] };

  // Cap playedMs: per beacon, by the wall time since the previous beacon of its SESSION (in this
  // batch, else its latest stored one), and by the video's duration. Only the same session's: a
  // second tab's beacon a second after the first tab's is no claim on that second, and another
  // session's days-old beacon is no licence for days. Then the profile's budget for the whole batch,
  // spent oldest beacon first: the latest are trimmed (the budget is the real bound on played time,
  // whatever the sessions). The same allowance, never over MAX_ALLOWANCE_MS, bounds the beacon's
  // stall, rendition and range time (a beacon claiming more is refused, analytics/beacon-qoe.ts);
  // a refused beacon is no session's previous beacon.
  // `request` and `error` beacons play nothing (they build no history and no premium time).
  fresh.sort((a, b) => a.at - b.at);
  const last = lastRows[0]?.at ?? null;
  let budget = playedBudget(last, now);
  const previous = new Map<string, number>();
  const groups = new Map<string, VideoGroup>();
  for (const b of fresh) {
    const video = byId.get(b.videoId) as VideoRow;
    const session = `${b.videoId}|${b.sessionId}`;
    // A session not stored and not yet opened by this batch opens one: within the hourly limit only.
    const known = storedSessions.has(session) || previous.has(session);
    const opened = sessionsOpened.get(b.videoId) ?? 0;
    if (!known && opened >= MAX_SESSIONS_PER_VIDEO_HOUR) {
      receipt.rejected.push({ id: b.id, reason: "too_many_sessions" });
      continue;
    }
    const lastStored = storedSessions.get(session);
    const prev = previous.get(session) ?? (lastStored != null && lastStored <= b.at ? lastStored : undefined);
    const allowance = Math.min(
      MAX_ALLOWANCE_MS,
      prev === undefined ? MAX_ALLOWANCE_MS : b.at - prev + PLAYED_SLACK_MS,
    );
    const normal = normaliseBeacon(b, { durationMs: video.durationMs, allowanceMs: allowance });
    if (!normal) {
      receipt.rejected.push({ id: b.id, reason: "impossible_value" });
      continue;
    }
    if (!known) sessionsOpened.set(b.videoId, opened + 1);
    const cap = Math.min(MAX_PLAYED_PER_BEACON_MS, allowance, video.durationMs ?? MAX_PLAYED_PER_BEACON_MS);
    previous.set(session, b.at);
    const group = groups.get(b.videoId) ?? { video, beacons: [] };
    const played = HISTORY_KINDS.includes(b.kind) ? Math.max(0, Math.min(b.playedMs ?? 0, cap, budget)) : 0;
    budget -= played;
    group.beacons.push({ ...b, positionMs: normal.positionMs, played, storedQoe: normal.qoe });
    groups.set(b.videoId, group);
  }
  if (groups.size === 0) return { receipt, stored: [] };

  // Every statement is fenced against a concurrent batch of the profile (beacon-writes.ts).
  const fence = batchFence(db, profileId, last, now);
  const effects = [...groups.values()].flatMap((g) => effectsOf(db, profileId, g, paused, now, fence([])));
  const rows = [...groups.values()].flatMap((g) => g.beacons);
  const inserts = beaconInserts(db, rows, {
    profileId,
    accountId: actor.accountId,
    now,
    country: request.country,
    device: request.device,
    earnsPremium: (b) => earnsPremium(byId.get(b.videoId) as VideoRow),
    fence,
  });
  // The beacon rows go last: every effect above is guarded by their absence. Then the dirty marks,
  // which look at what the inserts stored.
  const dirty = dirtyMarks(db, profileId, rows, now);
  const results = await db.batch([...effects, ...inserts, ...dirty] as [
    BatchItem<"sqlite">,
    ...BatchItem<"sqlite">[],
  ]);
  const insertedIds = new Set(
    (results.slice(effects.length, effects.length + inserts.length) as { beaconId: string }[][]).flatMap(
      (r) => r.map((row) => row.beaconId),
    ),
  );
  // Nothing stored although something was new: fenced off (or every id stored concurrently, which
  // the next read reports as duplicates). Either way, read again.
  if (insertedIds.size === 0) return null;
  receipt.accepted = insertedIds.size;
  receipt.duplicates += rows.length - insertedIds.size;
  const storedNow = rows
    .filter((b) => insertedIds.has(b.id))
    .map((b) => ({
      id: b.id,
      videoId: b.videoId,
      sessionId: b.sessionId,
      kind: b.kind,
      positionMs: b.positionMs,
      playedMs: b.played,
      occurredAt: b.at,
      qoe: b.storedQoe,
      country: request.country,
      device: request.device,
    }));
  return { receipt, stored: storedNow };
}
