import { beforeAll, expect } from "vitest";
import { shard, storedCommentReactions } from "../../src/social/reactions/test-utils";
import { insertComment, insertVideo } from "../fixtures";
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
  expect(await storedCommentReactions(commentId)).toEqual({
    counts: { likes: 0, dislikes: 0 },
    rows: { likes: 0, dislikes: 0 },
  });
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
