/**
 * Video reactions: the edge side of the `VideoReactions` shard objects (video-reactions.ts) and the
 * per-day stats they flush to D1. Who may do what is decided by auth/permissions.ts.
 */
import { and, eq, gte, lte } from "drizzle-orm";
import { authorize, can } from "../../auth/permissions";
import { loadConfig } from "../../config";
import { videoReactionDays } from "../../db/schema";
import type { Services } from "../../services";
import type { Actor } from "../../types";
import { assertCanRead, authorizeVideo, loadVideo } from "../../videos/access";
import type { VideoRow } from "../../videos/view";
import type { ReactionInput } from "./schemas";
import { allShards, callShard, exactCounts, homeShard, shardCount, shardStub } from "./shards";
import type { Counts, ReactionValue } from "./video-reactions";

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
  const answer = await callShard(() => shardStub(s.env, at).react(at, video.profileId, input.value));
  return withCounts(actor, video, answer.value, answer.total);
}

export async function clearVideoReaction(s: Services, actor: Actor, videoId: string): Promise<ReactionState> {
  const video = await reactable(s, actor, videoId);
  const at = homeShard(videoId, await shardsOf(s, videoId), video.profileId);
  const answer = await callShard(() => shardStub(s.env, at).clear(at, video.profileId));
  return withCounts(actor, video, null, answer.total);
}

/** Exact counts read from every shard, and the caller's own reaction (null for anonymous callers). */
export async function getVideoReactions(s: Services, actor: Actor | null, videoId: string) {
  const video = await loadVideo(s.db, videoId);
  assertCanRead(actor, video);
  const shards = await shardsOf(s, videoId);
  const profileId = actor?.profileId ?? null;
  const [counts, mine] = await Promise.all([
    exactCounts(s.env, videoId, shards),
    profileId === null
      ? Promise.resolve(null)
      : callShard(async () => {
          const at = homeShard(videoId, shards, profileId);
          return (await shardStub(s.env, at).get(at, profileId)).value;
        }),
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
  const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const today = Date.now();
  const range = Array.from({ length: days }, (_, i) => dayOf(today - (days - 1 - i) * 86_400_000));
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

/** Empties every shard object of the video (it was deleted). */
export async function wipeVideoReactions(env: Env, videoId: string): Promise<void> {
  const shards = await shardCount(env.SETTINGS, videoId, loadConfig(env).reactions.defaultShards);
  await Promise.all(allShards(videoId, shards).map((a) => shardStub(env, a).wipe()));
}
