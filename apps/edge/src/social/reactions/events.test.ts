/**
 * What `account.deleted` / `profile.deleted` erase. Video reactions: every video the profile
 * reacted to loses exactly its reaction, in the object and then in D1, whatever the shard layout,
 * however often the event is delivered, and even when the profile goes before its like reached the
 * index. Comment reactions: the rows go and the counts on the comments follow.
 */
import { env } from "cloudflare:test";
import type { AccountDeleted } from "@marquee/shared";
import { eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { indexReaction, insertComment, insertVideo, testDb } from "../../../test/fixtures";
import { eventually, type SeededAccount, type SeededProfile, seedAccount } from "../../../test/harness";
import { commentReactions, videoReactionIndex } from "../../db/schema";
import { reactionsEventHandlers } from "./events";
import { SHARDS_KV_PREFIX } from "./shards";
import {
  d1Counts,
  deleteAccount,
  deleteProfile,
  flushNow,
  indexRows,
  ownerAndViewer,
  reactToComment,
  reactToVideo,
  storedCommentReactions,
  videoCounts,
} from "./test-utils";

/** The exact counts, read from every shard (the owner sees dislikes too). */
const objectCounts = async (videoId: string) => {
  const c = await videoCounts(videoId, owner.accessToken);
  return { likes: c.likes, dislikes: c.dislikes };
};

/** Waits until both the objects and D1 hold `expected` for every video. */
async function countsSettle(expected: Record<string, { likes: number; dislikes: number }>) {
  for (const [videoId, want] of Object.entries(expected)) {
    await eventually(async () => {
      const [live, stored] = [await objectCounts(videoId), await d1Counts(videoId)];
      return (
        live.likes === want.likes &&
        live.dislikes === want.dislikes &&
        stored?.likes === want.likes &&
        stored.dislikes === want.dislikes
      );
    }, 15_000);
  }
}

/** Index rows of these profiles, over every video. */
const indexedFor = (profileIds: string[]) =>
  testDb().$count(videoReactionIndex, inArray(videoReactionIndex.profileId, profileIds));

/** Comment reaction rows of these profiles, over every comment. */
const commentReactionsOf = (profileIds: string[]) =>
  testDb().$count(commentReactions, inArray(commentReactions.profileId, profileIds));

let owner: SeededAccount;
let staying: SeededAccount;
let commentedVideo: string;

beforeAll(async () => {
  ({ owner, viewer: staying } = await ownerAndViewer("rxe"));
  commentedVideo = await insertVideo(owner);
});

/** Three videos, the last one split over four shards. */
async function threeVideos(): Promise<[string, string, string]> {
  const videos = [await insertVideo(owner), await insertVideo(owner), await insertVideo(owner)] as const;
  await env.SETTINGS.put(`${SHARDS_KV_PREFIX}${videos[2]}`, "4");
  return [...videos];
}

describe("erasing a profile's video reactions", () => {
  it("an erased account's likes leave the counts of every video it liked, in the object and in D1", async () => {
    const videos = await threeVideos();
    const leaving = await seedAccount({ tag: "rxeacc", profiles: [{}] });
    const [p1, p2] = leaving.profiles as [SeededProfile, SeededProfile];
    for (const v of videos) {
      await reactToVideo(v, p1.token, "like");
      await reactToVideo(v, staying.accessToken, "like");
    }
    await reactToVideo(videos[0], p2.token, "dislike");
    await reactToVideo(videos[2], p2.token, "like");
    await countsSettle({
      [videos[0]]: { likes: 2, dislikes: 1 },
      [videos[1]]: { likes: 2, dislikes: 0 },
      [videos[2]]: { likes: 3, dislikes: 0 },
    });
    await eventually(async () => (await indexedFor([p1.id, p2.id])) === 5, 10_000);

    await deleteAccount(leaving);
    const left = { likes: 1, dislikes: 0 };
    await countsSettle({ [videos[0]]: left, [videos[1]]: left, [videos[2]]: left });
    expect(await indexedFor([p1.id, p2.id])).toBe(0);
    // The staying profile's like is untouched, everywhere.
    for (const v of videos) {
      expect((await videoCounts(v, staying.accessToken)).mine).toBe("like");
      expect((await indexRows(v))[staying.profileId]).toBe("like");
    }
  });

  it("a deleted profile's likes leave the counts; the account's other profiles keep theirs", async () => {
    const videos = await threeVideos();
    const family = await seedAccount({ tag: "rxeprof", profiles: [{ name: "Leaving" }] });
    const [keeps, goes] = family.profiles as [SeededProfile, SeededProfile];
    for (const v of videos) {
      await reactToVideo(v, goes.token, "like");
      await reactToVideo(v, keeps.token, "like");
    }
    await reactToVideo(videos[1], goes.token, "dislike");
    await eventually(async () => (await indexedFor([goes.id])) === 3, 10_000);

    await deleteProfile(family, goes.id);
    const left = { likes: 1, dislikes: 0 };
    await countsSettle({ [videos[0]]: left, [videos[1]]: left, [videos[2]]: left });
    expect(await indexedFor([goes.id])).toBe(0);
    expect(await indexedFor([keeps.id])).toBe(3);
  });

  it("a like made just before its profile is deleted, not yet in the index, leaves the counts too", async () => {
    const videos = await threeVideos();
    const family = await seedAccount({ tag: "rxerace", profiles: [{ name: "Quick" }] });
    const quick = family.profiles[1] as SeededProfile;
    for (const v of videos) await reactToVideo(v, quick.token, "like");
    // No waiting for the flush: the profile is gone before its index rows can be written.
    await deleteProfile(family, quick.id);
    const none = { likes: 0, dislikes: 0 };
    await countsSettle({ [videos[0]]: none, [videos[1]]: none, [videos[2]]: none });
    expect(await indexedFor([quick.id])).toBe(0);
  });

  it("a redelivered account.deleted changes nothing more, even after a run that died before its index delete", async () => {
    const videos = await threeVideos();
    const leaving = await seedAccount({ tag: "rxeredo" });
    for (const v of videos) {
      await reactToVideo(v, leaving.accessToken, "like");
      await reactToVideo(v, staying.accessToken, "dislike");
    }
    await eventually(async () => (await indexedFor([leaving.profileId])) === 3, 10_000);
    const rows = await testDb()
      .select()
      .from(videoReactionIndex)
      .where(eq(videoReactionIndex.profileId, leaving.profileId));

    await deleteAccount(leaving);
    const after = { likes: 0, dislikes: 1 };
    await countsSettle({ [videos[0]]: after, [videos[1]]: after, [videos[2]]: after });

    // A run that forgot the reactions but died before deleting its index rows: the rows are back.
    for (const r of rows) await indexReaction(r.profileId, r.videoId, r.value, r.reactedAt);
    const event: AccountDeleted = {
      id: `evt_redelivered_${leaving.accountId}`,
      type: "account.deleted",
      occurredAt: new Date().toISOString(),
      payload: { accountId: leaving.accountId, profileIds: [leaving.profileId] },
    };
    const handle = reactionsEventHandlers["account.deleted"]?.[0];
    await Promise.all([handle?.(event, env), handle?.(event, env)]);
    await handle?.(event, env);
    expect(await indexedFor([leaving.profileId])).toBe(0);
    // Nothing moved in the objects; whatever flush is pending now runs, and D1 still agrees.
    await flushNow(videos[0]);
    await flushNow(videos[1]);
    await flushNow(videos[2], 4);
    for (const v of videos) {
      expect(await objectCounts(v)).toEqual(after);
      expect(await d1Counts(v)).toEqual(after);
    }
  });
});

describe("erasing a profile's comment reactions", () => {
  it("account.deleted erases the account's comment reactions and fixes the counts", async () => {
    const leaving = await seedAccount({ tag: "crxleaving", profiles: [{ name: "Second" }] });
    const second = leaving.profiles[1] as SeededProfile;
    const c1 = await insertComment(commentedVideo, owner);
    const c2 = await insertComment(commentedVideo, owner);
    await reactToComment(c1, leaving.accessToken, "like");
    await reactToComment(c1, second.token, "dislike");
    await reactToComment(c2, second.token, "like");
    await reactToComment(c1, staying.accessToken, "like");
    await deleteAccount(leaving);
    const leavingIds = leaving.profiles.map((p) => p.id);
    await eventually(async () => (await commentReactionsOf(leavingIds)) === 0, 10_000);
    expect(await storedCommentReactions(c1)).toEqual({
      counts: { likes: 1, dislikes: 0 },
      rows: { likes: 1, dislikes: 0 },
    });
    expect(await storedCommentReactions(c2)).toEqual({
      counts: { likes: 0, dislikes: 0 },
      rows: { likes: 0, dislikes: 0 },
    });
  });

  it("profile.deleted erases the deleted profile's comment reactions and fixes the counts; its account's others stay", async () => {
    const family = await seedAccount({ tag: "crxprof", profiles: [{ name: "Leaving" }] });
    const goes = family.profiles[1] as SeededProfile;
    const comment = await insertComment(commentedVideo, owner);
    await reactToComment(comment, goes.token, "dislike");
    await reactToComment(comment, family.accessToken, "like");
    await deleteProfile(family, goes.id);
    await eventually(async () => (await commentReactionsOf([goes.id])) === 0, 10_000);
    expect(await storedCommentReactions(comment)).toEqual({
      counts: { likes: 1, dislikes: 0 },
      rows: { likes: 1, dislikes: 0 },
    });
  });
});
