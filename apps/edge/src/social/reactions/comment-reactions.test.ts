/**
 * Comment reactions over HTTP (D1 rows + counts on the comment): idempotent, exact under
 * concurrency, and only on published comments the caller can see. Comments are fixture rows (the
 * comments domain owns their routes). Erasure of comment reactions: events.test.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { insertComment, insertVideo } from "../../../test/fixtures";
import { api, type SeededAccount } from "../../../test/harness";
import {
  commentReaction,
  ownerAndViewer,
  putReaction,
  reactToComment,
  seedProfiles,
  storedCommentReactions,
} from "./test-utils";

const nothingStored = { counts: { likes: 0, dislikes: 0 }, rows: { likes: 0, dislikes: 0 } };

let owner: SeededAccount;
let viewer: SeededAccount;
let videoId: string;

beforeAll(async () => {
  ({ owner, viewer } = await ownerAndViewer("crx"));
  videoId = await insertVideo(owner);
});

describe("comment reactions", () => {
  it("is idempotent, switches, clears, and shows dislikes to the video's owner only", async () => {
    const commentId = await insertComment(videoId, owner);
    expect(await reactToComment(commentId, viewer.accessToken, "like")).toEqual({ value: "like", likes: 1 });
    expect(await reactToComment(commentId, viewer.accessToken, "like")).toEqual({ value: "like", likes: 1 });
    expect(await reactToComment(commentId, viewer.accessToken, "dislike")).toEqual({
      value: "dislike",
      likes: 0,
    });
    expect(await reactToComment(commentId, owner.accessToken, "like")).toEqual({
      value: "like",
      likes: 1,
      dislikes: 1,
    });
    expect(await reactToComment(commentId, viewer.accessToken, null)).toEqual({ value: null, likes: 1 });
    expect(await reactToComment(commentId, viewer.accessToken, null)).toEqual({ value: null, likes: 1 });
    expect(await reactToComment(commentId, owner.accessToken, null)).toEqual({
      value: null,
      likes: 0,
      dislikes: 0,
    });
    expect(await storedCommentReactions(commentId)).toEqual(nothingStored);
  });

  it("stays exact under concurrency: 30 profiles at once, and one profile racing itself", async () => {
    const commentId = await insertComment(videoId, owner);
    const fans = await seedProfiles(30, "crxfan");
    const racer = fans[0] as { token: string };
    await Promise.all([
      ...fans.map((f) => reactToComment(commentId, f.token, "like")),
      // The same profile flips back and forth 40 times concurrently: whatever wins, it counts once.
      ...Array.from({ length: 40 }, (_, i) =>
        reactToComment(commentId, racer.token, i % 2 ? "like" : "dislike"),
      ),
      ...Array.from({ length: 10 }, () =>
        reactToComment(commentId, (fans[1] as { token: string }).token, null),
      ),
    ]);
    const { counts, rows } = await storedCommentReactions(commentId);
    expect(counts).toEqual(rows);
    expect((counts?.likes ?? 0) + (counts?.dislikes ?? 0)).toBeGreaterThanOrEqual(29);
    expect((counts?.likes ?? 0) + (counts?.dislikes ?? 0)).toBeLessThanOrEqual(30);
    // Settle the racer and the clearer, then the counts are known exactly.
    await reactToComment(commentId, racer.token, "like");
    await reactToComment(commentId, (fans[1] as { token: string }).token, "like");
    expect(await storedCommentReactions(commentId)).toEqual({
      counts: { likes: 30, dislikes: 0 },
      rows: { likes: 30, dislikes: 0 },
    });
  });

  it("refuses anonymous callers (401) and hides comments the caller cannot react to (404)", async () => {
    const commentId = await insertComment(videoId, owner);
    for (const method of ["PUT", "DELETE"]) {
      expect((await api(commentReaction(commentId), { method, json: { value: "like" } })).status).toBe(401);
    }
    const privateVideo = await insertVideo(owner, { visibility: "private" });
    const onPrivate = await insertComment(privateVideo, owner);
    const held = await insertComment(videoId, owner, { status: "held" });
    const removed = await insertComment(videoId, owner, { status: "removed" });
    for (const id of [onPrivate, held, removed, "cmt_doesnotexist"]) {
      expect((await putReaction(commentReaction(id), viewer.accessToken)).status).toBe(404);
    }
    expect((await putReaction(commentReaction(commentId), viewer.accessToken, "meh")).status).toBe(400);
    expect(await storedCommentReactions(held)).toEqual(nothingStored);
  });
});
