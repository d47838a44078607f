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
import { env } from "cloudflare:test";
import { beforeAll, expect } from "vitest";
import { insertComment, insertVideo, shard } from "../../src/social/reactions/test-utils";
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
  expect(await stub.counts(at)).toEqual({ likes: 0, dislikes: 0 });
  const row = await env.DB.prepare(
    `SELECT like_count + dislike_count AS n, (SELECT COUNT(*) FROM comment_reactions WHERE comment_id = ?1) AS rows
       FROM comments WHERE id = ?1`,
  )
    .bind(commentId)
    .first<{ n: number; rows: number }>();
  expect(row).toEqual({ n: 0, rows: 0 });
});

const refuse = { ...signedIn, otherAccount: 404, viewer: 404 } as const;
const asCreator = (status: number): OwnerCheck => ({ as: () => ({ token: creator.accessToken }), status });

export const REACTIONS_ENTRIES: MatrixEntry[] = [
  {
    operation: "PUT /api/v1/videos/{videoId}/reaction",
    request: () => ({ path: `/api/v1/videos/${videoId}/reaction`, json: { value: "like" } }),
    refuse,
    owner: asCreator(200),
  },
  {
    operation: "DELETE /api/v1/videos/{videoId}/reaction",
    request: () => ({ path: `/api/v1/videos/${videoId}/reaction` }),
    refuse,
    owner: asCreator(200),
  },
  {
    operation: "PUT /api/v1/comments/{commentId}/reaction",
    request: () => ({ path: `/api/v1/comments/${commentId}/reaction`, json: { value: "like" } }),
    refuse,
    owner: asCreator(200),
  },
  {
    operation: "DELETE /api/v1/comments/{commentId}/reaction",
    request: () => ({ path: `/api/v1/comments/${commentId}/reaction` }),
    refuse,
    owner: asCreator(200),
  },
];

/** Mutating reactions operations anyone may call, and why. */
export const REACTIONS_PUBLIC_OPERATIONS: Record<string, string> = {};
