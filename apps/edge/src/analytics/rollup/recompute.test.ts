/**
 * The rollups from raw beacons in D1 to rows: idempotent recomputes, late and retried beacons,
 * attribution to the session's first hour, channel and platform merges, and exact retention and
 * watch time end to end (raw → drain → rows).
 */
import { env } from "cloudflare:test";
import { and, eq, inArray } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { insertVideo, testDb } from "../../../test/fixtures";
import { type SeededAccount, seedAccount } from "../../../test/harness";
import { analyticsPeriods, playbackEvents } from "../../db/schema";
import { bucketFromRows, mergeBuckets } from "./buckets";
import { backoffMs, drainDirty } from "./drain";
import { estimate } from "./hll";
import { recomputeRange, recomputeVideoHours, type VideoHour } from "./recompute";
import { DAY_MS, dayOf, HOUR_MS, MAX_SESSION_SPAN_MS, monthOf, nextMonthOf } from "./sessions";
import { bucketRowsStored, freshHour, marksOf, rawRow, storeRaw, watchRows } from "./test-utils";

/** Drains every mark (other tests' too), as the rollup object's alarm would. */
async function drainAll(): Promise<void> {
  for (let i = 0; i < 50; i++) if (!(await drainDirty(env, { maxItems: 20 })).remaining) return;
  throw new Error("the dirty marks never drained");
}

const videoHour = (videoId: string, hour: number) => bucketRowsStored("video", videoId, "hour", hour);
const percentOf = (retention: string | null | undefined, views: number) =>
  (JSON.parse(retention ?? "[]") as number[]).map((c) => (c / views) * 100);

let owner: SeededAccount;
let other: SeededAccount;
beforeAll(async () => {
  [owner, other] = await Promise.all([seedAccount({ channel: true }), seedAccount({ channel: true })]);
});

describe("recompute from raw beacons", () => {
  it("gives exactly the expected retention curve and watch time (everyone leaves at 50 %, a drop at 10 s)", async () => {
    const half = await insertVideo(owner, { durationMs: 100_000 });
    const drop = await insertVideo(owner, { durationMs: 100_000 });
    const h = freshHour();
    await storeRaw([
      ...Array.from({ length: 6 }, (_, i) => watchRows(half, `half${i}`, 50_000, h + i * 60_000)).flat(),
      ...Array.from({ length: 4 }, (_, i) => watchRows(drop, `early${i}`, 10_000, h + i * 60_000)).flat(),
      ...Array.from({ length: 4 }, (_, i) => watchRows(drop, `late${i}`, 100_000, h + i * 60_000)).flat(),
    ]);
    await drainAll();
    const a = await videoHour(half, h);
    expect(a.period).toMatchObject({
      views: 6,
      engagedViews: 6,
      watchMs: 300_000,
      startedViews: 6,
      channelId: owner.channelId,
    });
    expect(percentOf(a.period?.retention, 6)).toEqual([...Array(50).fill(100), ...Array(50).fill(0)]);
    const b = await videoHour(drop, h);
    expect(b.period).toMatchObject({ views: 8, engagedViews: 4, watchMs: 4 * 10_000 + 4 * 100_000 });
    expect(percentOf(b.period?.retention, 8)).toEqual([...Array(10).fill(100), ...Array(90).fill(50)]);
    // Average view duration: watch time ÷ views.
    expect((b.period?.watchMs ?? 0) / 8).toBe(55_000);
    // The day is the merge of its hours: the same figures here (one hour).
    const day = await bucketRowsStored("video", drop, "day", dayOf(h));
    expect(day.period).toMatchObject({ views: 8, watchMs: 440_000, retention: b.period?.retention });
    expect(await marksOf(drop)).toEqual([]);
  });

  it("recomputing an hour twice changes nothing", async () => {
    const video = await insertVideo(owner, { durationMs: 60_000 });
    const h = freshHour();
    await storeRaw([
      ...watchRows(video, "p1", 60_000, h + 10 * 60_000, { country: "FR", device: "mobile", startupMs: 900 }),
      ...watchRows(video, "p2", 20_000, h + HOUR_MS - 5_000, { country: "DE", source: "feed:trending" }),
      ...watchRows(video, "p3", 30_000, h + HOUR_MS + 60_000),
      rawRow({ profileId: "p4", videoId: video, sessionId: "x", kind: "request", occurredAt: h + 5 }),
    ]);
    await drainAll();
    const channelId = owner.channelId as string;
    const snapshot = () =>
      Promise.all([
        bucketRowsStored("video", video, "hour", h),
        bucketRowsStored("video", video, "hour", h + HOUR_MS),
        bucketRowsStored("video", video, "day", dayOf(h)),
        bucketRowsStored("channel", channelId, "hour", h),
        bucketRowsStored("channel", channelId, "day", dayOf(h)),
        bucketRowsStored("platform", "", "hour", h),
        bucketRowsStored("platform", "", "day", dayOf(h)),
      ]);
    const first = await snapshot();
    expect(first.every((b) => b.period !== undefined)).toBe(true);
    expect(first[0]?.dims.length).toBeGreaterThan(5);
    expect(first[0]?.startup.length).toBeGreaterThan(2);
    await recomputeVideoHours(env, [{ videoId: video, hour: h }], Date.now() + 1_000);
    expect(await snapshot()).toEqual(first);
    await recomputeRange(env, { videoId: video, from: h, to: h + 2 * HOUR_MS }, Date.now() + 2_000);
    expect(await snapshot()).toEqual(first);
  });

  it("rebuilds a range from what raw beacons remain (an erased viewer leaves the buckets)", async () => {
    const video = await insertVideo(owner, { durationMs: 100_000 });
    const h = freshHour();
    // 20 countries: more dimension and startup rows than one INSERT may bind (D1's 100 parameters).
    const countries = Array.from({ length: 20 }, (_, i) => `C${String.fromCharCode(65 + i)}`);
    await storeRaw([
      ...countries.flatMap((country, i) =>
        watchRows(video, `viewer${i}`, 30_000, h + i * 1_000, { country, startupMs: 100 + i * 50 }),
      ),
      ...watchRows(video, "erased", 60_000, h + 2 * HOUR_MS),
    ]);
    await drainAll();
    const before = await videoHour(video, h);
    expect(before.period).toMatchObject({ views: 20, watchMs: 600_000 });
    expect(before.dims.filter((d) => d.dim === "country")).toHaveLength(20);
    expect(before.startup.filter((r) => r.dim === "country")).toHaveLength(20);
    expect((await videoHour(video, h + 2 * HOUR_MS)).period).toMatchObject({ views: 1 });

    await testDb()
      .delete(playbackEvents)
      .where(
        and(eq(playbackEvents.videoId, video), inArray(playbackEvents.profileId, ["erased", "viewer0"])),
      );
    await recomputeRange(env, { videoId: video, from: h, to: h + 3 * HOUR_MS });
    expect((await videoHour(video, h)).period).toMatchObject({ views: 19, watchMs: 570_000 });
    expect(await videoHour(video, h + 2 * HOUR_MS)).toEqual({ period: undefined, dims: [], startup: [] });
    expect((await bucketRowsStored("video", video, "day", dayOf(h))).period).toMatchObject({ views: 19 });
  });

  it("attributes a session spanning two hours to its first hour", async () => {
    const video = await insertVideo(owner, { durationMs: 120_000 });
    const h = freshHour();
    await storeRaw(watchRows(video, "span", 120_000, h + HOUR_MS - 30_000));
    await drainAll();
    expect((await videoHour(video, h)).period).toMatchObject({ views: 1, watchMs: 120_000, startedViews: 1 });
    expect((await videoHour(video, h + HOUR_MS)).period).toBeUndefined();
  });
});

describe("late and retried beacons", () => {
  it("counts a late beacon once in its session's hour, and a retried one not again", async () => {
    const video = await insertVideo(owner, { durationMs: 100_000 });
    const h = freshHour();
    const rows = watchRows(video, "late", 40_000, h + 60_000);
    const [request, start, ...heartbeats] = rows;
    const last = heartbeats.pop() as (typeof rows)[number];
    await storeRaw([start, ...heartbeats] as typeof rows);
    await drainAll();
    expect((await videoHour(video, h)).period).toMatchObject({ views: 1, watchMs: 30_000 });

    // The last heartbeat arrives after the hour was rolled up: counted once more, in the hour.
    await storeRaw([last]);
    await drainAll();
    const after = await videoHour(video, h);
    expect(after.period).toMatchObject({ views: 1, watchMs: 40_000 });
    expect(percentOf(after.period?.retention, 1)).toEqual([...Array(40).fill(100), ...Array(60).fill(0)]);

    // The player retries the same batch (same beacon ids): nothing changes.
    await storeRaw([start, ...heartbeats, last] as typeof rows);
    expect((await marksOf(video)).length).toBe(1);
    await drainAll();
    expect(await videoHour(video, h)).toEqual(after);

    // The request, a minute before the hour, arrives last: the whole session moves to that hour,
    // and the hour it was counted in loses it (its rows are deleted: nothing left in it).
    await storeRaw([{ ...(request as (typeof rows)[number]), occurredAt: h - 60_000 }]);
    await drainAll();
    expect((await videoHour(video, h - HOUR_MS)).period).toMatchObject({ views: 1, watchMs: 40_000 });
    expect(await videoHour(video, h)).toEqual({ period: undefined, dims: [], startup: [] });
  });

  it("keeps a mark that arrived during the drain (its version moved on)", async () => {
    const video = await insertVideo(owner, { durationMs: 100_000 });
    const h = freshHour();
    await storeRaw(watchRows(video, "v1", 20_000, h));
    // A drain that read version 1, while a batch marks the hour again (version 2), deletes nothing.
    const realBatch = env.DB.batch.bind(env.DB);
    let bumped = false;
    const racingEnv = {
      ...env,
      DB: new Proxy(env.DB, {
        get(target, prop) {
          if (prop === "batch")
            return async (statements: D1PreparedStatement[]) => {
              // The drain's last batch is its deletes of the marks: the racing mark lands first.
              if (!bumped && (await marksOf(video)).length > 0 && statements.length === 1) {
                bumped = true;
                await storeRaw(watchRows(video, "v2", 10_000, h + 60_000));
              }
              return realBatch(statements);
            };
          const value = Reflect.get(target, prop);
          return typeof value === "function" ? value.bind(target) : value;
        },
      }),
    } as Env;
    for (let i = 0; i < 50 && !bumped; i++) await drainDirty(racingEnv, { maxItems: 20 });
    expect(bumped).toBe(true);
    expect(await marksOf(video)).toMatchObject([{ hour: h, version: 2 }]);
    // The next drain counts the racing batch's view.
    await drainAll();
    expect(await marksOf(video)).toEqual([]);
    expect((await videoHour(video, h)).period).toMatchObject({ views: 2, watchMs: 30_000 });
  });
});

describe("channel and platform buckets", () => {
  it("are the merge of their parts", async () => {
    const [v1, v2] = await Promise.all([
      insertVideo(owner, { durationMs: 100_000 }),
      insertVideo(owner, { durationMs: 50_000 }),
    ]);
    const v3 = await insertVideo(other, { durationMs: 80_000 });
    const h = freshHour();
    await storeRaw([
      ...watchRows(v1, "fan", 40_000, h, { country: "FR", startupMs: 300 }),
      ...watchRows(v2, "fan", 50_000, h + 120_000, { country: "FR", startupMs: 700 }),
      ...watchRows(v2, "newcomer", 10_000, h + 240_000, { country: "US" }),
      ...watchRows(v3, "fan", 20_000, h + 60_000, { device: "tv" }),
      ...watchRows(v1, "fan", 30_000, h + 3 * HOUR_MS),
    ]);
    await drainAll();
    const channel = await bucketRowsStored("channel", owner.channelId as string, "hour", h);
    expect(channel.period).toMatchObject({
      views: 3,
      watchMs: 100_000,
      startedViews: 3,
      retention: null,
      channelId: null,
    });
    const dim = (rows: typeof channel.dims, d: string, v: string) =>
      rows.find((r) => r.dim === d && r.value === v);
    expect(dim(channel.dims, "country", "FR")).toMatchObject({ views: 2, watchMs: 90_000 });
    expect(dim(channel.dims, "country", "US")).toMatchObject({ views: 1, watchMs: 10_000 });
    // Unique viewers: the fan watched two of the channel's videos, one viewer.
    const asBucket = (b: typeof channel) =>
      bucketFromRows(b.period as NonNullable<typeof b.period>, b.dims, b.startup);
    expect(estimate(asBucket(channel).viewers)).toBe(2);

    // Exactly the merge of its videos' rows, and the platform exactly the merge of the channels'.
    const parts = await Promise.all([videoHour(v1, h), videoHour(v2, h)]);
    const merged = mergeBuckets(parts.map(asBucket), false);
    expect(asBucket(channel)).toEqual(merged);
    const otherChannel = await bucketRowsStored("channel", other.channelId as string, "hour", h);
    const platform = await bucketRowsStored("platform", "", "hour", h);
    expect(asBucket(platform)).toEqual(mergeBuckets([asBucket(channel), asBucket(otherChannel)], false));
    expect(platform.period).toMatchObject({ views: 4, watchMs: 120_000 });
    expect(estimate(asBucket(platform).viewers)).toBe(2);

    // The day merges the hours: the later session of v1 too.
    const channelDay = await bucketRowsStored("channel", owner.channelId as string, "day", dayOf(h));
    expect(dayOf(h + 3 * HOUR_MS)).toBe(dayOf(h));
    expect(channelDay.period).toMatchObject({ views: 4, watchMs: 130_000 });
    // Computed from the channel's hours, it equals the merge of its videos' days.
    const videoDays = await Promise.all([v1, v2].map((v) => bucketRowsStored("video", v, "day", dayOf(h))));
    expect(asBucket(channelDay)).toEqual(mergeBuckets(videoDays.map(asBucket), false));
    const platformDay = await bucketRowsStored("platform", "", "day", dayOf(h));
    expect(platformDay.period).toMatchObject({ views: 5, watchMs: 150_000 });
    expect(dayOf(h) + DAY_MS).toBeGreaterThan(h + 3 * HOUR_MS);
  });
});

describe("month buckets", () => {
  it("are the merge of their days, for the video, its channel and the platform; idempotent", async () => {
    const video = await insertVideo(owner, { durationMs: 100_000 });
    const h = freshHour();
    const other = monthOf(h + DAY_MS) === monthOf(h) ? h + DAY_MS : h - DAY_MS;
    expect(monthOf(other)).toBe(monthOf(h));
    await storeRaw([
      ...watchRows(video, "m1", 40_000, h, { country: "FR", startupMs: 300 }),
      ...watchRows(video, "m2", 100_000, other, { country: "DE", startupMs: 900 }),
      ...watchRows(video, "m1", 20_000, other + 60_000),
    ]);
    await drainAll();
    const month = monthOf(h);
    const asBucket = (b: Awaited<ReturnType<typeof bucketRowsStored>>) =>
      bucketFromRows(b.period as NonNullable<typeof b.period>, b.dims, b.startup);
    const days = [dayOf(h), dayOf(other)].sort((a, b) => a - b);
    const channelId = owner.channelId as string;
    const scopes = [
      { scope: "video", id: video, keep: true },
      { scope: "channel", id: channelId, keep: false },
      { scope: "platform", id: "", keep: false },
    ] as const;
    for (const { scope, id, keep } of scopes) {
      const monthRows = await bucketRowsStored(scope, id, "month", month);
      expect(monthRows.period).toBeDefined();
      // Every day row of the month (the platform's and channel's hold other tests' days too).
      const stored = await testDb()
        .select({ start: analyticsPeriods.start })
        .from(analyticsPeriods)
        .where(
          and(
            eq(analyticsPeriods.scope, scope),
            eq(analyticsPeriods.scopeId, id),
            eq(analyticsPeriods.grain, "day"),
          ),
        );
      const inMonth = stored.map((r) => r.start).filter((s) => monthOf(s) === month);
      for (const d of days) expect(inMonth).toContain(d);
      const dayBuckets = await Promise.all(
        inMonth.sort((a, b) => a - b).map((d) => bucketRowsStored(scope, id, "day", d)),
      );
      expect(asBucket(monthRows)).toEqual(mergeBuckets(dayBuckets.map(asBucket), keep));
    }
    const videoMonth = await bucketRowsStored("video", video, "month", month);
    expect(videoMonth.period).toMatchObject({ views: 3, watchMs: 160_000, viewers: 2 });
    expect(videoMonth.period?.startupMedianMs).toBeGreaterThan(290);

    const snapshot = () => Promise.all(scopes.map((s) => bucketRowsStored(s.scope, s.id, "month", month)));
    const first = await snapshot();
    await recomputeVideoHours(env, [{ videoId: video, hour: h }], Date.now() + 1_000);
    await recomputeRange(env, { videoId: video, from: month, to: nextMonthOf(month) }, Date.now() + 2_000);
    expect(await snapshot()).toEqual(first);
  });
});

describe("bounded raw reads", () => {
  it("a late beacon past the session span is ignored; the session stays in its hour", async () => {
    const video = await insertVideo(owner, { durationMs: 100_000 });
    const h = freshHour();
    const rows = watchRows(video, "long", 20_000, h + 60_000);
    await storeRaw(rows);
    await drainAll();
    const before = await videoHour(video, h);
    expect(before.period).toMatchObject({ views: 1, watchMs: 20_000 });
    // A stale tab's heartbeat 7 h later: beyond MAX_SESSION_SPAN_MS, not a view on its own.
    const first = rows[0] as (typeof rows)[number];
    await storeRaw([
      rawRow({
        profileId: "long",
        videoId: video,
        sessionId: first.sessionId,
        kind: "heartbeat",
        occurredAt: h + 60_000 + MAX_SESSION_SPAN_MS + HOUR_MS,
        positionMs: 30_000,
        playedMs: 10_000,
      }),
    ]);
    await drainAll();
    expect(await videoHour(video, h)).toEqual(before);
    expect((await videoHour(video, h + 7 * HOUR_MS)).period).toBeUndefined();
  });
});

describe("poison marks", () => {
  it("a mark whose recompute throws backs off and does not stop the others", async () => {
    const [good, poison] = await Promise.all([
      insertVideo(owner, { durationMs: 100_000 }),
      insertVideo(owner, { durationMs: 100_000 }),
    ]);
    const h = freshHour();
    await storeRaw([...watchRows(good, "g", 20_000, h), ...watchRows(poison, "p", 20_000, h)]);
    const failing = (e: Env, items: VideoHour[], at: number) => {
      if (items.some((i) => i.videoId === poison)) return Promise.reject(new Error("poisoned"));
      return recomputeVideoHours(e, items, at);
    };
    const now = Date.now();
    // Both marks, and every other test's, are in the slice: the slice fails, then each alone.
    for (let i = 0; i < 50; i++) {
      const result = await drainDirty(env, { maxItems: 20, now, recompute: failing });
      if (!result.remaining) {
        expect(result.nextRetryAt).toBe(now + 30_000);
        break;
      }
    }
    expect(await marksOf(good)).toEqual([]);
    expect((await videoHour(good, h)).period).toMatchObject({ views: 1, watchMs: 20_000 });
    expect(await marksOf(poison)).toMatchObject([{ hour: h, attempts: 1, retryAt: now + 30_000 }]);
    expect((await videoHour(poison, h)).period).toBeUndefined();

    // Not due yet: a drain does not touch it.
    expect(await drainDirty(env, { now: now + 29_000, recompute: failing })).toMatchObject({
      processed: 0,
      remaining: false,
      nextRetryAt: now + 30_000,
    });
    // Due: fails again, twice the wait.
    await drainDirty(env, { now: now + 30_000, recompute: failing });
    expect(await marksOf(poison)).toMatchObject([{ attempts: 2, retryAt: now + 30_000 + 60_000 }]);
    // The wait is capped at an hour.
    expect(backoffMs(20)).toBe(3_600_000);
    // Once the recompute works, the mark drains.
    await drainDirty(env, { now: now + 120_000 });
    expect(await marksOf(poison)).toEqual([]);
    expect((await videoHour(poison, h)).period).toMatchObject({ views: 1 });
  });
});
