/**
 * What the edge and the `VideoReactions` shard objects say to each other over RPC (and what shard
 * k reports to shard 0). Every method that takes a `ShardAddress` answers a `ShardResult`: a call
 * that addresses an object with another shard layout is refused as `shard_mismatch`, a value the
 * caller switches on (shards.ts `shardAnswer`), never an error to match by its text.
 */

export type ReactionValue = "like" | "dislike";

export interface ShardAddress {
  videoId: string;
  /** 0-based index of this shard. */
  shard: number;
  /** How many shards the video's profiles are split over. */
  shards: number;
}

export interface Counts {
  likes: number;
  dislikes: number;
}

export interface ReactionAnswer {
  /** The profile's reaction after the call. */
  value: ReactionValue | null;
  /** False when the call repeated the stored state (nothing moved). */
  changed: boolean;
  /** This shard's exact counts. */
  shardCounts: Counts;
  /**
   * The whole video: this shard's exact counts plus the other shards' as shard 0 last heard them
   * (a few seconds old at most while they are busy). Exact when the video has one shard.
   */
  total: Counts;
}

export interface DayCounts {
  /** UTC day, YYYY-MM-DD. */
  day: string;
  likes: number;
  dislikes: number;
}

/** What a shard tells shard 0: its absolute counts and the days that changed since its last report. */
export interface ShardReport {
  address: ShardAddress;
  version: number;
  likes: number;
  dislikes: number;
  days: DayCounts[];
}

/**
 * The object is pinned to another layout than the call's (the video's shard count changed while it
 * had reactions): a profile rehashed to another shard could react twice, so nothing is done.
 */
export interface ShardMismatch {
  ok: false;
  reason: "shard_mismatch";
  /** The layout the object is pinned to. */
  pinned: ShardAddress;
}

export type ShardResult<T extends object> = ({ ok: true } & T) | ShardMismatch;

export const MAX_SHARDS = 64;

export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Refuses an address no caller of ours can build (a bug, not an outcome: it throws). */
export function checkAddress(a: ShardAddress): void {
  if (
    typeof a?.videoId !== "string" ||
    a.videoId.length < 1 ||
    a.videoId.length > 100 ||
    !Number.isInteger(a.shards) ||
    a.shards < 1 ||
    a.shards > MAX_SHARDS ||
    !Number.isInteger(a.shard) ||
    a.shard < 0 ||
    a.shard >= a.shards
  ) {
    throw new TypeError(`invalid shard address ${JSON.stringify(a)}`);
  }
}

export function checkProfile(profileId: string): void {
  if (typeof profileId !== "string" || profileId.length < 1 || profileId.length > 100) {
    throw new TypeError("invalid profile id");
  }
}
