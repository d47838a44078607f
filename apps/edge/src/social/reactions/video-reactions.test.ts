/**
 * The VideoReactions object over RPC: exactness under concurrency, idempotency, switching and
 * clearing, sharding, and the alarm flush to D1 (totals and the per-profile index). Profiles are
 * bare D1 rows (`insertProfiles`): a flush forgets reactions of profiles that do not exist, so
 * made-up ids only appear where nothing is flushed.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { eventually, type SeededAccount, seedAccount } from "../../../test/harness";
import { shardOf } from "./shards";
import {
  d1Counts,
  d1Days,
  flushNow,
  indexRows,
  insertProfiles,
  insertVideo,
  shard,
  utcDay,
} from "./test-utils";
import { SHARD_MISMATCH } from "./video-reactions";

let owner: SeededAccount;

beforeAll(async () => {
  owner = await seedAccount({ tag: "rxdo", channel: true });
});

describe("VideoReactions (one shard)", () => {
  it("counts 1,000 concurrent likes from 1,000 profiles exactly, and D1 follows within seconds", async () => {
    const videoId = await insertVideo(owner);
    const { at, stub } = shard(videoId);
    const answers = await Promise.all(
      (await insertProfiles(1000, "k")).map((p) => stub.react(at, p, "like")),
    );
    expect(answers.every((a) => a.changed && a.value === "like")).toBe(true);
    // Each answer saw its own like: the counts it reports are distinct, 1..1000.
    expect(new Set(answers.map((a) => a.shardCounts.likes)).size).toBe(1000);
    expect(await stub.counts(at)).toEqual({ likes: 1000, dislikes: 0 });
    // The real alarm (not a forced one) brings D1 level within a few seconds.
    await eventually(async () => (await d1Counts(videoId))?.likes === 1000, 10_000);
    expect(await d1Counts(videoId)).toEqual({ likes: 1000, dislikes: 0 });
    expect(await d1Days(videoId)).toEqual([{ day: utcDay(Date.now()), likes: 1000, dislikes: 0 }]);
  });

  it("flushes changes that land while a flush is in flight (a steady stream of likes)", async () => {
    const videoId = await insertVideo(owner);
    const { at, stub } = shard(videoId);
    // 3 s of likes, 20 every 100 ms: several alarms fire mid-stream, each missing the latest likes.
    const fans = await insertProfiles(600, "b");
    for (let batch = 0; batch < 30; batch++) {
      await Promise.all(fans.slice(batch * 20, batch * 20 + 20).map((p) => stub.react(at, p, "like")));
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await stub.counts(at)).toEqual({ likes: 600, dislikes: 0 });
    await eventually(async () => (await d1Counts(videoId))?.likes === 600, 10_000);
    await eventually(async () => Object.keys(await indexRows(videoId)).length === 600, 10_000);
  });

  it("counts 50 concurrent repeats from one profile once", async () => {
    const videoId = await insertVideo(owner);
    const { at, stub } = shard(videoId);
    const [fan] = (await insertProfiles(1, "repeat")) as [string];
    const answers = await Promise.all(Array.from({ length: 50 }, () => stub.react(at, fan, "like")));
    expect(answers.filter((a) => a.changed)).toHaveLength(1);
    expect(answers.every((a) => a.total.likes === 1)).toBe(true);
    expect(await stub.get(at, fan)).toEqual({ value: "like", likes: 1, dislikes: 0 });
  });

  it("like → dislike → clear leaves every count at 0, in the object and in D1", async () => {
    const videoId = await insertVideo(owner);
    const { at, stub } = shard(videoId);
    expect((await stub.react(at, "prf_a", "like")).total).toEqual({ likes: 1, dislikes: 0 });
    expect((await stub.react(at, "prf_a", "dislike")).total).toEqual({ likes: 0, dislikes: 1 });
    const cleared = await stub.clear(at, "prf_a");
    expect(cleared).toMatchObject({ value: null, changed: true, total: { likes: 0, dislikes: 0 } });
    expect((await stub.clear(at, "prf_a")).changed).toBe(false);
    await flushNow(videoId);
    expect(await d1Counts(videoId)).toEqual({ likes: 0, dislikes: 0 });
    // The day saw +1 −1 likes and +1 −1 dislikes: net zero.
    expect(await d1Days(videoId)).toEqual([{ day: utcDay(Date.now()), likes: 0, dislikes: 0 }]);
  });

  it("keeps per-day deltas that sum to the totals", async () => {
    const videoId = await insertVideo(owner);
    const { at, stub } = shard(videoId);
    const [p1, p2, p3, p4] = (await insertProfiles(4, "days")) as [string, string, string, string];
    const now = Date.now();
    const yesterday = now - 86_400_000;
    await stub.react(at, p1, "like", yesterday);
    await stub.react(at, p2, "like", yesterday);
    await stub.react(at, p3, "dislike", yesterday);
    await stub.clear(at, p1, now); // a like given yesterday, taken back today
    await stub.react(at, p4, "like", now);
    await flushNow(videoId);
    expect(await d1Days(videoId)).toEqual([
      { day: utcDay(yesterday), likes: 2, dislikes: 1 },
      { day: utcDay(now), likes: 0, dislikes: 0 },
    ]);
    expect(await d1Counts(videoId)).toEqual({ likes: 2, dislikes: 1 });
  });

  it("forget erases profiles' reactions and takes them out of the counts", async () => {
    const videoId = await insertVideo(owner);
    const { at, stub } = shard(videoId);
    const [x, y, z, w] = (await insertProfiles(4, "fgt")) as [string, string, string, string];
    await Promise.all([x, y, z].map((p) => stub.react(at, p, "like")));
    await stub.react(at, w, "dislike");
    expect(await stub.forget(at, [x, w, "prf_never"])).toBe(2);
    expect(await stub.forget(at, [x, w])).toBe(0);
    expect(await stub.counts(at)).toEqual({ likes: 2, dislikes: 0 });
    expect((await stub.get(at, x)).value).toBeNull();
    await flushNow(videoId);
    expect(await d1Counts(videoId)).toEqual({ likes: 2, dislikes: 0 });
    expect(await indexRows(videoId)).toEqual({ [y]: "like", [z]: "like" });
  });

  it("forget on an object nobody reacted through creates no storage", async () => {
    const videoId = await insertVideo(owner);
    const { at, stub } = shard(videoId);
    expect(await stub.forget(at, ["prf_nobody"])).toBe(0);
    await runInDurableObject(stub, async (_o, state) => {
      expect(state.storage.sql.exec("SELECT COUNT(*) AS n FROM state").one().n).toBe(0);
    });
  });

  it("mirrors each profile's reaction into the D1 index at the flush: like → row, switch → value, clear → gone", async () => {
    const videoId = await insertVideo(owner);
    const { at, stub } = shard(videoId);
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
    const videoId = await insertVideo(owner);
    const { at, stub } = shard(videoId);
    const [stays, goes] = (await insertProfiles(2, "race")) as [string, string];
    await stub.react(at, stays, "like");
    await stub.react(at, goes, "like");
    // The profile is erased before the shard's flush wrote its index row: the erasure cannot find it.
    await env.DB.prepare("DELETE FROM profiles WHERE id = ?").bind(goes).run();
    await flushNow(videoId);
    expect(await stub.counts(at)).toEqual({ likes: 1, dislikes: 0 });
    expect((await stub.get(at, goes)).value).toBeNull();
    expect(await indexRows(videoId)).toEqual({ [stays]: "like" });
    await flushNow(videoId);
    expect(await d1Counts(videoId)).toEqual({ likes: 1, dislikes: 0 });
    expect(await d1Days(videoId)).toEqual([{ day: utcDay(Date.now()), likes: 1, dislikes: 0 }]);
  });

  it("refuses to be addressed with another shard layout (a rehash could count a profile twice)", async () => {
    const videoId = await insertVideo(owner);
    const { at, stub } = shard(videoId);
    const [a] = (await insertProfiles(1, "layout")) as [string];
    await stub.react(at, a, "like");
    // Called on the instance: a rejecting RPC through a stub leaks an extra unhandled rejection in
    // the vitest pool (cloudflare/workers-sdk#14736), even when the test handles it.
    await runInDurableObject(stub, async (o) => {
      await expect(o.react({ ...at, shards: 2 }, a, "like")).rejects.toThrow(SHARD_MISMATCH);
      await expect(o.counts({ ...at, videoId: "vid_other" })).rejects.toThrow(SHARD_MISMATCH);
      await expect(o.react({ ...at, shard: 1 }, a, "like")).rejects.toThrow(/invalid shard address/);
      await expect(o.react(at, "", "like")).rejects.toThrow(/invalid profile id/);
      // @ts-expect-error: a value the type forbids must still be refused at runtime
      await expect(o.react(at, "prf_b", "love")).rejects.toThrow(/like or dislike/);
    });
    expect(await stub.counts(at)).toEqual({ likes: 1, dislikes: 0 });
  });

  it("answers reads of an object nobody reacted through without creating storage", async () => {
    const videoId = await insertVideo(owner);
    const { at, stub } = shard(videoId);
    expect(await stub.counts(at)).toEqual({ likes: 0, dislikes: 0 });
    expect(await stub.get(at, "prf_nobody")).toEqual({ value: null, likes: 0, dislikes: 0 });
    await runInDurableObject(stub, async (_o, state) => {
      expect(state.storage.sql.exec("SELECT COUNT(*) AS n FROM state").one().n).toBe(0);
      expect(await state.storage.getAlarm()).toBeNull();
    });
  });

  it("a flush for a video whose row is gone wipes the object instead of failing forever", async () => {
    const videoId = await insertVideo(owner);
    const { at, stub } = shard(videoId);
    const [a] = (await insertProfiles(1, "gone")) as [string];
    await stub.react(at, a, "like");
    await env.DB.prepare("DELETE FROM videos WHERE id = ?").bind(videoId).run();
    await flushNow(videoId);
    expect(await stub.counts(at)).toEqual({ likes: 0, dislikes: 0 });
    expect((await stub.get(at, a)).value).toBeNull();
    expect(await indexRows(videoId)).toEqual({});
  });
});

describe("VideoReactions (four shards)", () => {
  const N = 4;

  it("routes each profile to one shard; shard counts are exact and D1 holds their sum", async () => {
    const videoId = await insertVideo(owner);
    const ids = await insertProfiles(1000, "s");
    const home = (p: string) => shard(videoId, shardOf(p, N), N);
    // Likes, 50 repeats each from 20 of them, and 100 dislikes, all at once.
    await Promise.all([
      ...ids.slice(0, 900).map((p) => home(p).stub.react(home(p).at, p, "like")),
      ...ids.slice(900).map((p) => home(p).stub.react(home(p).at, p, "dislike")),
      ...ids
        .slice(0, 20)
        .flatMap((p) => Array.from({ length: 50 }, () => home(p).stub.react(home(p).at, p, "like"))),
    ]);
    const perShard = await Promise.all(
      Array.from({ length: N }, (_, i) => shard(videoId, i, N)).map(({ at, stub }) => stub.counts(at)),
    );
    for (const [i, c] of perShard.entries()) {
      const mine = ids.filter((p) => shardOf(p, N) === i);
      expect(c).toEqual({
        likes: mine.filter((p) => ids.indexOf(p) < 900).length,
        dislikes: mine.filter((p) => ids.indexOf(p) >= 900).length,
      });
      expect(c.likes + c.dislikes).toBeGreaterThan(150); // the hash spreads profiles
    }
    const sum = perShard.reduce((t, c) => ({ likes: t.likes + c.likes, dislikes: t.dislikes + c.dislikes }), {
      likes: 0,
      dislikes: 0,
    });
    expect(sum).toEqual({ likes: 900, dislikes: 100 });
    await flushNow(videoId, N);
    expect(await d1Counts(videoId)).toEqual({ likes: 900, dislikes: 100 });
    expect(await d1Days(videoId)).toEqual([{ day: utcDay(Date.now()), likes: 900, dislikes: 100 }]);
    // Every shard mirrored its own profiles: the index holds each reaction once.
    const index = await indexRows(videoId);
    expect(Object.keys(index)).toHaveLength(1000);
    expect(Object.values(index).filter((v) => v === "dislike")).toHaveLength(100);
  });

  it("reaches D1 through the real alarms too (shards report to shard 0, shard 0 flushes)", async () => {
    const videoId = await insertVideo(owner);
    const ids = await insertProfiles(200, "r");
    await Promise.all(
      ids.map((p) =>
        shard(videoId, shardOf(p, N), N).stub.react(shard(videoId, shardOf(p, N), N).at, p, "like"),
      ),
    );
    await eventually(async () => (await d1Counts(videoId))?.likes === 200, 15_000);
    // A switch and a clear on other shards follow.
    const [a, b] = ids as [string, string];
    await shard(videoId, shardOf(a, N), N).stub.react(shard(videoId, shardOf(a, N), N).at, a, "dislike");
    await shard(videoId, shardOf(b, N), N).stub.clear(shard(videoId, shardOf(b, N), N).at, b);
    await eventually(async () => {
      const c = await d1Counts(videoId);
      return c?.likes === 198 && c.dislikes === 1;
    }, 15_000);
  });

  it("ignores a replayed or stale report: D1 gets absolute sums, never a delta twice", async () => {
    const videoId = await insertVideo(owner);
    const zero = shard(videoId, 0, N);
    const report = (version: number, likes: number) => ({
      address: { videoId, shard: 2, shards: N },
      version,
      likes,
      dislikes: 0,
      days: [{ day: utcDay(Date.now()), likes, dislikes: 0 }],
    });
    expect(await zero.stub.report(report(5, 7))).toEqual({ likes: 0, dislikes: 0 });
    await zero.stub.report(report(5, 7)); // a retry of the same report
    await zero.stub.report(report(3, 4)); // an older one arriving late
    await flushNow(videoId, 1);
    expect(await d1Counts(videoId)).toEqual({ likes: 7, dislikes: 0 });
    await zero.stub.report(report(6, 9));
    await flushNow(videoId, 1);
    expect(await d1Counts(videoId)).toEqual({ likes: 9, dislikes: 0 });
    expect(await d1Days(videoId)).toEqual([{ day: utcDay(Date.now()), likes: 9, dislikes: 0 }]);
    // Shard 2 asking for the others' sum does not count itself.
    expect(await zero.stub.others(zero.at, 2)).toEqual({ likes: 0, dislikes: 0 });
    expect(await zero.stub.others(zero.at, 1)).toEqual({ likes: 9, dislikes: 0 });
  });

  it("answers whole-video totals: shard 0 exact after reports, other shards within the report lag", async () => {
    const videoId = await insertVideo(owner);
    const [ids, spare] = [await insertProfiles(40, "t"), await insertProfiles(40, "tspare")];
    for (const p of ids) {
      const { at, stub } = shard(videoId, shardOf(p, N), N);
      await stub.react(at, p, "like");
    }
    await flushNow(videoId, N);
    // Shard 0 holds every shard's latest report and reads its own part live: exact.
    const onZero = spare.find((p) => shardOf(p, N) === 0) as string;
    expect((await shard(videoId, 0, N).stub.react(shard(videoId, 0, N).at, onZero, "like")).total.likes).toBe(
      41,
    );
    // Another shard adds what it last heard from shard 0: never more than the truth, never less
    // than its own exact part.
    const elsewhere = spare.find((p) => shardOf(p, N) === 3) as string;
    const answer = await shard(videoId, 3, N).stub.react(shard(videoId, 3, N).at, elsewhere, "like");
    expect(answer.total.likes).toBeLessThanOrEqual(42);
    expect(answer.total.likes).toBeGreaterThanOrEqual(answer.shardCounts.likes);
  });
});
