/**
 * The VideoReactions object over RPC: exactness under concurrency, idempotency, switching and
 * clearing, sharding, and the alarm flush to D1. Profile ids here are plain strings: the object
 * does not care whether an account exists (the HTTP tests cover real profiles).
 */
import { env, runInDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { eventually, type SeededAccount, seedAccount } from "../../../test/harness";
import { shardOf } from "./shards";
import { d1Counts, d1Days, flushNow, insertVideo, shard, utcDay } from "./test-utils";
import { SHARD_MISMATCH } from "./video-reactions";

let owner: SeededAccount;

beforeAll(async () => {
  owner = await seedAccount({ tag: "rxdo", channel: true });
});

const profiles = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `prf_${tag}${i}`);

describe("VideoReactions (one shard)", () => {
  it("counts 1,000 concurrent likes from 1,000 profiles exactly, and D1 follows within seconds", async () => {
    const videoId = await insertVideo(owner);
    const { at, stub } = shard(videoId);
    const answers = await Promise.all(profiles(1000, "k").map((p) => stub.react(at, p, "like")));
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
    for (let batch = 0; batch < 30; batch++) {
      await Promise.all(profiles(20, `b${batch}x`).map((p) => stub.react(at, p, "like")));
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await stub.counts(at)).toEqual({ likes: 600, dislikes: 0 });
    await eventually(async () => (await d1Counts(videoId))?.likes === 600, 10_000);
  });

  it("counts 50 concurrent repeats from one profile once", async () => {
    const videoId = await insertVideo(owner);
    const { at, stub } = shard(videoId);
    const answers = await Promise.all(Array.from({ length: 50 }, () => stub.react(at, "prf_repeat", "like")));
    expect(answers.filter((a) => a.changed)).toHaveLength(1);
    expect(answers.every((a) => a.total.likes === 1)).toBe(true);
    expect(await stub.get(at, "prf_repeat")).toEqual({ value: "like", likes: 1, dislikes: 0 });
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
    const now = Date.now();
    const yesterday = now - 86_400_000;
    await stub.react(at, "prf_1", "like", yesterday);
    await stub.react(at, "prf_2", "like", yesterday);
    await stub.react(at, "prf_3", "dislike", yesterday);
    await stub.clear(at, "prf_1", now); // a like given yesterday, taken back today
    await stub.react(at, "prf_4", "like", now);
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
    await Promise.all(["prf_x", "prf_y", "prf_z"].map((p) => stub.react(at, p, "like")));
    await stub.react(at, "prf_w", "dislike");
    expect(await stub.forget(at, ["prf_x", "prf_w", "prf_never"])).toBe(2);
    expect(await stub.forget(at, ["prf_x", "prf_w"])).toBe(0);
    expect(await stub.counts(at)).toEqual({ likes: 2, dislikes: 0 });
    expect((await stub.get(at, "prf_x")).value).toBeNull();
    await flushNow(videoId);
    expect(await d1Counts(videoId)).toEqual({ likes: 2, dislikes: 0 });
  });

  it("refuses to be addressed with another shard layout (a rehash could count a profile twice)", async () => {
    const videoId = await insertVideo(owner);
    const { at, stub } = shard(videoId);
    await stub.react(at, "prf_a", "like");
    // Called on the instance: a rejecting RPC through a stub leaks an extra unhandled rejection in
    // the vitest pool (cloudflare/workers-sdk#14736), even when the test handles it.
    await runInDurableObject(stub, async (o) => {
      await expect(o.react({ ...at, shards: 2 }, "prf_a", "like")).rejects.toThrow(SHARD_MISMATCH);
      await expect(o.counts({ ...at, videoId: "vid_other" })).rejects.toThrow(SHARD_MISMATCH);
      await expect(o.react({ ...at, shard: 1 }, "prf_a", "like")).rejects.toThrow(/invalid shard address/);
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
    await stub.react(at, "prf_a", "like");
    await env.DB.prepare("DELETE FROM videos WHERE id = ?").bind(videoId).run();
    await flushNow(videoId);
    expect(await stub.counts(at)).toEqual({ likes: 0, dislikes: 0 });
    expect((await stub.get(at, "prf_a")).value).toBeNull();
  });
});

describe("VideoReactions (four shards)", () => {
  const N = 4;

  it("routes each profile to one shard; shard counts are exact and D1 holds their sum", async () => {
    const videoId = await insertVideo(owner);
    const ids = profiles(1000, "s");
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
  });

  it("reaches D1 through the real alarms too (shards report to shard 0, shard 0 flushes)", async () => {
    const videoId = await insertVideo(owner);
    const ids = profiles(200, "r");
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
    const ids = profiles(40, "t");
    for (const p of ids) {
      const { at, stub } = shard(videoId, shardOf(p, N), N);
      await stub.react(at, p, "like");
    }
    await flushNow(videoId, N);
    // Shard 0 holds every shard's latest report and reads its own part live: exact.
    const onZero = ids.map((_, i) => `prf_late${i}`).find((p) => shardOf(p, N) === 0) as string;
    expect((await shard(videoId, 0, N).stub.react(shard(videoId, 0, N).at, onZero, "like")).total.likes).toBe(
      41,
    );
    // Another shard adds what it last heard from shard 0: never more than the truth, never less
    // than its own exact part.
    const elsewhere = ids.map((_, i) => `prf_other${i}`).find((p) => shardOf(p, N) === 3) as string;
    const answer = await shard(videoId, 3, N).stub.react(shard(videoId, 3, N).at, elsewhere, "like");
    expect(answer.total.likes).toBeLessThanOrEqual(42);
    expect(answer.total.likes).toBeGreaterThanOrEqual(answer.shardCounts.likes);
  });
});
