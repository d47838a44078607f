/**
 * What the video's owner (and moderators, admins) decide about its comments: approving held ones,
 * the pinned comment, and whether comments are open, held for review or off.
 */
import { and, eq } from "drizzle-orm";
import { authorize } from "../../auth/permissions";
import { comments, videos } from "../../db/schema";
import { AppError } from "../../lib/errors";
import type { Services } from "../../services";
import type { Actor } from "../../types";
import { assertCanRead, loadVideo } from "../../videos/access";
import type { VideoRow } from "../../videos/view";
import { announcePublished } from "./announce";
import { commentIn, moveCounts, publishedTopLevel } from "./counts";
import type { CommentsMode } from "./schemas";
import { viewOf } from "./view";
import { loadComment, loadForAction } from "./visibility";

/** Publishes a held comment; then its events go out. Approving a published one changes nothing. */
export async function approveComment(s: Services, actor: Actor, commentId: string) {
  const { comment, video, viewer } = await loadForAction(s, actor, commentId);
  authorize(actor, "comment.moderate", { ownerAccountId: video.accountId });
  if (comment.status === "published") return viewOf(s, comment.id, video, viewer);

  const [, , approved] = await s.db.batch([
    ...moveCounts(s.db, comment, 1, commentIn(s.db, comment.id, "held")),
    s.db
      .update(comments)
      .set({ status: "published", heldReason: null, updatedAt: Date.now() })
      .where(and(eq(comments.id, comment.id), eq(comments.status, "held")))
      .returning(),
  ]);
  const row = approved[0];
  // Someone approved it first (and announced it), or it was deleted meanwhile.
  if (!row) return viewOf(s, comment.id, video, viewer);
  await announcePublished(s, row, video);
  return viewOf(s, comment.id, video, viewer);
}

async function videoToModerate(s: Services, actor: Actor, videoId: string): Promise<VideoRow> {
  const video = await loadVideo(s.db, videoId);
  assertCanRead(actor, video);
  authorize(actor, "comment.moderate", { ownerAccountId: video.accountId });
  return video;
}

/** Pins a published top-level comment of the video (one at a time), or unpins with null. */
export async function pinComment(s: Services, actor: Actor, videoId: string, commentId: string | null) {
  const video = await videoToModerate(s, actor, videoId);
  if (commentId === null) {
    await s.db.update(videos).set({ pinnedCommentId: null }).where(eq(videos.id, video.id));
    return { videoId: video.id, pinnedCommentId: null };
  }
  // Checked in the statement itself, so a comment deleted meanwhile cannot be pinned.
  const pinned = await s.db
    .update(videos)
    .set({ pinnedCommentId: commentId })
    .where(and(eq(videos.id, video.id), publishedTopLevel(s.db, commentId, video.id)))
    .returning({ id: videos.id });
  if (pinned.length === 0) {
    const comment = await loadComment(s, commentId);
    if (!comment || comment.videoId !== video.id || comment.status === "removed") {
      throw new AppError("not_found", "No such comment on this video");
    }
    if (comment.parentId !== null) throw new AppError("conflict", "Only top-level comments can be pinned");
    throw new AppError("conflict", "Only published comments can be pinned (approve it first)");
  }
  return { videoId: video.id, pinnedCommentId: commentId };
}

/**
 * open / hold / off. Switching to open does not publish comments already held (approve them);
 * switching to off hides every comment from everyone but the owner and staff until it is reopened.
 */
export async function setCommentsMode(s: Services, actor: Actor, videoId: string, mode: CommentsMode) {
  const video = await videoToModerate(s, actor, videoId);
  await s.db.update(videos).set({ commentsMode: mode }).where(eq(videos.id, video.id));
  return { videoId: video.id, mode };
}
