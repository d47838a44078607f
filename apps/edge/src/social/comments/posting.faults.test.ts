// Posting a reply under D1 faults (docs/faults.md): each statement the request makes fails in turn.
// The reply and the counts it moves (the video's comment count, the parent's reply count) land in
// one batch, so after a 503 they agree with the rows, and posting again adds exactly one reply.
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { insertComment, insertVideo, testDb } from "../../../test/fixtures";
import { type SeededAccount, seedAccount } from "../../../test/harness";
import { callWithFaults, failEachStatementInTurn } from "../../../test/harness/faults";
import { comments, videos } from "../../db/schema";
import { commentsPath } from "./test-utils";

interface Scene {
  video: string;
  parent: string;
  commenter: SeededAccount;
  /** Replies found after the failed attempt (0: none landed, 1: it landed before a later read failed). */
  repliesAfterFailure: number;
}

let owner: SeededAccount;
beforeAll(async () => {
  owner = await seedAccount({ channel: true, tag: "cfault" });
});

/** The reply rows under the parent, and whether both counts agree with them. */
async function state(scene: Scene) {
  const db = testDb();
  const replies = await db
    .select({ status: comments.status })
    .from(comments)
    .where(and(eq(comments.parentId, scene.parent), eq(comments.profileId, scene.commenter.profileId)));
  const published = replies.filter((r) => r.status === "published").length;
  const video = await db
    .select({ count: videos.commentCount })
    .from(videos)
    .where(eq(videos.id, scene.video))
    .get();
  const parent = await db
    .select({ replies: comments.replyCount })
    .from(comments)
    .where(eq(comments.id, scene.parent))
    .get();
  // The parent was inserted as a row of its own with count 0 (fixtures touch no counter): the
  // video's count is exactly the published replies the request added.
  return { replies: replies.length, videoCount: video?.count, parentReplies: parent?.replies, published };
}

describe("posting a reply under D1 faults", () => {
  it("answers 503 unavailable for each failing statement; the counts always match the rows; posting again adds one reply", async () => {
    const statements = await failEachStatementInTurn<Scene>({
      scene: async () => {
        const video = await insertVideo(owner, { commentsMode: "open", maturity: "kids", commentCount: 0 });
        const parent = await insertComment(video, owner);
        return { video, parent, commenter: await seedAccount({ tag: "cfault" }), repliesAfterFailure: 0 };
      },
      act: (scene, faults) =>
        callWithFaults(faults, commentsPath(scene.video), {
          method: "POST",
          token: scene.commenter.accessToken,
          json: { body: "a reply that may fail", parentId: scene.parent },
        }),
      okStatus: 201,
      afterFailure: async (scene) => {
        const now = await state(scene);
        expect(now.replies).toBeLessThanOrEqual(1);
        expect(now).toEqual({
          replies: now.replies,
          videoCount: now.published,
          parentReplies: now.published,
          published: now.replies,
        });
        scene.repliesAfterFailure = now.replies;
      },
      afterRetry: async (scene) => {
        const now = await state(scene);
        const expected = scene.repliesAfterFailure + 1;
        expect(now).toEqual({
          replies: expected,
          videoCount: expected,
          parentReplies: expected,
          published: expected,
        });
      },
    });
    expect(statements.some((sql) => /insert into "comments"/i.test(sql))).toBe(true);
  });
});
