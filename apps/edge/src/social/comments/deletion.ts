/**
 * Deleting a comment (its author, the video's owner, moderators, admins): one with replies (of any
 * status) stays as a "removed" tombstone with its text erased, so the thread holds together; one
 * without disappears, and a tombstone whose last reply goes disappears with it.
 */
import { and, eq, inArray } from "drizzle-orm";
import { sealStaffCommentDeletion, staffCommentDeletion } from "../../audit/staff";
import { authorize } from "../../auth/permissions";
import { comments, videos } from "../../db/schema";
import type { Services } from "../../services";
import type { Actor } from "../../types";
import { commentIn, hasNoReplies, moveCounts } from "./counts";
import { loadForAction } from "./visibility";

export async function deleteComment(s: Services, actor: Actor, commentId: string): Promise<void> {
  const { comment, video } = await loadForAction(s, actor, commentId);
  authorize(actor, "comment.delete", { ownerProfileId: comment.profileId, ownerAccountId: video.accountId });
  const live = inArray(comments.status, ["published", "held"]);
  const parentId = comment.parentId ?? "";
  await s.db.batch([
    // Staff deleting someone else's comment on someone else's video: audited (docs/moderation.md).
    ...staffCommentDeletion(s, actor, comment, video),
    ...moveCounts(s.db, comment, -1, commentIn(s.db, comment.id, "published")),
    s.db
      .update(videos)
      .set({ pinnedCommentId: null })
      .where(and(eq(videos.id, video.id), eq(videos.pinnedCommentId, comment.id))),
    s.db.delete(comments).where(and(eq(comments.id, comment.id), live, hasNoReplies(s.db, comment.id))),
    s.db
      .update(comments)
      .set({ status: "removed", body: "", heldReason: null, updatedAt: Date.now() })
      .where(and(eq(comments.id, comment.id), live)),
    s.db
      .delete(comments)
      .where(and(eq(comments.id, parentId), eq(comments.status, "removed"), hasNoReplies(s.db, parentId))),
  ]);
  await sealStaffCommentDeletion(s, actor, comment, video);
}
