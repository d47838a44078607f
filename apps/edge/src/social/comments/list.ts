/**
 * Reading threads: a video's top-level comments (the pinned one first) and a comment's replies,
 * each as the viewer may see them (visibility.ts), keyset-paginated (ordering.ts).
 */
import { and, eq, isNull, ne, type SQL } from "drizzle-orm";
import { comments, profiles } from "../../db/schema";
import type { ListQuery, Page } from "../../lib/pagination";
import type { Services } from "../../services";
import type { Actor } from "../../types";
import { assertCanRead, loadVideo } from "../../videos/access";
import { afterCursor, type CommentSort, orderBy, pageIn, startCursor } from "./ordering";
import type { CommentView } from "./schemas";
import { commentView, type Joined, joined, loadJoined } from "./view";
import { isVisible, listable, loadComment, noSuchComment, viewerOf, visibleSql } from "./visibility";

/** Up to `limit` rows of `where` in `sort` order after `after`, and the cursor to the rest. */
async function readPage(
  s: Services,
  where: (SQL | undefined)[],
  sort: CommentSort,
  limit: number,
  after: SQL | undefined,
): Promise<Page<Joined>> {
  const rows = await s.db
    .select(joined)
    .from(comments)
    .leftJoin(profiles, eq(profiles.id, comments.profileId))
    .where(and(...where, after))
    .orderBy(...orderBy(sort))
    .limit(limit + 1);
  return pageIn(sort, rows, limit);
}

export async function listComments(
  s: Services,
  actor: Actor | null,
  videoId: string,
  query: ListQuery & { sort: "top" | "newest" },
) {
  const video = await loadVideo(s.db, videoId);
  assertCanRead(actor, video);
  const viewer = viewerOf(actor, video);
  const after = query.cursor ? afterCursor(query.sort, query.cursor) : undefined;
  const meta = { commentsMode: video.commentsMode, commentCount: video.commentCount };
  if (!listable(video, viewer)) return { items: [], nextCursor: null, ...meta };

  const topLevel = [eq(comments.videoId, video.id), isNull(comments.parentId), visibleSql(viewer)];
  const pinnedId = video.pinnedCommentId;
  if (pinnedId) topLevel.push(ne(comments.id, pinnedId));

  // The pinned comment leads the first page (and never shows up again further down).
  let pinned: Joined | undefined;
  if (!after && pinnedId) {
    const row = await loadJoined(s, pinnedId);
    if (row && row.c.videoId === video.id && row.c.parentId === null && isVisible(row.c, viewer))
      pinned = row;
  }
  const room = query.limit - (pinned ? 1 : 0);
  let page: Page<Joined> = { items: [], nextCursor: null };
  if (room > 0) page = await readPage(s, topLevel, query.sort, room, after);
  // limit=1 and a pinned comment: page one is just the pin, the next starts at the top of the rest.
  else if ((await readPage(s, topLevel, query.sort, 1, undefined)).items.length > 0)
    page.nextCursor = startCursor(query.sort);
  const items = [...(pinned ? [pinned] : []), ...page.items].map((r) => commentView(r, video, viewer));
  return { items, nextCursor: page.nextCursor, ...meta };
}

export async function listReplies(
  s: Services,
  actor: Actor | null,
  commentId: string,
  query: ListQuery,
): Promise<Page<CommentView>> {
  const parent = await loadComment(s, commentId);
  if (!parent) throw noSuchComment();
  const video = await loadVideo(s.db, parent.videoId);
  assertCanRead(actor, video);
  const viewer = viewerOf(actor, video);
  if (!isVisible(parent, viewer)) throw noSuchComment();
  const after = query.cursor ? afterCursor("oldest", query.cursor) : undefined;
  // Replies are one level deep: a reply has none.
  if (parent.parentId !== null || !listable(video, viewer)) return { items: [], nextCursor: null };
  const replies = [eq(comments.parentId, parent.id), visibleSql(viewer)];
  const page = await readPage(s, replies, "oldest", query.limit, after);
  return { items: page.items.map((r) => commentView(r, video, viewer)), nextCursor: page.nextCursor };
}
