/**
 * A profile's taste (`profile_affinities`): one weight per category, tag and channel. A stored
 * score is the value as of its `updated_at`; it loses half its weight every AFFINITY_HALF_LIFE_MS,
 * applied on write (the upsert decays the old value to "now" before adding) and on read (the feed
 * decays what it reads to the request's time). No sweep ages the table.
 *
 * Signals (docs/discovery.md, "Affinities"):
 *   - written by playback beacons: a new `start` adds VIEW; watched time adds WATCHED_PER_MINUTE
 *     per minute, at most WATCHED_MAX per batch; tags get TAG_FACTOR of that each (first MAX_TAGS);
 *   - read at feed time, never stored: a like adds LIKE (decayed by the like's age), a subscription
 *     adds SUBSCRIPTION to the channel (it does not decay while it lasts).
 */
import { sql } from "drizzle-orm";
import { profileAffinities } from "../db/schema";

export const DAY_MS = 86_400_000;

/** A watch 30 days ago counts half as much as one today. */
export const AFFINITY_HALF_LIFE_MS = 30 * DAY_MS;

export const AFFINITY_WEIGHTS = {
  /** A new `start` beacon of the video (one playback session). */
  view: 1,
  /** Per minute of media played. */
  watchedPerMinute: 0.1,
  /** Watched time added per video per beacon batch, at most (a 50-beacon batch covers < 1 h). */
  watchedMax: 3,
  /** A like, read from video_reaction_index at feed time. */
  like: 2,
  /** A subscription to the channel, read at feed time. */
  subscription: 3,
  /** Share of a signal each of the video's tags gets (its category and channel get all of it). */
  tagFactor: 0.5,
  /** Tags of one video that take part. */
  maxTags: 8,
} as const;

/** exp(-ln2 · age / halfLife): the share of a weight left after `ageMs`. */
export function decay(ageMs: number, halfLifeMs = AFFINITY_HALF_LIFE_MS): number {
  return Math.exp((-Math.LN2 * Math.max(0, ageMs)) / halfLifeMs);
}

/** The weight a batch of beacons adds to the affinities of one video. */
export function beaconWeight(startedSession: boolean, playedMs: number): number {
  const watched = Math.min(
    (playedMs / 60_000) * AFFINITY_WEIGHTS.watchedPerMinute,
    AFFINITY_WEIGHTS.watchedMax,
  );
  return (startedSession ? AFFINITY_WEIGHTS.view : 0) + watched;
}

export type AffinityKind = "category" | "tag" | "channel";

export interface AffinityTarget {
  categoryId: string | null;
  channelId: string;
  tags: readonly string[];
}

/** The (kind, key, weight) rows one video's signal of `weight` raises. */
export function affinityRows(video: AffinityTarget, weight: number): [AffinityKind, string, number][] {
  const rows: [AffinityKind, string, number][] = [["channel", video.channelId, weight]];
  if (video.categoryId) rows.push(["category", video.categoryId, weight]);
  for (const tag of video.tags.slice(0, AFFINITY_WEIGHTS.maxTags)) {
    rows.push(["tag", tag, weight * AFFINITY_WEIGHTS.tagFactor]);
  }
  return rows;
}

/**
 * The upsert's decay, in SQL: the stored score decayed from its `updated_at` to the new row's
 * (server time, so it only moves forward) plus the new weight.
 */
export const decayedSum = sql<number>`${profileAffinities.score} * exp(${-Math.LN2} * MAX(0, excluded.updated_at - ${profileAffinities.updatedAt}) / ${AFFINITY_HALF_LIFE_MS}) + excluded.score`;
