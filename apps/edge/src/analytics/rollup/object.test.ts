/**
 * The rollup object: a poke arms one alarm, the alarm drains the dirty marks into rollup rows,
 * and pokeRollup is throttled per isolate and never throws.
 */
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { insertVideo } from "../../../test/fixtures";
import { type SeededAccount, seedAccount } from "../../../test/harness";
import type { AnalyticsRollup } from "./object";
import { pokeRollup, rollupObject } from "./poke";
import { bucketRowsStored, freshHour, marksOf, storeRaw, watchRows } from "./test-utils";

let owner: SeededAccount;
beforeAll(async () => {
  owner = await seedAccount({ channel: true });
});

const alarmAt = () =>
  runInDurableObject(rollupObject(env), (_: AnalyticsRollup, state) => state.storage.getAlarm());

describe("AnalyticsRollup", () => {
  it("drains on its alarm after a poke", async () => {
    const video = await insertVideo(owner, { durationMs: 100_000 });
    const h = freshHour();
    await storeRaw([...watchRows(video, "a", 50_000, h), ...watchRows(video, "b", 100_000, h + 60_000)]);
    expect(await marksOf(video)).toHaveLength(1);

    const before = Date.now();
    await pokeRollup(env, { force: true });
    const armed = await alarmAt();
    expect(armed).toBeGreaterThanOrEqual(before);
    // A second poke keeps the alarm already armed.
    await rollupObject(env).poke();
    expect(await alarmAt()).toBe(armed);

    expect(await runDurableObjectAlarm(rollupObject(env))).toBe(true);
    expect(await marksOf(video)).toEqual([]);
    expect((await bucketRowsStored("video", video, "hour", h)).period).toMatchObject({
      views: 2,
      watchMs: 150_000,
    });
    expect((await bucketRowsStored("channel", owner.channelId as string, "hour", h)).period).toMatchObject({
      views: 2,
    });
    // Nothing left: the alarm did not re-arm.
    expect(await alarmAt()).toBeNull();
  });

  it("a poke pulls an alarm armed far ahead (a backing-off mark's retry) back to a few seconds", async () => {
    const later = Date.now() + 3_600_000;
    await runInDurableObject(rollupObject(env), (_: AnalyticsRollup, state) => state.storage.setAlarm(later));
    await rollupObject(env).poke();
    const armed = await alarmAt();
    expect(armed).not.toBeNull();
    expect(armed as number).toBeLessThan(later);
    expect(armed as number).toBeLessThanOrEqual(Date.now() + 5_000);
    await runDurableObjectAlarm(rollupObject(env));
  });

  it("pokes at most once per isolate in two seconds, and never throws", async () => {
    const now = Date.now() + 60_000;
    await pokeRollup(env, { now });
    await runDurableObjectAlarm(rollupObject(env));
    await pokeRollup(env, { now: now + 1_000 });
    expect(await alarmAt()).toBeNull();
    await pokeRollup(env, { now: now + 2_500 });
    expect(await alarmAt()).not.toBeNull();
    await runDurableObjectAlarm(rollupObject(env));

    const broken = {
      ...env,
      ANALYTICS_ROLLUP: {
        idFromName: () => {
          throw new Error("no such binding");
        },
      },
    } as unknown as Env;
    await expect(pokeRollup(broken, { force: true })).resolves.toBeUndefined();
  });
});
