/**
 * Authorisation-matrix entries of the comments domain (see matrix.ts).
 *
 * Comment routes need a video and comments, and the matrix's world has none: this module seeds its
 * own creator with a ready public video, one published comment and one held comment by another
 * account (in a `beforeAll` registered when the matrix test imports it; `afterRefusals` checks that
 * every refused attempt left them as they were). The owners are the comment's author (who edits and
 * deletes it) and the video's creator (who moderates); the viewer is refused like "otherAccount". The video is public, so "otherAccount" gets 403
 * where it may see the thing but not change it, and 404 for the held comment it may not even see.
 * The owner's own kids profile being refused on the video's settings, pin and approvals (403) is
 * tested in src/social/comments/*.test.ts, since the world's kids account owns no video; the
 * channel watched-word list is the kids account's own channel here.
 */

import { asc, eq } from "drizzle-orm";
import { beforeAll, expect } from "vitest";
import { comments, videos } from "../../src/db/schema";
import { insertVideo, testDb } from "../fixtures";
import { apiJson, type SeededAccount, seedAccount } from "../harness";
import { signedIn } from "./intruders";
import type { MatrixEntry, OwnerCheck } from "./matrix";
import { afterRefusals } from "./phases";

let videoId = "vid_notseededyet";
let publishedId = "cmt_notseededyet";
let heldId = "cmt_notseededyet";
let creator: SeededAccount;
let author: SeededAccount;

beforeAll(async () => {
  [creator, author] = await Promise.all([
    seedAccount({ tag: "mxcomments", channel: true }),
    seedAccount({ tag: "mxcommenter" }),
  ]);
  videoId = await insertVideo(creator, { title: "Matrix clip", maturity: "kids" });
  const post = (body: string) =>
    apiJson<{ id: string }>(`/api/v1/videos/${videoId}/comments`, 201, {
      method: "POST",
      token: author.accessToken,
      json: { body },
    });
  publishedId = (await post("A published comment")).id;
  await setCommentsMode("hold");
  heldId = (await post("A held comment")).id;
  await setCommentsMode("open");
});

const setCommentsMode = (commentsMode: "open" | "hold") =>
  testDb().update(videos).set({ commentsMode }).where(eq(videos.id, videoId));

afterRefusals("the comments and the video's settings are as they were", async () => {
  const db = testDb();
  const rows = await db
    .select({ id: comments.id, status: comments.status, body: comments.body })
    .from(comments)
    .where(eq(comments.videoId, videoId))
    .orderBy(asc(comments.createdAt));
  expect(rows).toEqual([
    { id: publishedId, status: "published", body: "A published comment" },
    { id: heldId, status: "held", body: "A held comment" },
  ]);
  const [video] = await db
    .select({
      commentCount: videos.commentCount,
      commentsMode: videos.commentsMode,
      pinnedCommentId: videos.pinnedCommentId,
    })
    .from(videos)
    .where(eq(videos.id, videoId));
  expect(video).toEqual({ commentCount: 1, commentsMode: "open", pinnedCommentId: null });
});

const asCreator = (check: Omit<OwnerCheck, "as">): OwnerCheck => ({
  as: () => ({ token: creator.accessToken }),
  ...check,
});
const asAuthor = (check: Omit<OwnerCheck, "as">): OwnerCheck => ({
  as: () => ({ token: author.accessToken }),
  ...check,
});
/** Visible to anyone, changeable by the author or the video's moderators only. */
const notYours = { ...signedIn, otherAccount: 403, viewer: 403, kids: 403 } as const;

export const COMMENTS_ENTRIES: MatrixEntry[] = [
  {
    operation: "POST /api/v1/videos/{videoId}/comments",
    request: () => ({ path: `/api/v1/videos/${videoId}/comments`, json: { body: "Intruding" } }),
    refuse: signedIn,
    signedInOnly: "anyone signed in with a profile may comment on a public video (kids profiles too)",
    owner: asAuthor({ status: 201 }),
  },
  {
    operation: "PATCH /api/v1/comments/{commentId}",
    request: () => ({ path: `/api/v1/comments/${publishedId}`, json: { body: "Taken over" } }),
    refuse: notYours,
    owner: asAuthor({ status: 200 }),
  },
  {
    operation: "DELETE /api/v1/comments/{commentId}",
    request: () => ({ path: `/api/v1/comments/${publishedId}` }),
    refuse: notYours,
    // At the very end: the pin below names this comment.
    owner: asAuthor({ status: 204, last: true }),
  },
  {
    operation: "POST /api/v1/comments/{commentId}/approve",
    request: () => ({ path: `/api/v1/comments/${heldId}/approve` }),
    // A held comment is invisible to everyone but its author, the video's owner and staff.
    refuse: { ...signedIn, otherAccount: 404, viewer: 404, kids: 404 },
    owner: asCreator({ status: 200 }),
  },
  {
    operation: "PUT /api/v1/videos/{videoId}/pinned-comment",
    request: () => ({ path: `/api/v1/videos/${videoId}/pinned-comment`, json: { commentId: publishedId } }),
    refuse: notYours,
    owner: asCreator({ status: 200 }),
  },
  {
    operation: "PUT /api/v1/videos/{videoId}/comment-settings",
    request: () => ({ path: `/api/v1/videos/${videoId}/comment-settings`, json: { mode: "off" } }),
    refuse: notYours,
    owner: asCreator({ status: 200 }),
  },
  {
    operation: "PUT /api/v1/channels/{channelId}/watched-words",
    request: (w) => ({
      path: `/api/v1/channels/${w.owner.channelId}/watched-words`,
      json: { words: ["taken"] },
    }),
    refuse: notYours,
    owner: { status: 200 },
  },
  {
    operation: "PUT /api/v1/admin/watched-words",
    // The site-wide list is shared with other test files: every request puts back the list there is.
    request: async (w) => ({
      path: "/api/v1/admin/watched-words",
      json: {
        words: (
          await apiJson<{ words: string[] }>("/api/v1/admin/watched-words", 200, {
            token: w.admin.accessToken,
          })
        ).words,
      },
    }),
    refuse: notYours,
    owner: { as: (w) => ({ token: w.admin.accessToken }), status: 200 },
  },
];

/** Mutating comments operations anyone may call, and why. */
export const COMMENTS_PUBLIC_OPERATIONS: Record<string, string> = {};
