import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { insertComment, insertVideo, testDb } from "../../test/fixtures";
import { seedAccount } from "../../test/harness";
import { accounts, comments, videos } from "../db/schema";
import {
  channelHiddenAtInsert,
  holdTarget,
  releaseTarget,
  removeTarget,
  resolveTarget,
  type Statement,
} from "./targets";
import { channelRowOf, commentRowOf, seedCreatorWithVideo, seedVideo, videoRowOf } from "./test-utils";

const run = async (statements: Statement[]) => {
  const db = testDb();
  await db.batch(statements as [Statement, ...Statement[]]);
};

describe("resolveTarget", () => {
  it("names the owner, channel, title and length of each kind of target; none for what is gone", async () => {
    const { creator, videoId, channelId } = await seedCreatorWithVideo("tgres");
    const fan = await seedAccount({ tag: "tgresf", channel: true });
    const commentId = await insertComment(videoId, fan, { body: "x".repeat(300) });
    const db = testDb();
    expect(await resolveTarget(db, "video", videoId)).toMatchObject({
      ownerAccountId: creator.accountId,
      channelId,
      videoId,
      durationMs: 600_000,
      state: "visible",
      hidden: false,
    });
    const comment = await resolveTarget(db, "comment", commentId);
    expect(comment).toMatchObject({
      ownerAccountId: fan.accountId,
      channelId: fan.channelId,
      videoId,
      hidden: false,
    });
    expect(Array.from(comment?.title ?? "")).toHaveLength(140);
    expect(await resolveTarget(db, "channel", channelId)).toMatchObject({
      ownerAccountId: creator.accountId,
      title: "Seeded Channel",
      state: "active",
    });
    const deleted = await seedVideo(creator, { status: "deleted" });
    const ad = await seedVideo(creator, { kind: "ad", visibility: "private" });
    expect(await resolveTarget(db, "video", deleted)).toBeNull();
    expect(await resolveTarget(db, "video", ad)).toBeNull();
    expect(await resolveTarget(db, "comment", "cmt_none")).toBeNull();
    expect(await resolveTarget(db, "channel", "chn_none")).toBeNull();
  });
});

describe("hold, release and remove", () => {
  it("a video: visible → held → visible, held → removed; each repeatable", async () => {
    const { videoId } = await seedCreatorWithVideo("tgvid");
    const db = testDb();
    await run(holdTarget(db, "video", videoId));
    await run(holdTarget(db, "video", videoId));
    expect((await videoRowOf(videoId))?.moderationState).toBe("held");
    await run(releaseTarget(db, "video", videoId));
    expect((await videoRowOf(videoId))?.moderationState).toBe("visible");
    await run(holdTarget(db, "video", videoId));
    await run(removeTarget(db, "video", videoId));
    // A removed video is not brought back by a release, nor re-held.
    await run(releaseTarget(db, "video", videoId));
    await run(holdTarget(db, "video", videoId));
    expect((await videoRowOf(videoId))?.moderationState).toBe("removed");
  });

  it("a reply: held and released with its video's and parent's counts kept right, twice over", async () => {
    const { creator, videoId } = await seedCreatorWithVideo("tgcm");
    const parent = await insertComment(videoId, creator);
    const reply = await insertComment(videoId, creator, { parentId: parent });
    const db = testDb();
    await db.update(videos).set({ commentCount: 2 }).where(eq(videos.id, videoId));
    await db.update(comments).set({ replyCount: 1 }).where(eq(comments.id, parent));
    const counts = async () => ({
      video: (await videoRowOf(videoId))?.commentCount,
      replies: (await commentRowOf(parent))?.replyCount,
      status: (await commentRowOf(reply))?.status,
    });
    await run(holdTarget(db, "comment", reply));
    await run(holdTarget(db, "comment", reply));
    expect(await counts()).toEqual({ video: 1, replies: 0, status: "held" });
    await run(releaseTarget(db, "comment", reply));
    await run(releaseTarget(db, "comment", reply));
    expect(await counts()).toEqual({ video: 2, replies: 1, status: "published" });
    await run(removeTarget(db, "comment", reply));
    await run(removeTarget(db, "comment", reply));
    expect(await counts()).toEqual({ video: 1, replies: 0, status: "removed" });
  });

  it("release leaves a comment held for another reason; remove of a held comment leaves the counts", async () => {
    const { creator, videoId } = await seedCreatorWithVideo("tgcw");
    const db = testDb();
    const worded = await insertComment(videoId, creator, { status: "held", heldReason: "watched_word:spam" });
    await run(releaseTarget(db, "comment", worded));
    expect(await commentRowOf(worded)).toMatchObject({ status: "held", heldReason: "watched_word:spam" });
    await db.update(videos).set({ commentCount: 0 }).where(eq(videos.id, videoId));
    await run(removeTarget(db, "comment", worded));
    expect((await commentRowOf(worded))?.status).toBe("removed");
    expect((await videoRowOf(videoId))?.commentCount).toBe(0);
  });

  it("a channel: held and suspended hide its videos (channel_hidden); release shows them again", async () => {
    const { videoId, channelId } = await seedCreatorWithVideo("tgch");
    const db = testDb();
    await run(holdTarget(db, "channel", channelId));
    expect((await channelRowOf(channelId))?.moderationState).toBe("held");
    expect((await videoRowOf(videoId))?.channelHidden).toBe(true);
    await run(releaseTarget(db, "channel", channelId));
    expect((await channelRowOf(channelId))?.moderationState).toBe("active");
    expect((await videoRowOf(videoId))?.channelHidden).toBe(false);
    await run(removeTarget(db, "channel", channelId));
    await run(releaseTarget(db, "channel", channelId));
    expect((await channelRowOf(channelId))?.moderationState).toBe("suspended");
    expect((await videoRowOf(videoId))?.channelHidden).toBe(true);
  });

  it("a new video of a held or suspended channel starts channel-hidden (channelHiddenAtInsert)", async () => {
    const { creator, channelId } = await seedCreatorWithVideo("tgnew");
    const db = testDb();
    const insert = () => insertVideo(creator, { channelHidden: channelHiddenAtInsert(channelId) as never });
    expect((await videoRowOf(await insert()))?.channelHidden).toBe(false);
    await run(holdTarget(db, "channel", channelId));
    expect((await videoRowOf(await insert()))?.channelHidden).toBe(true);
    await run(releaseTarget(db, "channel", channelId));
    await db.update(accounts).set({ suspendedAt: Date.now() }).where(eq(accounts.id, creator.accountId));
    expect((await videoRowOf(await insert()))?.channelHidden).toBe(true);
  });
});
