/**
 * Authorisation-matrix entries of the reactions domain (see matrix.ts).
 *
 * Reacting needs a signed-in profile, and a video (or a comment on one) the caller can see. This
 * module seeds its own creator with a *private* ready video and a published comment on it (in a
 * `beforeAll` registered when the matrix test imports it); the matrix's other account cannot see
 * them (nor can the viewer), so they must get 404, and `afterRefusals` checks no refused attempt left a
 * reaction behind. The owner (the creator, who sees its own private video) then reacts and unreacts.
 * Reacting to public videos and comments as any profile (kids included) is allowed by design.
 */
import { count, eq } from "drizzle-orm";
import { beforeAll, expect } from "vitest";
import { commentReactions, comments } from "../../src/db/schema";
import { shard } from "../../src/social/reactions/test-utils";
import { insertComment, insertVideo, testDb } from "../fixtures";
import { type SeededAccount, seedAccount } from "../harness";
import { signedIn } from "./intruders";
import type { MatrixEntry, OwnerCheck } from "./matrix";
import { afterRefusals } from "./phases";

let videoId = "vid_notseededyet";
let commentId = "cmt_notseededyet";
let creator: SeededAccount;

beforeAll(async () => {
  creator = await seedAccount({ tag: "mxreactions", channel: true });
  videoId = await insertVideo(creator, { visibility: "private" });
  commentId = await insertComment(videoId, creator);
});

afterRefusals("no refused attempt left a reaction", async () => {
  const { at, stub } = shard(videoId);
  expect(await stub.counts(at)).toMatchObject({ likes: 0, dislikes: 0 });
  const db = testDb();
  const [counted] = await db
    .select({ likes: comments.likeCount, dislikes: comments.dislikeCount })
    .from(comments)
    .where(eq(comments.id, commentId));
  const [stored] = await db
    .select({ rows: count() })
    .from(commentReactions)
    .where(eq(commentReactions.commentId, commentId));
  expect({ ...counted, ...stored }).toEqual({ likes: 0, dislikes: 0, rows: 0 });
});

const refuse = { ...signedIn, otherAccount: 404, viewer: 404 } as const;
const asCreator = (status: number): OwnerCheck => ({ as: () => ({ token: creator.accessToken }), status });

/** Reacting to the private video or its comment (`target` is read once they are seeded). */
const reaction = (
  method: "PUT" | "DELETE",
  on: "videos" | "comments",
  target: () => string,
): MatrixEntry => ({
  operation: `${method} /api/v1/${on}/{${on === "videos" ? "videoId" : "commentId"}}/reaction`,
  request: () => ({
    path: `/api/v1/${on}/${target()}/reaction`,
    ...(method === "PUT" ? { json: { value: "like" } } : {}),
  }),
  refuse,
  owner: asCreator(200),
});

export const REACTIONS_ENTRIES: MatrixEntry[] = [
  reaction("PUT", "videos", () => videoId),
  reaction("DELETE", "videos", () => videoId),
  reaction("PUT", "comments", () => commentId),
  reaction("DELETE", "comments", () => commentId),
];

/** Mutating reactions operations anyone may call, and why. */
export const REACTIONS_PUBLIC_OPERATIONS: Record<string, string> = {};
