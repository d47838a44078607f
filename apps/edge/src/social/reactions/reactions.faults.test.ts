// Reactions under D1 faults (docs/faults.md). A comment reaction is one batch (the counts, the
// row, the counts read back): after a 503 the comment's count still matches its reaction rows, and
// sending the same request again applies it once. A video's reaction lives in its shard object; a
// failing D1 read before it is asked refuses the request with nothing recorded.
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { insertComment, insertVideo, testDb } from "../../../test/fixtures";
import { apiJson, type SeededAccount, seedAccount } from "../../../test/harness";
import { callWithFaults, failEachStatementInTurn } from "../../../test/harness/faults";
import { commentReactions, comments } from "../../db/schema";

let owner: SeededAccount;
let viewer: SeededAccount;
beforeAll(async () => {
  [owner, viewer] = await Promise.all([
    seedAccount({ channel: true, tag: "rfault" }),
    seedAccount({ tag: "rfault" }),
  ]);
});

/** The comment's like count and its like rows: they must always agree. */
async function likes(commentId: string) {
  const db = testDb();
  const row = await db
    .select({ likes: comments.likeCount })
    .from(comments)
    .where(eq(comments.id, commentId))
    .get();
  const rows = await db
    .select()
    .from(commentReactions)
    .where(and(eq(commentReactions.commentId, commentId), eq(commentReactions.value, "like")));
  return { count: row?.likes, rows: rows.length };
}

async function newComment(): Promise<string> {
  const video = await insertVideo(owner, { maturity: "kids" });
  return insertComment(video, owner);
}

const reactionPath = (commentId: string) => `/api/v1/comments/${commentId}/reaction`;

describe("comment reactions under D1 faults", () => {
  it("liking: 503 for each failing statement with the count matching the rows; liking again counts one like", async () => {
    const statements = await failEachStatementInTurn<string>({
      scene: newComment,
      act: (commentId, faults) =>
        callWithFaults(faults, reactionPath(commentId), {
          method: "PUT",
          token: viewer.accessToken,
          json: { value: "like" },
        }),
      okStatus: 200,
      afterFailure: async (commentId) => {
        expect(await likes(commentId)).toEqual({ count: 0, rows: 0 });
      },
      afterRetry: async (commentId) => {
        expect(await likes(commentId)).toEqual({ count: 1, rows: 1 });
      },
    });
    expect(statements.some((sql) => /insert into "comment_reactions"/i.test(sql))).toBe(true);
  });

  it("unliking: 503 for each failing statement with the like whole; unliking again leaves none", async () => {
    await failEachStatementInTurn<string>({
      scene: async () => {
        const commentId = await newComment();
        await apiJson(reactionPath(commentId), 200, {
          method: "PUT",
          token: viewer.accessToken,
          json: { value: "like" },
        });
        return commentId;
      },
      act: (commentId, faults) =>
        callWithFaults(faults, reactionPath(commentId), { method: "DELETE", token: viewer.accessToken }),
      okStatus: 200,
      afterFailure: async (commentId) => {
        expect(await likes(commentId)).toEqual({ count: 1, rows: 1 });
      },
      afterRetry: async (commentId) => {
        expect(await likes(commentId)).toEqual({ count: 0, rows: 0 });
      },
    });
  });
});

describe("video reactions under D1 faults", () => {
  it("a failing D1 read answers 503 with no like recorded; liking again counts one like", async () => {
    const counts = (videoId: string) =>
      apiJson<{ likes: number; mine: string | null }>(`/api/v1/videos/${videoId}/reactions`, 200, {
        token: viewer.accessToken,
      });
    await failEachStatementInTurn<string>({
      scene: () => insertVideo(owner, { maturity: "kids" }),
      act: (videoId, faults) =>
        callWithFaults(faults, `/api/v1/videos/${videoId}/reaction`, {
          method: "PUT",
          token: viewer.accessToken,
          json: { value: "like" },
        }),
      okStatus: 200,
      afterFailure: async (videoId) => {
        expect(await counts(videoId)).toMatchObject({ likes: 0, mine: null });
      },
      afterRetry: async (videoId) => {
        expect(await counts(videoId)).toMatchObject({ likes: 1, mine: "like" });
      },
    });
  });
});
