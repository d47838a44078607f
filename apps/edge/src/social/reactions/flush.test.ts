/**
 * The shard objects' alarm: what reaches D1 (totals, days, the per-profile index), when, and what
 * a flush does with a profile or a video that is gone.
 */
import { runInDurableObject } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { insertVideo, testDb } from "../../../test/fixtures";
import { eventually, type SeededAccount, seedAccount } from "../../../test/harness";
import { profiles, videos } from "../../db/schema";
import { utcDay } from "./shard-protocol";
import { shardOf } from "./shards";
import { d1Counts, d1Days, flushNow, indexRows, insertProfiles, newVideoShard, shard } from "./test-utils";

let owner: SeededAccount;

beforeAll(async () => {
  owner = await seedAccount({ tag: "rxflush", channel: true });
});

describe("the flush of one shard", () => {
  it("flushes changes that land while a flush is in flight (a steady stream of likes)", async () => {
    const { videoId, at, stub } = await newVideoShard(owner);
    // 3 s of likes, 20 every 100 ms: several alarms fire mid-stream, each missing the latest likes.
    const fans = await insertProfiles(600, "b");
    for (let batch = 0; batch < 30; batch++) {
      await Promise.all(fans.slice(batch * 20, batch * 20 + 20).map((p) => stub.react(at, p, "like")));
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await stub.counts(at)).toEqual({ ok: true, likes: 600, dislikes: 0 });
    await eventually(async () => (await d1Counts(videoId))?.likes === 600, 10_000);
    await eventually(async () => Object.keys(await indexRows(videoId)).length === 600, 10_000);
  });

  it("mirrors each profile's reaction into the D1 index at the flush: like → row, switch → value, clear → gone", async () => {
    const { videoId, at, stub } = await newVideoShard(owner);
    const [a, b] = (await insertProfiles(2, "idx")) as [string, string];
    await stub.react(at, a, "like");
    await stub.react(at, b, "dislike");
    expect(await indexRows(videoId)).toEqual({}); // the index follows the flush, not every like
    await flushNow(videoId);
    expect(await indexRows(videoId)).toEqual({ [a]: "like", [b]: "dislike" });
    await stub.react(at, a, "dislike");
    await stub.clear(at, b);
    await flushNow(videoId);
    expect(await indexRows(videoId)).toEqual({ [a]: "dislike" });
    // A flush with nothing new rewrites nothing; a repeated value marks nothing.
    await stub.react(at, a, "dislike");
    await flushNow(videoId);
    expect(await indexRows(videoId)).toEqual({ [a]: "dislike" });
    await runInDurableObject(stub, async (_o, state) => {
      expect(state.storage.sql.exec("SELECT COUNT(*) AS n FROM index_dirty").one().n).toBe(0);
    });
  });

  it("forgets at the flush a reaction whose profile no longer exists (a like racing its profile's deletion)", async () => {
    const { videoId, at, stub } = await newVideoShard(owner);
    const [stays, goes] = (await insertProfiles(2, "race")) as [string, string];
    await stub.react(at, stays, "like");
    await stub.react(at, goes, "like");
    // The profile is erased before the shard's flush wrote its index row: the erasure cannot find it.
    await testDb().delete(profiles).where(eq(profiles.id, goes));
    await flushNow(videoId);
    expect(await stub.counts(at)).toEqual({ ok: true, likes: 1, dislikes: 0 });
    expect(await stub.get(at, goes)).toMatchObject({ value: null });
    expect(await indexRows(videoId)).toEqual({ [stays]: "like" });
    await flushNow(videoId);
    expect(await d1Counts(videoId)).toEqual({ likes: 1, dislikes: 0 });
    expect(await d1Days(videoId)).toEqual([{ day: utcDay(Date.now()), likes: 1, dislikes: 0 }]);
  });

  it("a flush for a video whose row is gone wipes the object instead of failing forever", async () => {
    const { videoId, at, stub } = await newVideoShard(owner);
    const [a] = (await insertProfiles(1, "gone")) as [string];
    await stub.react(at, a, "like");
    await testDb().delete(videos).where(eq(videos.id, videoId));
    await flushNow(videoId);
    expect(await stub.counts(at)).toEqual({ ok: true, likes: 0, dislikes: 0 });
    expect(await stub.get(at, a)).toMatchObject({ value: null });
    expect(await indexRows(videoId)).toEqual({});
  });
});

describe("the flush of four shards", () => {
  it("reaches D1 through the real alarms too (shards report to shard 0, shard 0 flushes)", async () => {
    const N = 4;
    const videoId = await insertVideo(owner);
    const ids = await insertProfiles(200, "r");
    const home = (p: string) => shard(videoId, shardOf(p, N), N);
    await Promise.all(ids.map((p) => home(p).stub.react(home(p).at, p, "like")));
    await eventually(async () => (await d1Counts(videoId))?.likes === 200, 15_000);
    // A switch and a clear on other shards follow.
    const [a, b] = ids as [string, string];
    await home(a).stub.react(home(a).at, a, "dislike");
    await home(b).stub.clear(home(b).at, b);
    await eventually(async () => {
      const c = await d1Counts(videoId);
      return c?.likes === 198 && c.dislikes === 1;
    }, 15_000);
  });
});
