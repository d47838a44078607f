/**
 * Comment reactions: plain D1 rows (`comment_reactions`, one per comment and profile) with the
 * counts on `comments`. Comment traffic is modest, so no Durable Object: every change is one D1
 * batch, and a D1 batch is a single transaction that D1 runs alone, which is what keeps the rule
 * "one reaction per profile" and the counts exact under concurrent requests (see `setCommentReaction`).
 */
import { authorize, can } from "../../auth/permissions";
import { AppError } from "../../lib/errors";
import type { Services } from "../../services";
import type { Actor } from "../../types";
import { assertCanRead, loadVideo } from "../../videos/access";
import type { ReactionInput } from "./schemas";
import type { ReactionState } from "./service";

interface CommentRow {
  id: string;
  video_id: string;
  status: string;
}

interface CountsRow {
  like_count: number;
  dislike_count: number;
  status: string;
}

/** A published comment on a video the actor can see; anything else is 404. */
async function reactableComment(s: Services, actor: Actor, commentId: string) {
  const comment = await s.env.DB.prepare("SELECT id, video_id, status FROM comments WHERE id = ?")
    .bind(commentId)
    .first<CommentRow>();
  if (comment?.status !== "published") throw new AppError("not_found", "No such comment");
  const video = await loadVideo(s.db, comment.video_id);
  assertCanRead(actor, video);
  authorize(actor, "reaction.set");
  return { video, profileId: actor.profileId as string };
}

/** The previous value's contribution, read inside the same transaction as the write. */
const PREV = (value: "like" | "dislike") =>
  `COALESCE((SELECT value = '${value}' FROM comment_reactions WHERE comment_id = ?1 AND profile_id = ?2), 0)`;

function answer(
  actor: Actor,
  ownerAccountId: string,
  value: ReactionState["value"],
  row: CountsRow | undefined,
): ReactionState {
  // The comment stopped being published between our read and the batch: nothing was written.
  if (row?.status !== "published") throw new AppError("not_found", "No such comment");
  const dislikes = can(actor, "video.manage", { ownerAccountId }) ? { dislikes: row.dislike_count } : {};
  return { value, likes: row.like_count, ...dislikes };
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
  const db = s.env.DB;
  const [, , read] = await db.batch([
    db
      .prepare(
        `UPDATE comments
            SET like_count = like_count + (?3 = 'like') - ${PREV("like")},
                dislike_count = dislike_count + (?3 = 'dislike') - ${PREV("dislike")}
          WHERE id = ?1 AND status = 'published'`,
      )
      .bind(commentId, profileId, input.value),
    db
      .prepare(
        `INSERT INTO comment_reactions (comment_id, profile_id, value)
         SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM comments WHERE id = ?1 AND status = 'published')
         ON CONFLICT (comment_id, profile_id) DO UPDATE SET value = excluded.value`,
      )
      .bind(commentId, profileId, input.value),
    db.prepare("SELECT like_count, dislike_count, status FROM comments WHERE id = ?1").bind(commentId),
  ]);
  return answer(actor, video.accountId, input.value, read?.results[0] as CountsRow | undefined);
}

/** The same batch shape: subtract the previous value, delete the row, read the counts back. */
export async function clearCommentReaction(
  s: Services,
  actor: Actor,
  commentId: string,
): Promise<ReactionState> {
  const { video, profileId } = await reactableComment(s, actor, commentId);
  const db = s.env.DB;
  const [, , read] = await db.batch([
    db
      .prepare(
        `UPDATE comments
            SET like_count = like_count - ${PREV("like")}, dislike_count = dislike_count - ${PREV("dislike")}
          WHERE id = ?1`,
      )
      .bind(commentId, profileId),
    db
      .prepare("DELETE FROM comment_reactions WHERE comment_id = ?1 AND profile_id = ?2")
      .bind(commentId, profileId),
    db.prepare("SELECT like_count, dislike_count, status FROM comments WHERE id = ?1").bind(commentId),
  ]);
  return answer(actor, video.accountId, null, read?.results[0] as CountsRow | undefined);
}

/** Comments per erase batch. */
const ERASE_PAGE = 200;

/**
 * Erases these profiles' comment reactions and takes them out of the counts (account deletion).
 * Page by page, each page one transaction (counts and rows move together), so a retry after a
 * crash simply continues with what is left. Returns how many comments were touched.
 */
export async function eraseCommentReactions(d1: D1Database, profileIds: string[]): Promise<number> {
  if (profileIds.length === 0) return 0;
  const profiles = JSON.stringify(profileIds);
  const IN_PROFILES = "IN (SELECT value FROM json_each(?1))";
  let touched = 0;
  for (;;) {
    const page = await d1
      .prepare(`SELECT DISTINCT comment_id FROM comment_reactions WHERE profile_id ${IN_PROFILES} LIMIT ?2`)
      .bind(profiles, ERASE_PAGE)
      .all<{ comment_id: string }>();
    if (page.results.length === 0) return touched;
    const ids = JSON.stringify(page.results.map((r) => r.comment_id));
    const mine = (value: string) =>
      `(SELECT COUNT(*) FROM comment_reactions r
         WHERE r.comment_id = comments.id AND r.profile_id ${IN_PROFILES} AND r.value = '${value}')`;
    await d1.batch([
      d1
        .prepare(
          `UPDATE comments SET like_count = like_count - ${mine("like")}, dislike_count = dislike_count - ${mine("dislike")}
            WHERE id IN (SELECT value FROM json_each(?2))`,
        )
        .bind(profiles, ids),
      d1
        .prepare(
          `DELETE FROM comment_reactions WHERE comment_id IN (SELECT value FROM json_each(?2)) AND profile_id ${IN_PROFILES}`,
        )
        .bind(profiles, ids),
    ]);
    touched += page.results.length;
  }
}
