/**
 * Who sees which comment (docs/social.md, Comments): held comments are seen only by their author
 * profile, the video's owner and staff; a video with comments `off` shows its comments to nobody
 * else either. Who may *act* on a comment is decided in auth/permissions.ts.
 */
import { and, eq, gt, inArray, or, type SQL } from "drizzle-orm";
import { can } from "../../auth/permissions";
import { comments } from "../../db/schema";
import { AppError } from "../../lib/errors";
import type { Services } from "../../services";
import type { Actor } from "../../types";
import { assertCanRead, loadVideo } from "../../videos/access";
import type { VideoRow } from "../../videos/view";

export type CommentRow = typeof comments.$inferSelect;

/** Who is looking, relative to one video. */
export interface Viewer {
  profileId: string | null;
  /** The video's owner (grown-up profiles), moderators and admins: see held comments, reasons, dislikes. */
  moderator: boolean;
}

export function viewerOf(actor: Actor | null, video: VideoRow): Viewer {
  return {
    profileId: actor?.profileId ?? null,
    moderator: actor !== null && can(actor, "comment.moderate", { ownerAccountId: video.accountId }),
  };
}

export const noSuchComment = () => new AppError("not_found", "No such comment");
export const commentsOff = () => new AppError("forbidden", "Comments are turned off for this video");

export function isVisible(c: CommentRow, viewer: Viewer): boolean {
  switch (c.status) {
    case "published":
      return true;
    case "held":
      return viewer.moderator || (viewer.profileId !== null && c.profileId === viewer.profileId);
    case "removed":
      return viewer.moderator || c.replyCount > 0;
    default:
      return false;
  }
}

/** The same rule as isVisible, as a SQL condition. */
export function visibleSql(viewer: Viewer): SQL | undefined {
  if (viewer.moderator) return inArray(comments.status, ["published", "held", "removed"]);
  return or(
    eq(comments.status, "published"),
    and(eq(comments.status, "removed"), gt(comments.replyCount, 0)),
    viewer.profileId === null
      ? undefined
      : and(eq(comments.status, "held"), eq(comments.profileId, viewer.profileId)),
  );
}

/** With comments off, only the owner and staff still see the ones already there. */
export const listable = (video: VideoRow, viewer: Viewer) => video.commentsMode !== "off" || viewer.moderator;

export async function loadComment(s: Services, commentId: string): Promise<CommentRow | undefined> {
  return s.db.select().from(comments).where(eq(comments.id, commentId)).get();
}

/** The comment an action targets, with its video; 404 when the caller may not see it. */
export async function loadForAction(s: Services, actor: Actor, commentId: string) {
  const comment = await loadComment(s, commentId);
  if (!comment) throw noSuchComment();
  const video = await loadVideo(s.db, comment.videoId);
  assertCanRead(actor, video);
  const viewer = viewerOf(actor, video);
  if (comment.status === "removed" || comment.status === "deleted" || !isVisible(comment, viewer)) {
    throw noSuchComment();
  }
  return { comment, video, viewer };
}
