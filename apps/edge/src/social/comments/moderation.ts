/**
 * What the video's owner (and moderators, admins) decide about its comments: approving held ones,
 * the pinned comment, and whether comments are open, held for review or off.
 */
import { and, eq, isNull, ne, or, type SQLWrapper } from "drizzle-orm";
import { sealQuietly } from "../../audit/chain";
import { type AuditEntry, auditActorOf, auditInsertIf } from "../../audit/log";
import { authorize, can } from "../../auth/permissions";
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

/**
 * The audit row of a moderator's or admin's decision on someone else's video (the owner's own
 * decisions about their comments are not staff actions): none when the actor owns the video. It
 * goes in the batch before the change, guarded by `exists` (what the change will touch), so a change
 * that turns out to do nothing records nothing.
 */
function staffAudit(
  s: Services,
  actor: Actor,
  video: VideoRow,
  entry: Omit<AuditEntry, "action">,
  exists: SQLWrapper,
): [] | [ReturnType<typeof auditInsertIf>] {
  if (video.accountId === actor.accountId) return [];
  return [auditInsertIf(s, auditActorOf(actor), { action: "moderation.comment", ...entry }, exists)];
}

const sealIfStaff = (s: Services, actor: Actor, video: VideoRow) =>
  video.accountId === actor.accountId ? Promise.resolve() : sealQuietly(s, "moderation.comment");

/** Held by reports (moderation auto-hide): its case is the moderators', not the video owner's. */
const HELD_BY_REPORTS = "reports";

/**
 * Publishes a held comment; then its events go out. Approving a published one changes nothing.
 * A comment held by reports is approved only by staff (moderation.queue) who did not write it: the
 * video's owner gets 409 (it is under review), and a staff author 403 (nobody clears their own).
 */
export async function approveComment(s: Services, actor: Actor, commentId: string) {
  const { comment, video, viewer } = await loadForAction(s, actor, commentId);
  authorize(actor, "comment.moderate", { ownerAccountId: video.accountId });
  if (comment.status === "published") return viewOf(s, comment.id, video, viewer);
  const staff = can(actor, "moderation.queue");
  if (comment.heldReason === HELD_BY_REPORTS) {
    if (!staff) throw new AppError("conflict", "This comment is under review by moderators");
    if (comment.accountId === actor.accountId) {
      throw new AppError("forbidden", "You cannot approve your own reported comment");
    }
  }

  // Re-checked in the statement: a report may hold it between the read above and this write.
  const held = and(
    eq(comments.id, comment.id),
    eq(comments.status, "held"),
    staff ? undefined : or(isNull(comments.heldReason), ne(comments.heldReason, HELD_BY_REPORTS)),
  );
  const results = await s.db.batch([
    ...moveCounts(s.db, comment, 1, commentIn(s.db, comment.id, "held")),
    ...staffAudit(
      s,
      actor,
      video,
      {
        targetType: "comment",
        targetId: comment.id,
        before: { status: "held", heldReason: comment.heldReason, videoId: video.id },
        after: { status: "published" },
      },
      s.db.select({ id: comments.id }).from(comments).where(held),
    ),
    s.db
      .update(comments)
      .set({ status: "published", heldReason: null, updatedAt: Date.now() })
      .where(held)
      .returning(),
  ]);
  const row = (results[results.length - 1] as (typeof comments.$inferSelect)[])[0];
  // Someone approved it first (and announced it), or it was deleted meanwhile.
  if (!row) return viewOf(s, comment.id, video, viewer);
  await sealIfStaff(s, actor, video);
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
  const pin = { targetType: "video", targetId: video.id, before: { pinnedCommentId: video.pinnedCommentId } };
  if (commentId === null) {
    const theVideo = eq(videos.id, video.id);
    await s.db.batch([
      ...staffAudit(
        s,
        actor,
        video,
        { ...pin, after: { pinnedCommentId: null } },
        s.db.select({ id: videos.id }).from(videos).where(theVideo),
      ),
      s.db.update(videos).set({ pinnedCommentId: null }).where(theVideo),
    ]);
    await sealIfStaff(s, actor, video);
    return { videoId: video.id, pinnedCommentId: null };
  }
  // Checked in the statement itself, so a comment deleted meanwhile cannot be pinned.
  const pinnable = and(eq(videos.id, video.id), publishedTopLevel(s.db, commentId, video.id));
  const results = await s.db.batch([
    ...staffAudit(
      s,
      actor,
      video,
      { ...pin, after: { pinnedCommentId: commentId } },
      s.db.select({ id: videos.id }).from(videos).where(pinnable),
    ),
    s.db.update(videos).set({ pinnedCommentId: commentId }).where(pinnable).returning({ id: videos.id }),
  ]);
  const pinned = results[results.length - 1] as { id: string }[];
  if (pinned.length > 0) await sealIfStaff(s, actor, video);
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
  const theVideo = eq(videos.id, video.id);
  await s.db.batch([
    ...staffAudit(
      s,
      actor,
      video,
      {
        targetType: "video",
        targetId: video.id,
        before: { commentsMode: video.commentsMode },
        after: { commentsMode: mode },
      },
      s.db.select({ id: videos.id }).from(videos).where(theVideo),
    ),
    s.db.update(videos).set({ commentsMode: mode }).where(theVideo),
  ]);
  await sealIfStaff(s, actor, video);
  return { videoId: video.id, mode };
}
