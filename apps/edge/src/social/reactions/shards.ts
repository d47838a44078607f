/**
 * Which shard object holds a profile's reaction to a video (docs/social.md, "Reactions").
 *
 * A video's reactions are split over N `VideoReactions` objects named `${videoId}:${shard}`, and a
 * profile always goes to shard `fnv1a(profileId) % N`. Exactness rests on that mapping never
 * changing for a video: the hash function is fixed forever, and N is pinned per video (the shard
 * objects refuse calls that address them with another N).
 *
 * N comes from the KV key `reactions:shards:<videoId>` (for hot videos; set it before the video
 * takes reactions), else from the REACTION_SHARDS var (default 1).
 */
import { AppError } from "../../lib/errors";
import { type Counts, MAX_SHARDS, type ShardAddress, type ShardMismatch } from "./shard-protocol";
import type { VideoReactions } from "./video-reactions";

export const SHARDS_KV_PREFIX = "reactions:shards:";

/** FNV-1a (32-bit) of the profile id, mod N. Never change this: profiles would move shards. */
export function shardOf(profileId: string, shards: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < profileId.length; i++) {
    h ^= profileId.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % shards;
}

/** KV answers cached per isolate for a minute, so a hot video costs no KV read per like. */
const CACHE_MS = 60_000;
const CACHE_MAX = 2000;
const cache = new Map<string, { shards: number; until: number }>();

/** N for this video: its KV override, else the configured default. */
export async function shardCount(kv: KVNamespace, videoId: string, fallback: number): Promise<number> {
  const now = Date.now();
  const hit = cache.get(videoId);
  if (hit && hit.until > now) return hit.shards;
  const raw = await kv.get(`${SHARDS_KV_PREFIX}${videoId}`, { cacheTtl: 60 });
  const parsed = raw === null ? Number.NaN : Number(raw);
  const shards = Number.isInteger(parsed) && parsed >= 1 && parsed <= MAX_SHARDS ? parsed : fallback;
  if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value as string);
  cache.set(videoId, { shards, until: now + CACHE_MS });
  return shards;
}

export function shardStub(env: Env, address: ShardAddress): DurableObjectStub<VideoReactions> {
  const ns = env.VIDEO_REACTIONS;
  return ns.get(ns.idFromName(`${address.videoId}:${address.shard}`));
}

/** Every shard address of the video. */
export function allShards(videoId: string, shards: number): ShardAddress[] {
  return Array.from({ length: shards }, (_, shard) => ({ videoId, shard, shards }));
}

/** The address of the shard that holds this profile's reaction. */
export function homeShard(videoId: string, shards: number, profileId: string): ShardAddress {
  return { videoId, shard: shardOf(profileId, shards), shards };
}

/** The video's exact totals: every shard's own counts, summed. */
export async function exactCounts(env: Env, videoId: string, shards: number): Promise<Counts> {
  const parts = await Promise.all(
    allShards(videoId, shards).map(async (a) => shardAnswer(await shardStub(env, a).counts(a))),
  );
  return parts.reduce((t, p) => ({ likes: t.likes + p.likes, dislikes: t.dislikes + p.dislikes }), {
    likes: 0,
    dislikes: 0,
  });
}

/**
 * The answer of a shard RPC that succeeded. A layout mismatch (N changed under a video with
 * reactions) becomes a clear 500: nothing was changed, and the video needs a reshard.
 */
export function shardAnswer<R extends ShardMismatch | { ok: true }>(result: R): Exclude<R, ShardMismatch> {
  if (result.ok) return result as Exclude<R, ShardMismatch>;
  switch (result.reason) {
    case "shard_mismatch":
      throw new AppError(
        "misconfigured",
        "This video's reaction shard count changed while it has reactions; it needs a reshard.",
      );
  }
  // An answer of neither shape (an object still on older code during a gradual deploy): fail loudly.
  throw new Error(`unexpected shard answer: ${JSON.stringify(result)}`);
}
