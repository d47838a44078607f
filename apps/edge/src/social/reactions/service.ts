/**
 * Video reactions: the edge side of the `VideoReactions` shard objects (video-reactions.ts) and the
 * per-day stats they flush to D1. Who may do what is decided by auth/permissions.ts.
 */
import { and, eq, gte, inArray, lte, sql } from "drizzle-orm";
import { authorize, can } from "../../auth/permissions";
import { loadConfig } from "../../config";
import { createDb } from "../../db/client";
import { videoReactionDays, videoReactionIndex } from "../../db/schema";
import { chunksOf, deleteInBatches } from "../../events/erasure";
import type { Services } from "../../services";
import type { Actor } from "../../types";
import { assertCanRead, authorizeVideo, loadVideo } from "../../videos/access";
import type { VideoRow } from "../../videos/view";
import { forEachLimited } from "../notifications/delivery";
import type { ReactionInput } from "./schemas";
import { type Counts, type ReactionValue, utcDay } from "./shard-protocol";
import { allShards, exactCounts, homeShard, shardAnswer, shardCount, shardStub } from "./shards";

export interface ReactionState {
  value: ReactionValue | null;
  likes: number;
  dislikes?: number;
}

/** Dislike counts are for whoever may manage the video: its owner (grown-up profiles) and admins. */
const seesDislikes = (actor: Actor | null, v: VideoRow) =>
  actor !== null && can(actor, "video.manage", { ownerAccountId: v.accountId });

function withCounts(actor: Actor | null, v: VideoRow, value: ReactionValue | null, c: Counts): ReactionState {
  return { value, likes: c.likes, ...(seesDislikes(actor, v) ? { dislikes: c.dislikes } : {}) };
}

/** The video the actor may react to: visible to them (else 404), and a profile to react as (else 403). */
async function reactable(
  s: Services,
  actor: Actor,
  videoId: string,
): Promise<VideoRow & { profileId: string }> {
  const video = await loadVideo(s.db, videoId);
  assertCanRead(actor, video);
  authorize(actor, "reaction.set");
  // reaction.set holds only for an actor with a profile.
  return { ...video, profileId: actor.profileId as string };
}

const shardsOf = (s: Services, videoId: string) =>
  shardCount(s.env.SETTINGS, videoId, s.config.reactions.defaultShards);

/**
 * Likes or dislikes the video as the actor's active profile. Idempotent; the counts in the answer
 * are exact for one-shard videos and include the other shards' as of a few seconds ago otherwise.
 */
export async function setVideoReaction(
  s: Services,
  actor: Actor,
  videoId: string,
  input: ReactionInput,
): Promise<ReactionState> {
  const video = await reactable(s, actor, videoId);
  const at = homeShard(videoId, await shardsOf(s, videoId), video.profileId);
  const answer = shardAnswer(await shardStub(s.env, at).react(at, video.profileId, input.value));
  return withCounts(actor, video, answer.value, answer.total);
}

export async function clearVideoReaction(s: Services, actor: Actor, videoId: string): Promise<ReactionState> {
  const video = await reactable(s, actor, videoId);
  const at = homeShard(videoId, await shardsOf(s, videoId), video.profileId);
  const answer = shardAnswer(await shardStub(s.env, at).clear(at, video.profileId));
  return withCounts(actor, video, null, answer.total);
}

/** The profile's reaction, read from the shard that holds it. */
async function ownReaction(env: Env, videoId: string, shards: number, profileId: string) {
  const at = homeShard(videoId, shards, profileId);
  return shardAnswer(await shardStub(env, at).get(at, profileId)).value;
}

/** Exact counts read from every shard, and the caller's own reaction (null for anonymous callers). */
export async function getVideoReactions(s: Services, actor: Actor | null, videoId: string) {
  const video = await loadVideo(s.db, videoId);
  assertCanRead(actor, video);
  const shards = await shardsOf(s, videoId);
  const profileId = actor?.profileId ?? null;
  const [counts, mine] = await Promise.all([
    exactCounts(s.env, videoId, shards),
    profileId === null ? null : ownReaction(s.env, videoId, shards, profileId),
  ]);
  const state = withCounts(actor, video, mine, counts);
  return { likes: state.likes, ...(state.dislikes !== undefined ? { dislikes: state.dislikes } : {}), mine };
}

/**
 * Likes, dislikes and net per UTC day for the last `days` days (today included), from the per-day
 * rows the shards flush to D1 (a few seconds behind). Owner and admins only: a video others cannot
 * see answers 404, one they can see 403.
 */
export async function getReactionStats(s: Services, actor: Actor, videoId: string, days: number) {
  const video = await loadVideo(s.db, videoId);
  authorizeVideo(actor, "video.manage", video);
  const today = Date.now();
  const range = Array.from({ length: days }, (_, i) => utcDay(today - (days - 1 - i) * 86_400_000));
  const from = range[0] as string;
  const to = range[range.length - 1] as string;
  const rows = await s.db
    .select()
    .from(videoReactionDays)
    .where(
      and(
        eq(videoReactionDays.videoId, videoId),
        gte(videoReactionDays.day, from),
        lte(videoReactionDays.day, to),
      ),
    )
    .all();
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const series = range.map((day) => {
    const r = byDay.get(day);
    const likes = r?.likes ?? 0;
    const dislikes = r?.dislikes ?? 0;
    return { day, likes, dislikes, net: likes - dislikes };
  });
  const likes = series.reduce((n, d) => n + d.likes, 0);
  const dislikes = series.reduce((n, d) => n + d.dislikes, 0);
  return { videoId, from, to, days: series, totals: { likes, dislikes, net: likes - dislikes } };
}

/** Empties every shard object of the video (it was deleted), then its index rows. */
export async function wipeVideoReactions(env: Env, videoId: string): Promise<void> {
  const shards = await shardCount(env.SETTINGS, videoId, loadConfig(env).reactions.defaultShards);
  await Promise.all(allShards(videoId, shards).map((a) => shardStub(env, a).wipe()));
  await createDb(env.DB).delete(videoReactionIndex).where(eq(videoReactionIndex.videoId, videoId));
}

/** Index rows handled per batch, batches per delivery, and shard calls in flight. */
const ERASE_LIMITS = { batchRows: 200, maxBatches: 25 };
const ERASE_CONCURRENCY = 8;

/**
 * Erases these profiles' video reactions (account or profile deletion): pages through
 * `video_reaction_index`, calls `forget` on each affected video's shard(s) so the counts drop
 * exactly (the shards flush the new totals to D1 as usual), then deletes the page's index rows.
 * Idempotent: `forget` of a reaction already gone changes nothing, and a repeat finds no rows.
 * A page's rows are deleted only after every forget of the page succeeded, so a failure leaves
 * them for the redelivery. Bounded per delivery (events/erasure.ts `deleteInBatches`).
 *
 * A reaction the index does not hold yet (its flush still pending when the profile was deleted)
 * is forgotten by the shard's own flush, which finds the profile gone (flush.ts).
 */
export async function eraseVideoReactionsOf(env: Env, profileIds: readonly string[]): Promise<void> {
  const db = createDb(env.DB);
  const defaultShards = loadConfig(env).reactions.defaultShards;
  for (const chunk of chunksOf(profileIds)) {
    await deleteInBatches(
      `video reactions of ${chunk.length} profile(s)`,
      async (batchRows) => {
        const page = await db
          .select({ profileId: videoReactionIndex.profileId, videoId: videoReactionIndex.videoId })
          .from(videoReactionIndex)
          .where(inArray(videoReactionIndex.profileId, chunk))
          .orderBy(videoReactionIndex.profileId, videoReactionIndex.videoId)
          .limit(batchRows);
        if (page.length === 0) return 0;
        await forgetOnShards(env, defaultShards, page);
        await db.delete(videoReactionIndex).where(
          // The page's exact (profile, video) pairs as one JSON parameter: D1 binds at most 100
          // parameters per statement, and drizzle has no row-value IN.
          sql`(${videoReactionIndex.profileId}, ${videoReactionIndex.videoId}) IN
              (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]')
                 FROM json_each(${JSON.stringify(page.map((r) => [r.profileId, r.videoId]))}))`,
        );
        return page.length;
      },
      ERASE_LIMITS,
    );
  }
}

/** Forgets each (profile, video) reaction on the shard that holds it. */
async function forgetOnShards(
  env: Env,
  defaultShards: number,
  rows: readonly { profileId: string; videoId: string }[],
): Promise<void> {
  const byVideo = new Map<string, string[]>();
  for (const r of rows) byVideo.set(r.videoId, [...(byVideo.get(r.videoId) ?? []), r.profileId]);
  await forEachLimited([...byVideo], ERASE_CONCURRENCY, async ([videoId, profileIds]) => {
    const shards = await shardCount(env.SETTINGS, videoId, defaultShards);
    const byShard = new Map<number, string[]>();
    for (const id of profileIds) {
      const { shard } = homeShard(videoId, shards, id);
      byShard.set(shard, [...(byShard.get(shard) ?? []), id]);
    }
    for (const [shard, homed] of byShard) {
      const at = { videoId, shard, shards };
      shardAnswer(await shardStub(env, at).forget(at, homed));
    }
  });
}
