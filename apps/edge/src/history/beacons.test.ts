import { and, asc, eq, gt } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { DAY, insertCategory, testDb } from "../../test/fixtures";
import { api, apiJson, clearOfUtcMidnight, seedAccount, seedCastBeforeAll } from "../../test/harness";
import { storedVideo } from "../catalog/test-utils";
import { playbackEvents, profileAffinities, videoViewDays } from "../db/schema";
import { BEACON_BATCH_LIMIT } from "./beacons";
import {
  ageReceipts,
  beacon,
  type Entry,
  heartbeat,
  history,
  sendBeacons,
  storedBeacons,
  videoCounters,
  watchSession,
} from "./test-utils";

const cast = seedCastBeforeAll("histcreator", { creator: { channel: true } });

describe("playback beacons", () => {
  it("a start and heartbeats make one history entry with the resume position, watched time and one view", async () => {
    const viewer = await seedAccount({ tag: "histbasic" });
    const videoId = await storedVideo(cast.creator, { durationMs: 600_000 });
    const receipt = await sendBeacons(viewer.accessToken, watchSession(videoId, 90_000));
    expect(receipt).toEqual({ accepted: 4, duplicates: 0, rejected: [] });

    const page = await history(viewer.accessToken);
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({
      video: { id: videoId },
      positionMs: 90_000,
      watchedMs: 90_000,
      completed: false,
    });
    const one = await apiJson<Entry>(`/api/v1/me/history/${videoId}`, 200, { token: viewer.accessToken });
    expect(one).toEqual(page.items[0]);
    expect(await videoCounters(videoId)).toMatchObject({ views: 1, dayViews: 1, dayWatched: 90_000 });
  });

  it("a retried batch counts once: the same views, watched time and history", async () => {
    const viewer = await seedAccount({ tag: "histretry" });
    const videoId = await storedVideo(cast.creator);
    const batch = watchSession(videoId, 60_000);
    expect(await sendBeacons(viewer.accessToken, batch)).toMatchObject({ accepted: 3, duplicates: 0 });
    const after = await videoCounters(videoId);
    const again = await Promise.all([
      sendBeacons(viewer.accessToken, batch),
      sendBeacons(viewer.accessToken, batch),
    ]);
    for (const r of again) expect(r).toEqual({ accepted: 0, duplicates: 3, rejected: [] });
    // A batch that repeats one beacon inside itself counts that one once too.
    const [first] = batch;
    expect(
      await sendBeacons(viewer.accessToken, [first as (typeof batch)[0], first as (typeof batch)[0]]),
    ).toEqual({
      accepted: 0,
      duplicates: 2,
      rejected: [],
    });
    expect(await videoCounters(videoId)).toEqual(after);
    expect(after).toMatchObject({ views: 1, dayWatched: 60_000 });
    expect((await history(viewer.accessToken)).items[0]).toMatchObject({
      watchedMs: 60_000,
      positionMs: 60_000,
    });
  });

  it("a second session the same UTC day is not a second view; another profile's is", {
    timeout: 90_000,
  }, async () => {
    // The first session's receipt is aged a minute: it must still be today's.
    await clearOfUtcMidnight(10_000, 65_000);
    const viewer = await seedAccount({ tag: "histviews", profiles: [{ name: "Other" }] });
    const videoId = await storedVideo(cast.creator);
    await sendBeacons(viewer.accessToken, watchSession(videoId, 30_000));
    await ageReceipts(viewer.profileId, 60_000);
    await sendBeacons(viewer.accessToken, watchSession(videoId, 30_000));
    expect(await videoCounters(videoId)).toMatchObject({ views: 1, dayViews: 1, dayWatched: 60_000 });
    await sendBeacons(viewer.profiles[1]?.token as string, watchSession(videoId, 30_000));
    expect(await videoCounters(videoId)).toMatchObject({ views: 2, dayViews: 2 });
  });

  it("caps playedMs at the wall time since the session's previous beacon (+5 s) and at 60 s per beacon", async () => {
    const viewer = await seedAccount({ tag: "histcap" });
    const videoId = await storedVideo(cast.creator, { durationMs: 3_600_000 });
    const t0 = Date.now() - 120_000;
    await sendBeacons(viewer.accessToken, [
      beacon({ videoId, sessionId: "cap", kind: "start", positionMs: 0, at: t0 }),
      // 10 s after the start, claims 50 s: 15 s count.
      heartbeat({ videoId, sessionId: "cap", positionMs: 10_000, playedMs: 50_000, at: t0 + 10_000 }),
      // 100 s later, claims 100 s: 60 s count.
      heartbeat({ videoId, sessionId: "cap", positionMs: 110_000, playedMs: 100_000, at: t0 + 110_000 }),
    ]);
    expect((await history(viewer.accessToken)).items[0]).toMatchObject({
      watchedMs: 75_000,
      positionMs: 110_000,
    });
    // The next batch of the same session (a minute later) is capped from the stored last beacon.
    await ageReceipts(viewer.profileId, 60_000);
    await sendBeacons(viewer.accessToken, [
      heartbeat({ videoId, sessionId: "cap", positionMs: 112_000, playedMs: 30_000, at: t0 + 112_000 }),
    ]);
    expect((await history(viewer.accessToken)).items[0]).toMatchObject({ watchedMs: 82_000 });
    const raw = await testDb()
      .select({ playedMs: playbackEvents.playedMs })
      .from(playbackEvents)
      .where(eq(playbackEvents.profileId, viewer.profileId))
      .orderBy(asc(playbackEvents.occurredAt));
    expect(raw.map((r) => r.playedMs)).toEqual([0, 15_000, 60_000, 7_000]);
  });

  it("reaching 95% finishes a video; a new session starting it again un-finishes it", async () => {
    const viewer = await seedAccount({ tag: "histdone" });
    const videoId = await storedVideo(cast.creator, { durationMs: 100_000 });
    await sendBeacons(viewer.accessToken, watchSession(videoId, 96_000, Date.now() - 60_000));
    expect((await history(viewer.accessToken)).items[0]).toMatchObject({ completed: true });
    await sendBeacons(viewer.accessToken, [
      beacon({ videoId, sessionId: "again", kind: "start", positionMs: 0 }),
    ]);
    expect((await history(viewer.accessToken)).items[0]).toMatchObject({ completed: false, positionMs: 0 });
  });

  it("rejects beacons for videos the profile cannot watch, and takes the rest of the batch", async () => {
    const viewer = await seedAccount({ tag: "histreject", profiles: [{ name: "Kid", maturity: "kids" }] });
    const [open, privateOne, adult, kidsOk, unfinished] = await Promise.all([
      storedVideo(cast.creator),
      storedVideo(cast.creator, { visibility: "private" }),
      storedVideo(cast.creator, { maturity: "adult" }),
      storedVideo(cast.creator, { maturity: "kids" }),
      storedVideo(cast.creator, { status: "queued" }),
    ]);
    const b = (videoId: string) => beacon({ videoId, kind: "start", positionMs: 0 });
    const batch = [b(open), b(privateOne), b(unfinished), b("vid_doesnotexist")];
    const receipt = await sendBeacons(viewer.accessToken, batch);
    expect(receipt.accepted).toBe(1);
    expect(receipt.rejected).toEqual(batch.slice(1).map((x) => ({ id: x.id, reason: "video_unavailable" })));
    const kid = viewer.profiles[1]?.token as string;
    const kidBatch = [b(adult), b(kidsOk)];
    expect(await sendBeacons(kid, kidBatch)).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [{ id: kidBatch[0]?.id, reason: "video_unavailable" }],
    });
    expect(await videoCounters(adult)).toMatchObject({ views: 0 });
    // Clock skew and stale replays are refused per beacon too.
    const skewed = beacon({ videoId: open, kind: "heartbeat", positionMs: 1, at: Date.now() + 3_600_000 });
    const stale = beacon({
      videoId: open,
      kind: "heartbeat",
      positionMs: 1,
      at: Date.now() - 8 * 86_400_000,
    });
    expect(await sendBeacons(viewer.accessToken, [skewed, stale])).toEqual({
      accepted: 0,
      duplicates: 0,
      rejected: [
        { id: skewed.id, reason: "clock_skew" },
        { id: stale.id, reason: "too_old" },
      ],
    });
  });

  it("answers 400 problems for bad beacons and 401 without a token", async () => {
    const viewer = await seedAccount({ tag: "histbad" });
    const videoId = await storedVideo(cast.creator);
    const good = beacon({ videoId, kind: "start", positionMs: 0 });
    const bad = [
      { beacons: [] },
      { beacons: Array.from({ length: 51 }, () => good) },
      { beacons: [{ ...good, id: "short" }] },
      { beacons: [{ ...good, id: "has spaces in it" }] },
      { beacons: [{ ...good, kind: "pause" }] },
      { beacons: [{ ...good, positionMs: -1 }] },
      { beacons: [{ ...good, positionMs: 1.5 }] },
      { beacons: [{ ...good, playedMs: "10" }] },
      { beacons: [{ ...good, occurredAt: "yesterday" }] },
      { beacons: [{ ...good, videoId: "not a video" }] },
      { beacons: [{ ...good, extra: true }] },
      { beacons: [good], extra: 1 },
      {},
    ];
    for (const json of bad) {
      const res = await api("/api/v1/events/playback", { method: "POST", token: viewer.accessToken, json });
      expect(res.status, JSON.stringify(json).slice(0, 80)).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect(await storedBeacons(viewer.profileId)).toBe(0);
    const anonymous = await api("/api/v1/events/playback", { method: "POST", json: { beacons: [good] } });
    expect(anonymous.status).toBe(401);
  });

  it("a batch of backdated starts, one per day of the last week, counts one view, on the day of receipt", async () => {
    const viewer = await seedAccount({ tag: "histbackdate" });
    const videoId = await storedVideo(cast.creator);
    const now = Date.now();
    // Today's start, then one start in its own session on each of the 7 days before (all < 7 days old).
    const batch = Array.from({ length: 8 }, (_, k) =>
      beacon({
        videoId,
        sessionId: `back${k}`,
        kind: "start",
        positionMs: 0,
        at: k === 0 ? now : now - k * DAY + 10 * 60_000,
      }),
    );
    expect(await sendBeacons(viewer.accessToken, batch)).toEqual({
      accepted: 8,
      duplicates: 0,
      rejected: [],
    });
    expect(await videoCounters(videoId)).toMatchObject({ views: 1, dayViews: 1 });
    const days = await testDb()
      .select({ day: videoViewDays.day, views: videoViewDays.views })
      .from(videoViewDays)
      .where(and(eq(videoViewDays.videoId, videoId), gt(videoViewDays.views, 0)));
    expect(days).toEqual([{ day: new Date().toISOString().slice(0, 10), views: 1 }]);
    // The same again in a second batch with fresh ids: still one view today.
    const again = batch.map((b, k) => ({ ...b, id: `${b.id.slice(0, 40)}x${k}` }));
    expect(await sendBeacons(viewer.accessToken, again)).toMatchObject({ accepted: 8 });
    expect(await videoCounters(videoId)).toMatchObject({ views: 1, dayViews: 1 });
  });

  it("a start older than a few minutes counts for history but not as a view", async () => {
    const viewer = await seedAccount({ tag: "histstale" });
    const videoId = await storedVideo(cast.creator);
    const hourAgo = Date.now() - 3_600_000;
    await sendBeacons(viewer.accessToken, [
      beacon({ videoId, sessionId: "late", kind: "start", positionMs: 0, at: hourAgo }),
      heartbeat({ videoId, sessionId: "late", positionMs: 30_000, playedMs: 30_000, at: hourAgo + 30_000 }),
    ]);
    expect((await history(viewer.accessToken)).items[0]).toMatchObject({
      video: { id: videoId },
      positionMs: 30_000,
      watchedMs: 30_000,
    });
    expect(await videoCounters(videoId)).toMatchObject({ views: 0, dayViews: 0, dayWatched: 30_000 });
    // A start sent as it happens is the view; a replay of its id (even naming another video) is a duplicate.
    const fresh = beacon({ videoId, sessionId: "live", kind: "start", positionMs: 0 });
    expect(await sendBeacons(viewer.accessToken, [fresh])).toMatchObject({ accepted: 1 });
    const other = await storedVideo(cast.creator);
    expect(await sendBeacons(viewer.accessToken, [fresh, { ...fresh, videoId: other }])).toEqual({
      accepted: 0,
      duplicates: 2,
      rejected: [],
    });
    expect(await videoCounters(videoId)).toMatchObject({ views: 1, dayViews: 1 });
    expect(await videoCounters(other)).toMatchObject({ views: 0 });
  });

  it("starts stamped a few minutes ahead count as received now: one view, nothing dated in the future", async () => {
    const viewer = await seedAccount({ tag: "histfuture" });
    const videoId = await storedVideo(cast.creator);
    for (const ahead of [60_000, 4 * 60_000]) {
      expect(
        await sendBeacons(viewer.accessToken, [
          beacon({
            videoId,
            sessionId: `ahead${ahead}`,
            kind: "start",
            positionMs: 0,
            at: Date.now() + ahead,
          }),
        ]),
      ).toMatchObject({ accepted: 1 });
    }
    expect(await videoCounters(videoId)).toMatchObject({ views: 1, dayViews: 1 });
    const [item] = (await history(viewer.accessToken)).items;
    expect(Date.parse(item?.lastWatchedAt ?? "")).toBeLessThanOrEqual(Date.now());
  });

  it(`refuses more than ${BEACON_BATCH_LIMIT.limit} batches a minute per profile with 429 and Retry-After`, async () => {
    const family = await seedAccount({ tag: "histflood", profiles: [{ name: "Sibling" }] });
    const videoId = await storedVideo(cast.creator);
    const send = (token: string) =>
      api("/api/v1/events/playback", {
        method: "POST",
        token,
        json: { beacons: [beacon({ videoId, kind: "heartbeat", positionMs: 1_000 })] },
      });
    for (let i = 0; i < BEACON_BATCH_LIMIT.limit; i++)
      expect((await send(family.accessToken)).status).toBe(202);
    const refused = await send(family.accessToken);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await storedBeacons(family.profileId)).toBe(BEACON_BATCH_LIMIT.limit);
    // The limit is per profile: the account's other profile is not held back.
    expect((await send(family.profiles[1]?.token as string)).status).toBe(202);
  });

  it("raises the profile's affinities for the video's category, channel and tags, naming the video", async () => {
    const viewer = await seedAccount({ tag: "histaff" });
    const category = await insertCategory("Gardening");
    const videoId = await storedVideo(cast.creator, { categoryId: category.id, tags: ["roses", "pruning"] });
    await sendBeacons(viewer.accessToken, watchSession(videoId, 120_000));
    const results = await testDb()
      .select({
        kind: profileAffinities.kind,
        key: profileAffinities.key,
        score: profileAffinities.score,
        last_video_id: profileAffinities.lastVideoId,
      })
      .from(profileAffinities)
      .where(eq(profileAffinities.profileId, viewer.profileId))
      .orderBy(asc(profileAffinities.kind), asc(profileAffinities.key));
    expect(results.map((r) => [r.kind, r.key])).toEqual([
      ["category", category.id],
      ["channel", cast.creator.channelId],
      ["tag", "pruning"],
      ["tag", "roses"],
    ]);
    for (const r of results) expect(r.last_video_id).toBe(videoId);
    // A view (1) plus two minutes watched (0.2); tags get half.
    expect(results[0]?.score).toBeCloseTo(1.2, 5);
    expect(results[2]?.score).toBeCloseTo(0.6, 5);
  });
});
