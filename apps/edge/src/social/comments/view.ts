/** How a comment is shown to a viewer: author, body and moderation fields by who is looking. */
import { eq } from "drizzle-orm";
import { comments, profiles } from "../../db/schema";
import type { Services } from "../../services";
import type { VideoRow } from "../../videos/view";
import type { CommentView } from "./schemas";
import { type CommentRow, noSuchComment, type Viewer } from "./visibility";

export const DELETED_USER = "deleted user";

/** The columns a comment is shown from: the row and its author profile's name and avatar. */
export const joined = { c: comments, name: profiles.name, avatarUrl: profiles.avatarUrl };
export interface Joined {
  c: CommentRow;
  name: string | null;
  avatarUrl: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function commentView(row: Joined, video: VideoRow, viewer: Viewer): CommentView {
  const { c } = row;
  const removed = c.status === "removed" || c.status === "deleted";
  // A comment whose profile (or whole account) is gone is shown as the deleted user's.
  const anonymous = c.profileId === null || row.name === null;
  return {
    id: c.id,
    videoId: c.videoId,
    parentId: c.parentId,
    author: removed
      ? null
      : anonymous
        ? { profileId: null, name: DELETED_USER, avatarUrl: null }
        : { profileId: c.profileId, name: row.name ?? DELETED_USER, avatarUrl: row.avatarUrl },
    body: removed ? null : c.body,
    status: removed ? "removed" : c.status === "held" ? "held" : "published",
    heldReason: viewer.moderator ? c.heldReason : null,
    likeCount: c.likeCount,
    dislikeCount: viewer.moderator ? c.dislikeCount : null,
    replyCount: c.replyCount,
    edited: c.editedAt !== null,
    editedAt: iso(c.editedAt),
    pinned: video.pinnedCommentId === c.id,
    createdAt: new Date(c.createdAt).toISOString(),
  };
}

export async function loadJoined(s: Services, commentId: string): Promise<Joined | undefined> {
  return s.db
    .select(joined)
    .from(comments)
    .leftJoin(profiles, eq(profiles.id, comments.profileId))
    .where(eq(comments.id, commentId))
    .get();
}

/** The comment as `viewer` sees it now (after a write); 404 when it is gone. */
export async function viewOf(s: Services, commentId: string, video: VideoRow, viewer: Viewer) {
  const row = await loadJoined(s, commentId);
  if (!row) throw noSuchComment();
  return commentView(row, video, viewer);
}
