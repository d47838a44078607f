/**
 * How a video's counts and days add up: per-day deltas that sum to the totals, and a video split
 * over four shards whose sums reach D1 through shard 0 — exactly, whatever reports are replayed.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { insertVideo } from "../../../test/fixtures";
import { type SeededAccount, seedAccount } from "../../../test/harness";
import { utcDay } from "./shard-protocol";
import { shardOf } from "./shards";
import { d1Counts, d1Days, flushNow, indexRows, insertProfiles, newVideoShard, shard } from "./test-utils";

let owner: SeededAccount;

beforeAll(async () => {
  owner = await seedAccount({ tag: "rxagg", channel: true });
});

const N = 4;
/** The shard of the video that holds `profileId`'s reaction. */
const home = (videoId: string, profileId: string) => shard(videoId, shardOf(profileId, N), N);
const reactAtHome = (videoId: string, profileId: string, value: "like" | "dislike") => {
  const { at, stub } = home(videoId, profileId);
  return stub.react(at, profileId, value);
};

describe("per-day deltas", () => {
  it("sum to the totals", async () => {
    const { videoId, at, stub } = await newVideoShard(owner);
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
});

describe("four shards", () => {
  it("routes each profile to one shard; shard counts are exact and D1 holds their sum", async () => {
    const videoId = await insertVideo(owner);
    const ids = await insertProfiles(1000, "s");
    // Likes, 50 repeats each from 20 of them, and 100 dislikes, all at once.
    await Promise.all([
      ...ids.slice(0, 900).map((p) => reactAtHome(videoId, p, "like")),
      ...ids.slice(900).map((p) => reactAtHome(videoId, p, "dislike")),
      ...ids.slice(0, 20).flatMap((p) => Array.from({ length: 50 }, () => reactAtHome(videoId, p, "like"))),
    ]);
    const perShard = await Promise.all(
      Array.from({ length: N }, (_, i) => shard(videoId, i, N)).map(async ({ at, stub }) => {
        const counts = await stub.counts(at);
        if (!counts.ok) throw new Error(counts.reason);
        return { likes: counts.likes, dislikes: counts.dislikes };
      }),
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
    expect(await zero.stub.report(report(5, 7))).toEqual({ ok: true, likes: 0, dislikes: 0 });
    await zero.stub.report(report(5, 7)); // a retry of the same report
    await zero.stub.report(report(3, 4)); // an older one arriving late
    await flushNow(videoId, 1);
    expect(await d1Counts(videoId)).toEqual({ likes: 7, dislikes: 0 });
    await zero.stub.report(report(6, 9));
    await flushNow(videoId, 1);
    expect(await d1Counts(videoId)).toEqual({ likes: 9, dislikes: 0 });
    expect(await d1Days(videoId)).toEqual([{ day: utcDay(Date.now()), likes: 9, dislikes: 0 }]);
    // Shard 2 asking for the others' sum does not count itself.
    expect(await zero.stub.others(zero.at, 2)).toEqual({ ok: true, likes: 0, dislikes: 0 });
    expect(await zero.stub.others(zero.at, 1)).toEqual({ ok: true, likes: 9, dislikes: 0 });
  });

  it("answers whole-video totals: shard 0 exact after reports, other shards within the report lag", async () => {
    const videoId = await insertVideo(owner);
    const [ids, spare] = [await insertProfiles(40, "t"), await insertProfiles(40, "tspare")];
    for (const p of ids) await reactAtHome(videoId, p, "like");
    await flushNow(videoId, N);
    // Shard 0 holds every shard's latest report and reads its own part live: exact.
    const onZero = spare.find((p) => shardOf(p, N) === 0) as string;
    expect(await reactAtHome(videoId, onZero, "like")).toMatchObject({ total: { likes: 41 } });
    // Another shard adds what it last heard from shard 0: never more than the truth, never less
    // than its own exact part.
    const elsewhere = spare.find((p) => shardOf(p, N) === 3) as string;
    const answer = await reactAtHome(videoId, elsewhere, "like");
    if (!answer.ok) throw new Error(answer.reason);
    expect(answer.total.likes).toBeLessThanOrEqual(42);
    expect(answer.total.likes).toBeGreaterThanOrEqual(answer.shardCounts.likes);
  });
});
