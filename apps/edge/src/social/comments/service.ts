/**
 * Comments: threads one level deep under a video, per profile. Rules (docs/social.md, Comments):
 *   - who may do what is decided in auth/permissions.ts (comment.create / edit / delete / moderate);
 *   - held comments are seen only by their author profile, the video's owner and staff; a video with
 *     comments `off` shows its comments to nobody else either;
 *   - counts (`videos.comment_count`: published comments and replies; `comments.reply_count`:
 *     published replies) change in the same D1 batch as the status they follow, guarded by the status
 *     the batch started from, so concurrent or repeated requests cannot count anything twice.
 */
import { and, asc, desc, eq, gt, inArray, isNull, lt, ne, or, type SQL, sql } from "drizzle-orm";
import { authorize, can, requireProfile } from "../../auth/permissions";
import { comments, profiles, videos } from "../../db/schema";
import { AppError } from "../../lib/errors";
import { newId } from "../../lib/ids";
import type { Services } from "../../services";
import type { Actor } from "../../types";
import { assertCanRead, loadVideo } from "../../videos/access";
import type { VideoRow } from "../../videos/view";
import { announcePublished } from "./announce";
import { type CommentSort, type CursorPosition, decodeCursor, encodeCursor } from "./cursor";
import type { CommentsMode, CommentView } from "./schemas";
import { findWatchedWord } from "./text";
import { wordsFor } from "./watched-words";

export type CommentRow = typeof comments.$inferSelect;

/** Posting rate limit per profile: a sliding window in the LoginThrottle Durable Object. */
export const POSTING_LIMIT = { limit: 10, windowSeconds: 60 } as const;
export const DELETED_USER = "deleted user";

/** Who is looking, relative to one video. */
interface Viewer {
  profileId: string | null;
  /** The video's owner (grown-up profiles), moderators and admins: see held comments, reasons, dislikes. */
  moderator: boolean;
}

function viewerOf(actor: Actor | null, video: VideoRow): Viewer {
  return {
    profileId: actor?.profileId ?? null,
    moderator: actor !== null && can(actor, "comment.moderate", { ownerAccountId: video.accountId }),
  };
}

const noSuchComment = () => new AppError("not_found", "No such comment");
const commentsOff = () => new AppError("forbidden", "Comments are turned off for this video");

function isVisible(c: CommentRow, viewer: Viewer): boolean {
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
function visibleSql(viewer: Viewer): SQL | undefined {
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
const listable = (video: VideoRow, viewer: Viewer) => video.commentsMode !== "off" || viewer.moderator;

// ---- reading ----------------------------------------------------------------------------------

const joined = { c: comments, name: profiles.name, avatarUrl: profiles.avatarUrl };
interface Joined {
  c: CommentRow;
  name: string | null;
  avatarUrl: string | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function commentView(row: Joined, video: VideoRow, viewer: Viewer): CommentView {
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

async function loadComment(s: Services, commentId: string): Promise<CommentRow | undefined> {
  return s.db.select().from(comments).where(eq(comments.id, commentId)).get();
}

async function loadJoined(s: Services, commentId: string): Promise<Joined | undefined> {
  return s.db
    .select(joined)
    .from(comments)
    .leftJoin(profiles, eq(profiles.id, comments.profileId))
    .where(eq(comments.id, commentId))
    .get();
}

async function viewOf(s: Services, commentId: string, video: VideoRow, viewer: Viewer) {
  const row = await loadJoined(s, commentId);
  if (!row) throw noSuchComment();
  return commentView(row, video, viewer);
}

/** Orders and resumes a list: `top` by likes then newest, `newest`, or `oldest` (replies). */
function ordering(sort: CommentSort) {
  switch (sort) {
    case "top":
      return [desc(comments.likeCount), desc(comments.createdAt), desc(comments.id)];
    case "newest":
      return [desc(comments.createdAt), desc(comments.id)];
    case "oldest":
      return [asc(comments.createdAt), asc(comments.id)];
  }
}

function after(p: CursorPosition): SQL | undefined {
  const before = (t: number, id: string) =>
    or(lt(comments.createdAt, t), and(eq(comments.createdAt, t), lt(comments.id, id)));
  switch (p.s) {
    case "top": {
      const likes = p.l ?? 0;
      return or(lt(comments.likeCount, likes), and(eq(comments.likeCount, likes), before(p.t, p.i)));
    }
    case "newest":
      return before(p.t, p.i);
    case "oldest":
      return or(gt(comments.createdAt, p.t), and(eq(comments.createdAt, p.t), gt(comments.id, p.i)));
  }
}

const positionOf = (sort: CommentSort, c: CommentRow): CursorPosition => ({
  s: sort,
  ...(sort === "top" ? { l: c.likeCount } : {}),
  t: c.createdAt,
  i: c.id,
});

/** A position before every item: where the rest starts when the pinned comment filled page one. */
const START: Record<CommentSort, CursorPosition> = {
  top: { s: "top", l: Number.MAX_SAFE_INTEGER, t: Number.MAX_SAFE_INTEGER, i: "~" },
  newest: { s: "newest", t: Number.MAX_SAFE_INTEGER, i: "~" },
  oldest: { s: "oldest", t: 0, i: "" },
};

async function page(
  s: Services,
  where: (SQL | undefined)[],
  sort: CommentSort,
  limit: number,
  position: CursorPosition | null,
): Promise<{ rows: Joined[]; next: CursorPosition | null }> {
  const rows = await s.db
    .select(joined)
    .from(comments)
    .leftJoin(profiles, eq(profiles.id, comments.profileId))
    .where(and(...where, position ? after(position) : undefined))
    .orderBy(...ordering(sort))
    .limit(limit + 1);
  if (rows.length <= limit) return { rows, next: null };
  const kept = rows.slice(0, limit);
  const last = kept[kept.length - 1];
  return { rows: kept, next: last ? positionOf(sort, last.c) : null };
}

export async function listComments(
  s: Services,
  actor: Actor | null,
  videoId: string,
  query: { sort: "top" | "newest"; limit: number; cursor?: string | undefined },
) {
  const video = await loadVideo(s.db, videoId);
  assertCanRead(actor, video);
  const viewer = viewerOf(actor, video);
  const position = query.cursor ? decodeCursor(query.cursor, query.sort) : null;
  const meta = { commentsMode: video.commentsMode, commentCount: video.commentCount };
  if (!listable(video, viewer)) return { items: [], nextCursor: null, ...meta };

  const topLevel = [eq(comments.videoId, video.id), isNull(comments.parentId), visibleSql(viewer)];
  const pinnedId = video.pinnedCommentId;
  if (pinnedId) topLevel.push(ne(comments.id, pinnedId));

  // The pinned comment leads the first page (and never shows up again further down).
  let pinned: Joined | undefined;
  if (!position && pinnedId) {
    const row = await loadJoined(s, pinnedId);
    if (row && row.c.videoId === video.id && row.c.parentId === null && isVisible(row.c, viewer))
      pinned = row;
  }
  const room = query.limit - (pinned ? 1 : 0);
  let rows: Joined[] = [];
  let next: CursorPosition | null = null;
  if (room > 0) ({ rows, next } = await page(s, topLevel, query.sort, room, position));
  // limit=1 and a pinned comment: page one is just the pin, the next starts at the top of the rest.
  else if ((await page(s, topLevel, query.sort, 1, null)).rows.length > 0) next = START[query.sort];
  const items = [...(pinned ? [pinned] : []), ...rows].map((r) => commentView(r, video, viewer));
  return { items, nextCursor: next ? encodeCursor(next) : null, ...meta };
}

export async function listReplies(
  s: Services,
  actor: Actor | null,
  commentId: string,
  query: { limit: number; cursor?: string | undefined },
) {
  const parent = await loadComment(s, commentId);
  if (!parent) throw noSuchComment();
  const video = await loadVideo(s.db, parent.videoId);
  assertCanRead(actor, video);
  const viewer = viewerOf(actor, video);
  if (!isVisible(parent, viewer)) throw noSuchComment();
  const position = query.cursor ? decodeCursor(query.cursor, "oldest") : null;
  // Replies are one level deep: a reply has none.
  if (parent.parentId !== null || !listable(video, viewer)) return { items: [], nextCursor: null };
  const { rows, next } = await page(
    s,
    [eq(comments.parentId, parent.id), visibleSql(viewer)],
    "oldest",
    query.limit,
    position,
  );
  return {
    items: rows.map((r) => commentView(r, video, viewer)),
    nextCursor: next ? encodeCursor(next) : null,
  };
}

// ---- writing ----------------------------------------------------------------------------------

/** `EXISTS` the comment in `status`: guards a count change on the state the batch starts from. */
const commentIn = (commentId: string, status: "published" | "held") =>
  sql`EXISTS (SELECT 1 FROM comments AS g WHERE g.id = ${commentId} AND g.status = ${status})`;

/** Counts one posting attempt of the profile; past the limit, 429 with Retry-After. */
async function takePostingSlot(s: Services, profileId: string): Promise<void> {
  const stub = s.env.LOGIN_THROTTLE.get(s.env.LOGIN_THROTTLE.idFromName(`comment-post:${profileId}`));
  const gate = await stub.begin(POSTING_LIMIT.limit, POSTING_LIMIT.windowSeconds);
  if (!gate.allowed) {
    const wait = gate.retryAfterSeconds ?? POSTING_LIMIT.windowSeconds;
    throw new AppError("rate_limited", `You are commenting too fast. Try again in ${wait} seconds.`, {
      headers: { "retry-after": String(wait) },
    });
  }
}

/** Why a new comment waits for review, or null to publish it: a watched word, or the video's mode. */
async function holdReason(s: Services, video: VideoRow, body: string): Promise<string | null> {
  const word = findWatchedWord(body, await wordsFor(s, video.channelId));
  if (word !== null) return `watched_word:${word}`;
  return video.commentsMode === "hold" ? "video_hold" : null;
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

  let parent: CommentRow | undefined;
  if (input.parentId !== undefined) {
    parent = await loadComment(s, input.parentId);
    if (!parent || parent.videoId !== video.id || !isVisible(parent, viewer)) {
      throw new AppError("not_found", "No such comment to reply to on this video");
    }
    if (parent.parentId !== null) {
      throw new AppError("conflict", "Replies are one level deep: reply to the top-level comment");
    }
    if (parent.status !== "published") throw new AppError("conflict", "Only published comments take replies");
  }

  // The video's owner and staff are not held for review on their own video.
  const reason = viewer.moderator ? null : await holdReason(s, video, input.body);
  await takePostingSlot(s, profileId);

  const id = newId("cmt");
  const now = Date.now();
  const status = reason === null ? "published" : "held";
  const values = {
    id,
    videoId: video.id,
    parentId: parent?.id ?? null,
    profileId,
    accountId: actor.accountId,
    body: input.body,
    status,
    heldReason: reason,
    createdAt: now,
    updatedAt: now,
  } as const;
  const published = commentIn(id, "published");
  const replyStatements = parent
    ? [
        // The reply stays only if its parent is still a published top-level comment of the video,
        // decided in the same transaction (a parent deleted meanwhile cannot end up with an orphan).
        s.db.delete(comments).where(
          and(
            eq(comments.id, id),
            sql`NOT EXISTS (SELECT 1 FROM comments AS p WHERE p.id = ${parent.id} AND p.video_id = ${video.id}
                              AND p.parent_id IS NULL AND p.status = 'published')`,
          ),
        ),
        s.db
          .update(comments)
          .set({ replyCount: sql`${comments.replyCount} + 1` })
          .where(and(eq(comments.id, parent.id), published)),
      ]
    : [];
  await s.db.batch([
    s.db.insert(comments).values(values),
    ...replyStatements,
    s.db
      .update(videos)
      .set({ commentCount: sql`${videos.commentCount} + 1` })
      .where(and(eq(videos.id, video.id), published)),
  ]);

  const row = await loadComment(s, id);
  if (!row) throw new AppError("conflict", "The comment you replied to was just removed");
  if (row.status === "published") await announcePublished(s, row, video);
  return viewOf(s, id, video, viewer);
}

/** The comment an action targets, with its video; 404 when the caller may not see it. */
async function loadForAction(s: Services, actor: Actor, commentId: string) {
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
    const wasPublished = commentIn(comment.id, "published");
    const [, , , updated] = await s.db.batch([
      s.db
        .update(videos)
        .set({ commentCount: sql`${videos.commentCount} - 1` })
        .where(and(eq(videos.id, video.id), wasPublished)),
      s.db
        .update(comments)
        .set({ replyCount: sql`${comments.replyCount} - 1` })
        .where(and(eq(comments.id, comment.parentId ?? ""), wasPublished)),
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

/**
 * Deletes a comment: one with replies (of any status) stays as a "removed" tombstone with its text
 * erased, so the thread holds together; one without disappears, and a tombstone whose last reply
 * goes disappears with it.
 */
export async function deleteComment(s: Services, actor: Actor, commentId: string): Promise<void> {
  const { comment, video } = await loadForAction(s, actor, commentId);
  authorize(actor, "comment.delete", { ownerProfileId: comment.profileId, ownerAccountId: video.accountId });
  const wasPublished = commentIn(comment.id, "published");
  const live = inArray(comments.status, ["published", "held"]);
  const noChildren = (id: string) => sql`NOT EXISTS (SELECT 1 FROM comments AS r WHERE r.parent_id = ${id})`;
  const now = Date.now();
  await s.db.batch([
    s.db
      .update(videos)
      .set({ commentCount: sql`${videos.commentCount} - 1` })
      .where(and(eq(videos.id, video.id), wasPublished)),
    s.db
      .update(comments)
      .set({ replyCount: sql`${comments.replyCount} - 1` })
      .where(and(eq(comments.id, comment.parentId ?? ""), wasPublished)),
    s.db
      .update(videos)
      .set({ pinnedCommentId: null })
      .where(and(eq(videos.id, video.id), eq(videos.pinnedCommentId, comment.id))),
    s.db.delete(comments).where(and(eq(comments.id, comment.id), live, noChildren(comment.id))),
    s.db
      .update(comments)
      .set({ status: "removed", body: "", heldReason: null, updatedAt: now })
      .where(and(eq(comments.id, comment.id), live)),
    s.db
      .delete(comments)
      .where(
        and(
          eq(comments.id, comment.parentId ?? ""),
          eq(comments.status, "removed"),
          noChildren(comment.parentId ?? ""),
        ),
      ),
  ]);
}

/** Publishes a held comment (the video's owner, moderators, admins); then its events go out. */
export async function approveComment(s: Services, actor: Actor, commentId: string) {
  const { comment, video, viewer } = await loadForAction(s, actor, commentId);
  authorize(actor, "comment.moderate", { ownerAccountId: video.accountId });
  if (comment.status === "published") return viewOf(s, comment.id, video, viewer);

  const wasHeld = commentIn(comment.id, "held");
  const [, , approved] = await s.db.batch([
    s.db
      .update(videos)
      .set({ commentCount: sql`${videos.commentCount} + 1` })
      .where(and(eq(videos.id, video.id), wasHeld)),
    s.db
      .update(comments)
      .set({ replyCount: sql`${comments.replyCount} + 1` })
      .where(and(eq(comments.id, comment.parentId ?? ""), wasHeld)),
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
    .where(
      and(
        eq(videos.id, video.id),
        sql`EXISTS (SELECT 1 FROM comments AS p WHERE p.id = ${commentId} AND p.video_id = ${video.id}
                    AND p.parent_id IS NULL AND p.status = 'published')`,
      ),
    )
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
