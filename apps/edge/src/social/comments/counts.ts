/**
 * The counts of comments — `videos.comment_count` (published comments and replies) and
 * `comments.reply_count` (published replies) — change in the same D1 batch as the status they
 * follow, guarded by the state the batch started from (checked inside the statements), so
 * concurrent or repeated requests cannot count anything twice nor leave a reply without its parent.
 */
import { and, eq, exists, isNull, notExists, type SQL, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db } from "../../db/client";
import { comments, videos } from "../../db/schema";

/** Another look at the comments table, for conditions on rows other than the one being written. */
const other = alias(comments, "other");

/** The comment is (still) in `status`: guards a count change on the state the batch starts from. */
export const commentIn = (db: Db, commentId: string, status: "published" | "held") =>
  exists(
    db
      .select({ id: other.id })
      .from(other)
      .where(and(eq(other.id, commentId), eq(other.status, status))),
  );

/** The comment is a published top-level comment of the video: one that may take replies or the pin. */
export const publishedTopLevel = (db: Db, commentId: string, videoId: string) =>
  exists(
    db
      .select({ id: other.id })
      .from(other)
      .where(
        and(
          eq(other.id, commentId),
          eq(other.videoId, videoId),
          isNull(other.parentId),
          eq(other.status, "published"),
        ),
      ),
  );

/** No reply (of any status) hangs from the comment `parentId` (a column, or an id). */
export const hasNoReplies = (db: Db, parentId: string | typeof comments.id) =>
  notExists(db.select({ id: other.id }).from(other).where(eq(other.parentId, parentId)));

/**
 * The statements that move a comment's counts by `by` while `guard` holds: its video's count and,
 * for a reply, its parent's reply count (for a top-level comment that statement matches nothing).
 */
export function moveCounts(
  db: Db,
  comment: { videoId: string; parentId: string | null },
  by: 1 | -1,
  guard: SQL,
) {
  return [
    db
      .update(videos)
      .set({ commentCount: sql`${videos.commentCount} + ${by}` })
      .where(and(eq(videos.id, comment.videoId), guard)),
    db
      .update(comments)
      .set({ replyCount: sql`${comments.replyCount} + ${by}` })
      .where(and(eq(comments.id, comment.parentId ?? ""), guard)),
  ] as const;
}
