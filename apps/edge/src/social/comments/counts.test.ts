import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../../../test/fixtures";
import { apiJson, seedAccount } from "../../../test/harness";
import { comments, videos } from "../../db/schema";
import { approve, commentApi, commentRow, post, readyVideo, send, videoCounts } from "./test-utils";

/**
 * The stored counters of a video's comments against a recount from the rows, and replies whose
 * parent is gone: after any sequence of requests, `videoDrift`, `replyDrift` and `orphans` are 0.
 */
async function countIntegrity(videoId: string) {
  const db = testDb();
  const video = await db.select({ n: videos.commentCount }).from(videos).where(eq(videos.id, videoId)).get();
  const rows = await db.select().from(comments).where(eq(comments.videoId, videoId));
  const published = rows.filter((r) => r.status === "published");
  const publishedReplies = (id: string) => published.filter((r) => r.parentId === id).length;
  return {
    videoDrift: (video?.n ?? 0) - published.length,
    replyDrift: rows.filter((p) => p.replyCount !== publishedReplies(p.id)).length,
    orphans: rows.filter((r) => r.parentId !== null && !rows.some((p) => p.id === r.parentId)).length,
  };
}

describe("counts under concurrency", () => {
  it("repeated approvals and deletions count once; replies racing their parent's deletion leave no orphans", async () => {
    const owner = await seedAccount({ tag: "mdrace", channel: true });
    const repliers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => seedAccount({ tag: `mdracer${i}` })),
    );
    const video = await readyVideo(owner, { mode: "hold" });
    const held = await post(repliers[0]?.accessToken ?? "", video, "approve me");
    const approvals = await Promise.all(Array.from({ length: 6 }, () => approve(held.id, owner.accessToken)));
    expect(approvals.map((r) => r.status)).toEqual(Array(6).fill(200));
    expect((await videoCounts(video))?.commentCount).toBe(1);

    await apiJson(`/api/v1/videos/${video}/comment-settings`, 200, {
      method: "PUT",
      token: owner.accessToken,
      json: { mode: "open" },
    });
    const doomed = await post(repliers[1]?.accessToken ?? "", video, "delete me");
    const deletions = await Promise.all(
      Array.from({ length: 6 }, () => commentApi(doomed.id, owner.accessToken, "DELETE")),
    );
    expect(deletions.every((r) => r.status === 204 || r.status === 404)).toBe(true);
    expect((await videoCounts(video))?.commentCount).toBe(1);

    // The parent goes while replies arrive: each reply either lands (and the parent stays as a
    // placeholder) or is refused; the counters always match the rows.
    for (let round = 0; round < 3; round++) {
      const parent = await post(owner.accessToken, video, `parent ${round}`);
      const results = await Promise.all([
        ...repliers.map((r) => send(r.accessToken, video, { body: `reply ${round}`, parentId: parent.id })),
        commentApi(parent.id, owner.accessToken, "DELETE"),
      ]);
      expect(results.every((r) => [201, 204, 404, 409].includes(r.status))).toBe(true);
      const landed = results.filter((r) => r.status === 201).length;
      const stored = await commentRow(parent.id);
      if (landed > 0) expect(stored).toMatchObject({ status: "removed", replyCount: landed });
      else expect(stored).toBeNull();
      expect(await countIntegrity(video)).toEqual({ videoDrift: 0, replyDrift: 0, orphans: 0 });
    }
  });
});
