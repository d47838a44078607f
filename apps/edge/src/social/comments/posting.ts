/**
 * Posting and editing comments. A new comment is published at once or held for review (a watched
 * word, or a video set to hold); a reply hangs from a published top-level comment (one level deep).
 * Counts move in the same batch as the status they follow (counts.ts).
 */
import { and, eq, not } from "drizzle-orm";
import { gate } from "../../auth/limits";
import { authorize, requireProfile } from "../../auth/permissions";
import { comments, videos } from "../../db/schema";
import { AppError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { Services } from "../../services";
import type { Actor } from "../../types";
import { assertCanRead, loadVideo } from "../../videos/access";
import type { VideoRow } from "../../videos/view";
import { announcePublished } from "./announce";
import { commentIn, moveCounts, publishedTopLevel } from "./counts";
import { findWatchedWord } from "./text";
import { viewOf } from "./view";
import {
  type CommentRow,
  commentsOff,
  isVisible,
  loadComment,
  loadForAction,
  type Viewer,
  viewerOf,
} from "./visibility";
import { wordsFor } from "./watched-words";

/** Posting rate limit per profile: a sliding window in the RateLimiter Durable Object. */
export const POSTING_LIMIT = { limit: 10, windowSeconds: 60 } as const;

/** Why a new comment waits for review, or null to publish it: a watched word, or the video's mode. */
async function holdReason(s: Services, video: VideoRow, body: string): Promise<string | null> {
  const word = findWatchedWord(body, await wordsFor(s, video.channelId));
  if (word !== null) return `watched_word:${word}`;
  return video.commentsMode === "hold" ? "video_hold" : null;
}

/** The top-level comment a reply goes under, if it may take one. */
async function parentFor(
  s: Services,
  parentId: string,
  video: VideoRow,
  viewer: Viewer,
): Promise<CommentRow> {
  const parent = await loadComment(s, parentId);
  if (!parent || parent.videoId !== video.id || !isVisible(parent, viewer)) {
    throw new AppError("not_found", "No such comment to reply to on this video");
  }
  if (parent.parentId !== null) {
    throw new AppError("conflict", "Replies are one level deep: reply to the top-level comment");
  }
  if (parent.status !== "published") throw new AppError("conflict", "Only published comments take replies");
  return parent;
}

export async function createComment(
  s: Services,
  actor: Actor,
  videoId: string,
  input: { body: string; parentId?: string | undefined },
) {
  const profileId = requireProfile(actor, "comment.create");
  const video = await loadVideo(s.db, videoId);
  assertCanRead(actor, video);
  const viewer = viewerOf(actor, video);
  if (video.commentsMode === "off") throw commentsOff();
  const parent = input.parentId === undefined ? null : await parentFor(s, input.parentId, video, viewer);

  // The video's owner and staff are not held for review on their own video.
  const reason = viewer.moderator ? null : await holdReason(s, video, input.body);
  // Past the limit, 429 with Retry-After.
  await gate(s.env, [[`comment-post:${profileId}`, POSTING_LIMIT]], "comments");

  const id = newId("cmt");
  const now = Date.now();
  const values = {
    id,
    videoId: video.id,
    parentId: parent?.id ?? null,
    profileId,
    accountId: actor.accountId,
    body: input.body,
    status: reason === null ? "published" : "held",
    heldReason: reason,
    createdAt: now,
    updatedAt: now,
  } as const;
  // The reply stays only if its parent is still a published top-level comment of the video,
  // decided in the same transaction (a parent deleted meanwhile cannot end up with an orphan).
  const orphanGuard = parent
    ? [
        s.db
          .delete(comments)
          .where(and(eq(comments.id, id), not(publishedTopLevel(s.db, parent.id, video.id)))),
      ]
    : [];
  await s.db.batch([
    s.db.insert(comments).values(values),
    ...orphanGuard,
    ...moveCounts(s.db, values, 1, commentIn(s.db, id, "published")),
  ]);

  const row = await loadComment(s, id);
  if (!row) throw new AppError("conflict", "The comment you replied to was just removed");
  if (row.status === "published") await announcePublished(s, row, video);
  return viewOf(s, id, video, viewer);
}

const changedMeanwhile = () => new AppError("conflict", "The comment changed meanwhile; reload it and retry");

export async function editComment(s: Services, actor: Actor, commentId: string, body: string) {
  const { comment, video, viewer } = await loadForAction(s, actor, commentId);
  authorize(actor, "comment.edit", { ownerProfileId: comment.profileId });
  if (video.commentsMode === "off") throw commentsOff();
  if (body === comment.body) return viewOf(s, comment.id, video, viewer);

  const word = viewer.moderator ? null : findWatchedWord(body, await wordsFor(s, video.channelId));
  const now = Date.now();
  const edit = { body, editedAt: now, updatedAt: now };
  const sameStatus = and(eq(comments.id, comment.id), eq(comments.status, comment.status));

  if (comment.status === "published" && word !== null) {
    // A published comment edited to include a watched word goes back to review: it leaves the
    // counts (and the pinned slot) until approved again.
    const wasPublished = commentIn(s.db, comment.id, "published");
    const [, , , updated] = await s.db.batch([
      ...moveCounts(s.db, comment, -1, wasPublished),
      s.db
        .update(videos)
        .set({ pinnedCommentId: null })
        .where(and(eq(videos.id, video.id), eq(videos.pinnedCommentId, comment.id), wasPublished)),
      s.db
        .update(comments)
        .set({ ...edit, status: "held", heldReason: `watched_word:${word}` })
        .where(sameStatus)
        .returning({ id: comments.id }),
    ]);
    if (updated.length === 0) throw changedMeanwhile();
  } else {
    const heldReason =
      comment.status === "held" && word !== null ? `watched_word:${word}` : comment.heldReason;
    const updated = await s.db
      .update(comments)
      .set({ ...edit, heldReason })
      .where(sameStatus)
      .returning({ id: comments.id });
    if (updated.length === 0) throw changedMeanwhile();
  }
  // The video as it is now: the edit may have taken the comment out of the pinned slot.
  const current = await loadVideo(s.db, video.id);
  return viewOf(s, comment.id, current, viewerOf(actor, current));
}
