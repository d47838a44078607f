/**
 * Comment reactions: plain D1 rows (`comment_reactions`, one per comment and profile) with the
 * counts on `comments`. Comment traffic is modest, so no Durable Object: every change is one D1
 * batch, and a D1 batch is a single transaction that D1 runs alone, which is what keeps the rule
 * "one reaction per profile" and the counts exact under concurrent requests (see `setCommentReaction`).
 */
import { and, count, eq, inArray, sql } from "drizzle-orm";
import { authorize, can } from "../../auth/permissions";
import type { Db } from "../../db/client";
import { commentReactions, comments } from "../../db/schema";
import { now } from "../../db/schema/columns";
import { chunksOf, deleteInBatches } from "../../events/erasure";
import { AppError } from "../../lib/errors";
import type { Services } from "../../services";
import type { Actor } from "../../types";
import { assertCanRead, loadVideo } from "../../videos/access";
import type { ReactionInput } from "./schemas";
import type { ReactionState } from "./service";
import type { ReactionValue } from "./shard-protocol";

/** A published comment on a video the actor can see; anything else is 404. */
async function reactableComment(s: Services, actor: Actor, commentId: string) {
  const comment = await s.db
    .select({ videoId: comments.videoId, status: comments.status })
    .from(comments)
    .where(eq(comments.id, commentId))
    .get();
  if (comment?.status !== "published") throw new AppError("not_found", "No such comment");
  const video = await loadVideo(s.db, comment.videoId);
  assertCanRead(actor, video);
  authorize(actor, "reaction.set");
  return { video, profileId: actor.profileId as string };
}

/**
 * The comment's counts moved from the profile's stored reaction to `next` (null: none). The stored
 * one is read by the UPDATE itself, so inside the batch's transaction.
 */
function movedCounts(db: Db, commentId: string, profileId: string, next: ReactionValue | null) {
  const had = (value: ReactionValue) => {
    const stored = db
      .select({ same: sql`${commentReactions.value} = ${value}` })
      .from(commentReactions)
      .where(and(eq(commentReactions.commentId, commentId), eq(commentReactions.profileId, profileId)));
    return sql`COALESCE(${stored}, 0)`;
  };
  return {
    likeCount: sql`${comments.likeCount} + ${next === "like" ? 1 : 0} - ${had("like")}`,
    dislikeCount: sql`${comments.dislikeCount} + ${next === "dislike" ? 1 : 0} - ${had("dislike")}`,
  };
}

const countsOf = (db: Db, commentId: string) =>
  db
    .select({ likes: comments.likeCount, dislikes: comments.dislikeCount, status: comments.status })
    .from(comments)
    .where(eq(comments.id, commentId));

type CountsRow = Awaited<ReturnType<typeof countsOf>>[number];

function answer(
  actor: Actor,
  ownerAccountId: string,
  value: ReactionState["value"],
  row: CountsRow | undefined,
): ReactionState {
  // The comment stopped being published between our read and the batch: nothing was written.
  if (row?.status !== "published") throw new AppError("not_found", "No such comment");
  const dislikes = can(actor, "video.manage", { ownerAccountId }) ? { dislikes: row.dislikes } : {};
  return { value, likes: row.likes, ...dislikes };
}

/**
 * One batch: move the counts by (new − previous), upsert the row, read the counts back. The
 * previous value is read by the UPDATE itself, inside the transaction, so two concurrent requests
 * can never both count against the same "no reaction yet" state; repeating a value adds 1 and
 * subtracts 1. The UPDATE and the INSERT share the `status = 'published'` condition, so either both
 * happen or neither does (a comment removed meanwhile gets no row and no count).
 */
export async function setCommentReaction(
  s: Services,
  actor: Actor,
  commentId: string,
  input: ReactionInput,
): Promise<ReactionState> {
  const { video, profileId } = await reactableComment(s, actor, commentId);
  const db = s.db;
  const published = and(eq(comments.id, commentId), eq(comments.status, "published"));
  const [, , read] = await db.batch([
    db
      .update(comments)
      .set(movedCounts(db, commentId, profileId, input.value))
      .where(published),
    db
      .insert(commentReactions)
      .select((qb) =>
        qb
          .select({
            commentId: comments.id,
            profileId: sql<string>`${profileId}`.as("profile_id"),
            value: sql<ReactionValue>`${input.value}`.as("value"),
            createdAt: now.as("created_at"),
          })
          .from(comments)
          .where(published),
      )
      .onConflictDoUpdate({
        target: [commentReactions.commentId, commentReactions.profileId],
        set: { value: input.value },
      }),
    countsOf(db, commentId),
  ]);
  return answer(actor, video.accountId, input.value, read[0]);
}

/** The same batch shape: subtract the previous value, delete the row, read the counts back. */
export async function clearCommentReaction(
  s: Services,
  actor: Actor,
  commentId: string,
): Promise<ReactionState> {
  const { video, profileId } = await reactableComment(s, actor, commentId);
  const db = s.db;
  const [, , read] = await db.batch([
    db
      .update(comments)
      .set(movedCounts(db, commentId, profileId, null))
      .where(eq(comments.id, commentId)),
    db
      .delete(commentReactions)
      .where(and(eq(commentReactions.commentId, commentId), eq(commentReactions.profileId, profileId))),
    countsOf(db, commentId),
  ]);
  return answer(actor, video.accountId, null, read[0]);
}

/**
 * Profiles per statement and comments per erase batch: the count UPDATE binds the profiles twice
 * and the comments once, within D1's 100 parameters.
 */
const PROFILES_PER_STATEMENT = 20;
const ERASE_LIMITS = { batchRows: 40, maxBatches: 50 };

/**
 * Erases these profiles' comment reactions and takes them out of the counts (account deletion).
 * Page by page, each page one transaction (counts and rows move together), so a retry after a
 * crash simply continues with what is left; bounded per delivery (events/erasure.ts).
 */
export async function eraseCommentReactions(db: Db, profileIds: readonly string[]): Promise<void> {
  for (const chunk of chunksOf(profileIds, PROFILES_PER_STATEMENT)) {
    const theirs = (value: ReactionValue) =>
      db
        .select({ n: count() })
        .from(commentReactions)
        .where(
          and(
            eq(commentReactions.commentId, comments.id),
            inArray(commentReactions.profileId, chunk),
            eq(commentReactions.value, value),
          ),
        );
    await deleteInBatches(
      `comment reactions of ${chunk.length} profile(s)`,
      async (batchRows) => {
        const page = await db
          .selectDistinct({ commentId: commentReactions.commentId })
          .from(commentReactions)
          .where(inArray(commentReactions.profileId, chunk))
          .limit(batchRows);
        if (page.length === 0) return 0;
        const ids = page.map((r) => r.commentId);
        await db.batch([
          db
            .update(comments)
            .set({
              likeCount: sql`${comments.likeCount} - ${theirs("like")}`,
              dislikeCount: sql`${comments.dislikeCount} - ${theirs("dislike")}`,
            })
            .where(inArray(comments.id, ids)),
          db
            .delete(commentReactions)
            .where(and(inArray(commentReactions.commentId, ids), inArray(commentReactions.profileId, chunk))),
        ]);
        return page.length;
      },
      ERASE_LIMITS,
    );
  }
}
