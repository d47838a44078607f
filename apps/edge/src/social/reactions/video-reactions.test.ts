/**
 * The VideoReactions object over RPC: exactness under concurrency, idempotency, switching,
 * clearing and forgetting, reads that create no storage, and the pinned shard layout. Profiles are
 * bare D1 rows (`insertProfiles`): a flush forgets reactions of profiles that do not exist, so
 * made-up ids only appear where nothing is flushed. Sums over shards: aggregation.test.ts; the
 * alarm's writes to D1: flush.test.ts.
 */
import { runInDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { eventually, type SeededAccount, seedAccount } from "../../../test/harness";
import { utcDay } from "./shard-protocol";
import {
  d1Counts,
  d1Days,
  flushNow,
  indexRows,
  insertProfiles,
  newVideoShard,
  type shard,
} from "./test-utils";

let owner: SeededAccount;

beforeAll(async () => {
  owner = await seedAccount({ tag: "rxdo", channel: true });
});

/** Whether the object has a state row (reads and no-op calls must not create one). */
const hasState = (stub: ReturnType<typeof shard>["stub"]) =>
  runInDurableObject(
    stub,
    async (_o, state) => state.storage.sql.exec("SELECT * FROM state").toArray().length > 0,
  );

describe("VideoReactions (one shard)", () => {
  it("counts 1,000 concurrent likes from 1,000 profiles exactly, and D1 follows within seconds", async () => {
    const { videoId, at, stub } = await newVideoShard(owner);
    const answers = await Promise.all(
      (await insertProfiles(1000, "k")).map((p) => stub.react(at, p, "like")),
    );
    expect(answers.every((a) => a.ok && a.changed && a.value === "like")).toBe(true);
    // Each answer saw its own like: the counts it reports are distinct, 1..1000.
    expect(new Set(answers.map((a) => a.ok && a.shardCounts.likes)).size).toBe(1000);
    expect(await stub.counts(at)).toEqual({ ok: true, likes: 1000, dislikes: 0 });
    // The real alarm (not a forced one) brings D1 level within a few seconds.
    await eventually(async () => (await d1Counts(videoId))?.likes === 1000, 10_000);
    expect(await d1Counts(videoId)).toEqual({ likes: 1000, dislikes: 0 });
    expect(await d1Days(videoId)).toEqual([{ day: utcDay(Date.now()), likes: 1000, dislikes: 0 }]);
  });

  it("counts 50 concurrent repeats from one profile once", async () => {
    const { at, stub } = await newVideoShard(owner);
    const [fan] = (await insertProfiles(1, "repeat")) as [string];
    const answers = await Promise.all(Array.from({ length: 50 }, () => stub.react(at, fan, "like")));
    expect(answers.filter((a) => a.ok && a.changed)).toHaveLength(1);
    expect(answers.every((a) => a.ok && a.total.likes === 1)).toBe(true);
    expect(await stub.get(at, fan)).toEqual({ ok: true, value: "like", likes: 1, dislikes: 0 });
  });

  it("like → dislike → clear leaves every count at 0, in the object and in D1", async () => {
    const { videoId, at, stub } = await newVideoShard(owner);
    expect(await stub.react(at, "prf_a", "like")).toMatchObject({ total: { likes: 1, dislikes: 0 } });
    expect(await stub.react(at, "prf_a", "dislike")).toMatchObject({ total: { likes: 0, dislikes: 1 } });
    const cleared = await stub.clear(at, "prf_a");
    expect(cleared).toMatchObject({ value: null, changed: true, total: { likes: 0, dislikes: 0 } });
    expect(await stub.clear(at, "prf_a")).toMatchObject({ changed: false });
    await flushNow(videoId);
    expect(await d1Counts(videoId)).toEqual({ likes: 0, dislikes: 0 });
    // The day saw +1 −1 likes and +1 −1 dislikes: net zero.
    expect(await d1Days(videoId)).toEqual([{ day: utcDay(Date.now()), likes: 0, dislikes: 0 }]);
  });

  it("forget erases profiles' reactions and takes them out of the counts", async () => {
    const { videoId, at, stub } = await newVideoShard(owner);
    const [x, y, z, w] = (await insertProfiles(4, "fgt")) as [string, string, string, string];
    await Promise.all([x, y, z].map((p) => stub.react(at, p, "like")));
    await stub.react(at, w, "dislike");
    expect(await stub.forget(at, [x, w, "prf_never"])).toEqual({ ok: true, removed: 2 });
    expect(await stub.forget(at, [x, w])).toEqual({ ok: true, removed: 0 });
    expect(await stub.counts(at)).toEqual({ ok: true, likes: 2, dislikes: 0 });
    expect(await stub.get(at, x)).toMatchObject({ value: null });
    await flushNow(videoId);
    expect(await d1Counts(videoId)).toEqual({ likes: 2, dislikes: 0 });
    expect(await indexRows(videoId)).toEqual({ [y]: "like", [z]: "like" });
  });

  it("forget on an object nobody reacted through creates no storage", async () => {
    const { at, stub } = await newVideoShard(owner);
    expect(await stub.forget(at, ["prf_nobody"])).toEqual({ ok: true, removed: 0 });
    expect(await hasState(stub)).toBe(false);
  });

  it("refuses to be addressed with another shard layout (a rehash could count a profile twice)", async () => {
    const { at, stub } = await newVideoShard(owner);
    const [a] = (await insertProfiles(1, "layout")) as [string];
    await stub.react(at, a, "like");
    const refused = { ok: false, reason: "shard_mismatch", pinned: at };
    expect(await stub.react({ ...at, shards: 2 }, a, "like")).toEqual(refused);
    expect(await stub.counts({ ...at, videoId: "vid_other" })).toEqual(refused);
    expect(await stub.forget({ ...at, shards: 2 }, [a])).toEqual(refused);
    // Arguments no caller can build are bugs, thrown. Called on the instance: a rejecting RPC
    // through a stub leaks an extra unhandled rejection in the vitest pool (workers-sdk#14736).
    await runInDurableObject(stub, async (o) => {
      await expect(o.react({ ...at, shard: 1 }, a, "like")).rejects.toThrow(/invalid shard address/);
      await expect(o.react(at, "", "like")).rejects.toThrow(/invalid profile id/);
      // @ts-expect-error: a value the type forbids must still be refused at runtime
      await expect(o.react(at, "prf_b", "love")).rejects.toThrow(/like or dislike/);
    });
    expect(await stub.counts(at)).toEqual({ ok: true, likes: 1, dislikes: 0 });
  });

  it("answers reads of an object nobody reacted through without creating storage", async () => {
    const { at, stub } = await newVideoShard(owner);
    expect(await stub.counts(at)).toEqual({ ok: true, likes: 0, dislikes: 0 });
    expect(await stub.get(at, "prf_nobody")).toEqual({ ok: true, value: null, likes: 0, dislikes: 0 });
    expect(await hasState(stub)).toBe(false);
    expect(await runInDurableObject(stub, (_o, state) => state.storage.getAlarm())).toBeNull();
  });
});

describe("VideoReactions.wipe", () => {
  it("drops every reaction; the emptied object starts again at zero", async () => {
    const { at, stub } = await newVideoShard(owner);
    const [a] = (await insertProfiles(1, "wipe")) as [string];
    await stub.react(at, a, "like");
    await stub.wipe();
    expect(await hasState(stub)).toBe(false);
    expect(await runInDurableObject(stub, (_o, state) => state.storage.getAlarm())).toBeNull();
    expect(await stub.react(at, a, "dislike")).toMatchObject({ ok: true, total: { likes: 0, dislikes: 1 } });
  });
});
