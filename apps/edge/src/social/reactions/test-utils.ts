/**
 * Helpers of the reactions tests (run in workerd): the shard objects over RPC, what they wrote to
 * D1, and the reaction endpoints. Videos and comments are rows from test/fixtures.ts, so these tests
 * depend on neither the videos nor the comments domain's routes.
 */
import { env, runDurableObjectAlarm } from "cloudflare:test";
import { and, asc, eq } from "drizzle-orm";
import { insertVideo, lowerId, testDb } from "../../../test/fixtures";
import { api, apiJson, type SeededAccount, seedAccount } from "../../../test/harness";
import {
  accounts,
  commentReactions,
  comments,
  profiles,
  videoReactionDays,
  videoReactionIndex,
  videos,
} from "../../db/schema";
import { chunksOf } from "../../events/erasure";
import type { ShardAddress } from "./shard-protocol";
import { shardStub } from "./shards";

export type Reaction = "like" | "dislike";

/** What PUT/DELETE …/reaction answer. */
export interface ReactionState {
  value: Reaction | null;
  likes: number;
  dislikes?: number;
}

/** What GET /videos/{videoId}/reactions answers. */
export interface VideoCounts {
  likes: number;
  dislikes?: number;
  mine: Reaction | null;
}

/** Shard `index` of `shards` of the video: its address and its stub. */
export function shard(videoId: string, index = 0, shards = 1) {
  const at: ShardAddress = { videoId, shard: index, shards };
  return { at, stub: shardStub(env, at) };
}

/** A new video of `owner`'s channel, and its only shard. */
export async function newVideoShard(owner: SeededAccount) {
  const videoId = await insertVideo(owner);
  return { videoId, ...shard(videoId) };
}

/** A channel owner and a viewer (another account), tagged for the test file. */
export async function ownerAndViewer(tag: string) {
  const [owner, viewer] = await Promise.all([
    seedAccount({ tag: `${tag}owner`, channel: true }),
    seedAccount({ tag: `${tag}viewer` }),
  ]);
  return { owner, viewer };
}

/** Runs the pending alarms now: shards 1..N-1 report to shard 0 first, then shard 0 flushes to D1. */
export async function flushNow(videoId: string, shards = 1): Promise<void> {
  for (let i = shards - 1; i >= 0; i--) await runDurableObjectAlarm(shard(videoId, i, shards).stub);
}

export const videoReaction = (videoId: string) => `/api/v1/videos/${videoId}/reaction`;
export const videoReactions = (videoId: string) => `/api/v1/videos/${videoId}/reactions`;
export const commentReaction = (commentId: string) => `/api/v1/comments/${commentId}/reaction`;

/** PUT (a value) or DELETE (null) of the caller's reaction at `path`, expecting 200. */
function setReaction(path: string, token: string, value: Reaction | null) {
  return value === null
    ? apiJson<ReactionState>(path, 200, { method: "DELETE", token })
    : apiJson<ReactionState>(path, 200, { method: "PUT", token, json: { value } });
}

/** PUT of `value` as the caller's reaction at `path`, status unchecked (for refusals and bad input). */
export const putReaction = (path: string, token: string | undefined, value: unknown = "like") =>
  api(path, { method: "PUT", token, json: { value } });

export const reactToVideo = (videoId: string, token: string, value: Reaction | null) =>
  setReaction(videoReaction(videoId), token, value);
export const reactToComment = (commentId: string, token: string, value: Reaction | null) =>
  setReaction(commentReaction(commentId), token, value);

/** GET /videos/{videoId}/reactions, as `token`'s caller (anonymous without one). */
export const videoCounts = (videoId: string, token?: string) =>
  apiJson<VideoCounts>(videoReactions(videoId), 200, token ? { token } : {});

/** Deletes the account through the API (its `account.deleted` erases what it left). */
export const deleteAccount = (account: SeededAccount) =>
  apiJson("/api/v1/me", 204, {
    method: "DELETE",
    token: account.accessToken,
    json: { password: account.password },
  });

/** Deletes one of the account's profiles through the API (`profile.deleted`). */
export const deleteProfile = (account: SeededAccount, profileId: string) =>
  apiJson(`/api/v1/me/profiles/${profileId}`, 204, { method: "DELETE", token: account.accessToken });

/** The video's counts in D1 (what the shards flushed). */
export async function d1Counts(videoId: string) {
  return testDb()
    .select({ likes: videos.likeCount, dislikes: videos.dislikeCount })
    .from(videos)
    .where(eq(videos.id, videoId))
    .get();
}

export async function d1Days(videoId: string) {
  return testDb()
    .select({
      day: videoReactionDays.day,
      likes: videoReactionDays.likes,
      dislikes: videoReactionDays.dislikes,
    })
    .from(videoReactionDays)
    .where(eq(videoReactionDays.videoId, videoId))
    .orderBy(asc(videoReactionDays.day));
}

/** The video's index rows (profile → value), as the shards mirrored them. */
export async function indexRows(videoId: string): Promise<Record<string, string>> {
  const rows = await testDb()
    .select({ profileId: videoReactionIndex.profileId, value: videoReactionIndex.value })
    .from(videoReactionIndex)
    .where(eq(videoReactionIndex.videoId, videoId))
    .orderBy(asc(videoReactionIndex.profileId));
  return Object.fromEntries(rows.map((r) => [r.profileId, r.value]));
}

/** The stored truth of a comment: the counts on it and the reaction rows behind them. */
export async function storedCommentReactions(commentId: string) {
  const db = testDb();
  const counts = await db
    .select({ likes: comments.likeCount, dislikes: comments.dislikeCount })
    .from(comments)
    .where(eq(comments.id, commentId))
    .get();
  const rowsOf = (value: Reaction) =>
    db.$count(
      commentReactions,
      and(eq(commentReactions.commentId, commentId), eq(commentReactions.value, value)),
    );
  return { counts, rows: { likes: await rowsOf("like"), dislikes: await rowsOf("dislike") } };
}

/** `n` signed-in profiles (5 per account: the default one plus four more), each with its own token. */
export async function seedProfiles(n: number, tag = "rxfan"): Promise<{ id: string; token: string }[]> {
  const seeded = await Promise.all(
    Array.from({ length: Math.ceil(n / 5) }, () =>
      seedAccount({ tag, profiles: Array.from({ length: 4 }, () => ({})) }),
    ),
  );
  return seeded.flatMap((a) => a.profiles.map((p) => ({ id: p.id, token: p.token }))).slice(0, n);
}

/**
 * `n` profile rows of one new account (minimal rows, no tokens) for tests of the object over RPC:
 * shards forget reactions of profiles that do not exist, so the profiles must be real rows.
 * Returns the ids in order.
 */
export async function insertProfiles(n: number, tag = "rxp"): Promise<string[]> {
  const accountId = lowerId("acc", tag);
  const ids = Array.from(
    { length: n },
    (_, i) => `${accountId.replace("acc_", "prf_")}${String(i).padStart(5, "0")}`,
  );
  const db = testDb();
  const rows = ids.map((id) => ({ id, accountId, name: "Fan" }));
  // A profile row binds six parameters (its defaults included); D1 allows 100 per statement.
  await db.batch([
    db
      .insert(accounts)
      .values({ id: accountId, email: `${accountId}@example.test`, displayName: "Reacting fans" }),
    ...chunksOf(rows, 14).map((chunk) => db.insert(profiles).values(chunk)),
  ]);
  return ids;
}
