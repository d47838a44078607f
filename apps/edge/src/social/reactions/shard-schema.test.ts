/**
 * The shard objects' storage schema: a new object runs every step; an object an older release
 * left behind (no `schema_version`, perhaps no `index_dirty`) is recognised by `adoptShardSchema`
 * and upgraded in place when it is next constructed, its reactions reaching the D1 index.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { testDb } from "../../../test/fixtures";
import { eventually, type SeededAccount, seedAccount } from "../../../test/harness";
import { videoReactionIndex } from "../../db/schema";
import { schemaVersion } from "../../lib/do-migrations";
import { SHARD_SCHEMA } from "./shard-schema";
import { d1Counts, flushNow, indexRows, insertProfiles, newVideoShard, type shard } from "./test-utils";
import { VideoReactions } from "./video-reactions";

type Stub = ReturnType<typeof shard>["stub"];

let owner: SeededAccount;

beforeAll(async () => {
  owner = await seedAccount({ tag: "rxschema", channel: true });
});

/** The object's schema version, index marks and pending alarm. */
const storage = (stub: Stub) =>
  runInDurableObject(stub, async (_o, state) => ({
    version: schemaVersion(state.storage.sql),
    marks: state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM index_dirty").one().n,
    alarm: await state.storage.getAlarm(),
  }));

/**
 * Turns the object's storage back into what an older release left (no `schema_version`; with
 * `withoutIndex`, no `index_dirty` either, and no alarm), then constructs the object over it
 * again, as the first request after a deploy would.
 */
async function reconstructFromOlderRelease(stub: Stub, withoutIndex: boolean): Promise<void> {
  await runInDurableObject(stub, async (_o, state) => {
    state.storage.sql.exec("DROP TABLE schema_version");
    if (withoutIndex) state.storage.sql.exec("DROP TABLE index_dirty");
    await state.storage.deleteAlarm();
    new VideoReactions(state, env);
  });
}

describe("shard schema", () => {
  it("a new object runs every step, and so does a wiped one", async () => {
    const { at, stub } = await newVideoShard(owner);
    const [a] = (await insertProfiles(1, "fresh")) as [string];
    await stub.react(at, a, "like");
    expect(await storage(stub)).toMatchObject({ version: SHARD_SCHEMA.length, marks: 1 });
    await stub.wipe();
    expect(await storage(stub)).toEqual({ version: SHARD_SCHEMA.length, marks: 0, alarm: null });
  });

  it("an object from before the index marks every reaction and flushes them into the D1 index", async () => {
    const { videoId, at, stub } = await newVideoShard(owner);
    const [a, b] = (await insertProfiles(2, "preindex")) as [string, string];
    await stub.react(at, a, "like");
    await stub.react(at, b, "dislike");
    await flushNow(videoId);
    // Back then, nothing wrote the index.
    await testDb().delete(videoReactionIndex).where(eq(videoReactionIndex.videoId, videoId));
    await reconstructFromOlderRelease(stub, true);
    await eventually(async () => (await storage(stub)).alarm !== null, 5000);
    expect(await storage(stub)).toMatchObject({ version: SHARD_SCHEMA.length, marks: 2 });
    await flushNow(videoId);
    expect(await indexRows(videoId)).toEqual({ [a]: "like", [b]: "dislike" });
    expect(await stub.counts(at)).toEqual({ ok: true, likes: 1, dislikes: 1 });
    expect(await d1Counts(videoId)).toEqual({ likes: 1, dislikes: 1 });
  });

  it("an object from after the index, before versioning, is adopted at version 2: nothing is marked again", async () => {
    const { videoId, at, stub } = await newVideoShard(owner);
    const [a] = (await insertProfiles(1, "adopt")) as [string];
    await stub.react(at, a, "like");
    await flushNow(videoId);
    await reconstructFromOlderRelease(stub, false);
    expect(await storage(stub)).toEqual({ version: 2, marks: 0, alarm: null });
    expect(await indexRows(videoId)).toEqual({ [a]: "like" });
  });
});
