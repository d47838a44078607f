/**
 * What one beacon may claim beside its played time, through POST /events/playback: the wall-time
 * allowance is its own session's (never another tab's, never days), and the sessions a profile
 * opens on a video per hour are limited.
 */
import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { seedAccount, seedCastBeforeAll } from "../../test/harness";
import { parseStoredQoe } from "../analytics/stored-qoe";
import { storedVideo } from "../catalog/test-utils";
import { playbackEvents } from "../db/schema";
import { DAY_MS } from "../feed/affinity";
import { MAX_ALLOWANCE_MS, MAX_SESSIONS_PER_VIDEO_HOUR } from "./beacons";
import { ageReceipts, beacon, heartbeat, sendBeacons } from "./test-utils";

const cast = seedCastBeforeAll("histlimits", { creator: { channel: true } });

const rowsOf = (profileId: string) =>
  testDb()
    .select()
    .from(playbackEvents)
    .where(eq(playbackEvents.profileId, profileId))
    .orderBy(asc(playbackEvents.occurredAt));

const requests = (videoId: string, tag: string, n: number, at = Date.now() - 1_000) =>
  Array.from({ length: n }, (_, k) =>
    beacon({ videoId, sessionId: `${tag}${k}`, kind: "request", positionMs: 0, at: at - k }),
  );

describe("playback beacons: the allowance is the session's own wall time, at most 65 s", () => {
  it("a week-old history entry of the video allows a new session no hour-long stall", async () => {
    const viewer = await seedAccount({ tag: "limweek" });
    const videoId = await storedVideo(cast.creator, { durationMs: 3_600_000 });
    // Watched 6 days ago (watch_history.lastWatchedAt then): no anchor for today's sessions.
    await sendBeacons(viewer.accessToken, [
      beacon({ videoId, sessionId: "old", kind: "start", positionMs: 0, at: Date.now() - 6 * DAY_MS }),
    ]);
    const hourStall = {
      ...heartbeat({ videoId, sessionId: "today1", positionMs: 1_000, playedMs: 1_000 }),
      qoe: { rebufferCount: 1, rebufferMs: 3_600_000 },
    };
    const atTheCap = {
      ...heartbeat({ videoId, sessionId: "today2", positionMs: 1_000, playedMs: 1_000 }),
      qoe: { rebufferCount: 1, rebufferMs: MAX_ALLOWANCE_MS },
    };
    const overTheCap = {
      ...heartbeat({ videoId, sessionId: "today3", positionMs: 1_000, playedMs: 1_000 }),
      qoe: { rebufferCount: 1, rebufferMs: MAX_ALLOWANCE_MS + 1 },
    };
    expect(await sendBeacons(viewer.accessToken, [hourStall, atTheCap, overTheCap])).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [
        { id: hourStall.id, reason: "impossible_value" },
        { id: overTheCap.id, reason: "impossible_value" },
      ],
    });
  });

  it("nor does the session's own beacon days earlier in the batch: the allowance is capped at 65 s", async () => {
    const viewer = await seedAccount({ tag: "limcap" });
    const videoId = await storedVideo(cast.creator, { durationMs: 3_600_000 });
    const start = beacon({
      videoId,
      sessionId: "s",
      kind: "start",
      positionMs: 0,
      at: Date.now() - 5 * DAY_MS,
    });
    const dayStall = {
      ...heartbeat({ videoId, sessionId: "s", positionMs: 1_000, playedMs: 1_000 }),
      qoe: { rebufferCount: 1, rebufferMs: DAY_MS },
    };
    expect(await sendBeacons(viewer.accessToken, [start, dayStall])).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [{ id: dayStall.id, reason: "impossible_value" }],
    });
  });

  it("a second tab's heartbeat a second after the first tab's keeps its stalls and played time", async () => {
    const viewer = await seedAccount({ tag: "limtabs" });
    const videoId = await storedVideo(cast.creator, { durationMs: 3_600_000 });
    const t = Date.now() - 30_000;
    await sendBeacons(viewer.accessToken, [
      beacon({ videoId, sessionId: "tabA", kind: "start", positionMs: 0, at: t - 30_000 }),
      heartbeat({ videoId, sessionId: "tabA", positionMs: 30_000, playedMs: 30_000, at: t }),
    ]);
    // The first tab's batch was received a minute ago: the profile's budget allows 65 s.
    await ageReceipts(viewer.profileId, 60_000);
    const tabB = {
      ...heartbeat({ videoId, sessionId: "tabB", positionMs: 30_000, playedMs: 30_000, at: t + 1_000 }),
      qoe: { rebufferCount: 1, rebufferMs: 10_000 },
    };
    expect(await sendBeacons(viewer.accessToken, [tabB])).toEqual({
      accepted: 1,
      duplicates: 0,
      rejected: [],
    });
    const stored = (await rowsOf(viewer.profileId)).find((r) => r.beaconId === tabB.id);
    expect(stored?.playedMs).toBe(30_000);
    expect(parseStoredQoe(stored?.qoe)).toEqual({ rebufferCount: 1, rebufferMs: 10_000 });
  });

  it("the session's own stored beacon still bounds its next one", async () => {
    const viewer = await seedAccount({ tag: "limown" });
    const videoId = await storedVideo(cast.creator, { durationMs: 3_600_000 });
    const t = Date.now() - 10_000;
    await sendBeacons(viewer.accessToken, [
      beacon({ videoId, sessionId: "s", kind: "start", positionMs: 0, at: t }),
    ]);
    await ageReceipts(viewer.profileId, 60_000);
    // 2 s after the session's stored start: 7 s of stalls at most.
    const stall = {
      ...heartbeat({ videoId, sessionId: "s", positionMs: 2_000, playedMs: 2_000, at: t + 2_000 }),
      qoe: { rebufferCount: 1, rebufferMs: 7_001 },
    };
    expect((await sendBeacons(viewer.accessToken, [stall])).rejected).toEqual([
      { id: stall.id, reason: "impossible_value" },
    ]);
  });
});

describe("playback beacons: ranges", () => {
  it("refuses ranges covering more than twice the wall time (+5 s); drops a request's ranges and unknown renditions", async () => {
    const viewer = await seedAccount({ tag: "limranges" });
    const videoId = await storedVideo(cast.creator, { durationMs: 3_600_000 });
    const t = Date.now() - 30_000;
    const start = beacon({ videoId, sessionId: "r", kind: "start", positionMs: 0, at: t });
    // 30 s after the start (35 s allowed): the whole first 10 minutes "played".
    const faked = {
      ...heartbeat({ videoId, sessionId: "r", positionMs: 30_000, playedMs: 30_000, at: t + 30_000 }),
      ranges: Array.from({ length: 20 }, (_, i) => [i * 30_000, (i + 1) * 30_000]),
    };
    const request = {
      ...beacon({ videoId, sessionId: "r2", kind: "request", positionMs: 0, at: t }),
      ranges: [[0, 3_600_000]],
    };
    const odd = {
      ...heartbeat({ videoId, sessionId: "r", positionMs: 60_000, playedMs: 30_000, at: t + 30_000 }),
      qoe: {
        renditions: {
          "720p": { playedMs: 20_000, rebufferMs: 0 },
          "1000p": { playedMs: 5_000, rebufferMs: 0 },
        },
      },
      ranges: [[30_000, 60_000]],
    };
    expect(await sendBeacons(viewer.accessToken, [start, faked, request, odd])).toEqual({
      accepted: 3,
      duplicates: 0,
      rejected: [{ id: faked.id, reason: "impossible_value" }],
    });
    const rows = await rowsOf(viewer.profileId);
    expect(rows.find((r) => r.beaconId === request.id)?.qoe).toBeNull();
    expect(parseStoredQoe(rows.find((r) => r.beaconId === odd.id)?.qoe)).toEqual({
      renditions: { "720p": [20_000, 0] },
      ranges: [[30_000, 60_000]],
    });
  });
});

describe("playback beacons: sessions per profile and video", () => {
  it(`opens at most ${MAX_SESSIONS_PER_VIDEO_HOUR} sessions per video an hour; stored sessions go on`, async () => {
    const viewer = await seedAccount({ tag: "limsessions" });
    const other = await seedAccount({ tag: "limsessions2" });
    const videoId = await storedVideo(cast.creator, { durationMs: 600_000 });
    const otherVideo = await storedVideo(cast.creator, { durationMs: 600_000 });
    const first = requests(videoId, "a", MAX_SESSIONS_PER_VIDEO_HOUR + 5);
    const receipt = await sendBeacons(viewer.accessToken, first);
    expect(receipt.accepted).toBe(MAX_SESSIONS_PER_VIDEO_HOUR);
    // Oldest first: the 5 latest sessions are refused.
    const byTime = [...first].sort((x, y) => Date.parse(x.occurredAt) - Date.parse(y.occurredAt));
    expect(receipt.rejected).toEqual(
      byTime.slice(MAX_SESSIONS_PER_VIDEO_HOUR).map((b) => ({ id: b.id, reason: "too_many_sessions" })),
    );
    const admitted = byTime[0] as (typeof byTime)[number];

    // A later batch: a stored session goes on, a new one is refused; another video and another profile are not limited.
    const goesOn = heartbeat({ videoId, sessionId: admitted.sessionId, positionMs: 1_000, playedMs: 1_000 });
    const [fresh] = requests(videoId, "b", 1);
    const [elsewhere] = requests(otherVideo, "c", 1);
    expect(await sendBeacons(viewer.accessToken, [goesOn, fresh, elsewhere] as typeof first)).toEqual({
      accepted: 2,
      duplicates: 0,
      rejected: [{ id: fresh?.id, reason: "too_many_sessions" }],
    });
    expect((await sendBeacons(other.accessToken, requests(videoId, "d", 3))).accepted).toBe(3);

    // An hour later (by receipt) the video takes new sessions again, and the old ones still go on.
    await ageReceipts(viewer.profileId, 3_600_000);
    const later = requests(videoId, "e", MAX_SESSIONS_PER_VIDEO_HOUR);
    expect((await sendBeacons(viewer.accessToken, later)).accepted).toBe(MAX_SESSIONS_PER_VIDEO_HOUR);
    const stillGoesOn = heartbeat({
      videoId,
      sessionId: admitted.sessionId,
      positionMs: 2_000,
      playedMs: 1_000,
    });
    expect(await sendBeacons(viewer.accessToken, [stillGoesOn, ...requests(videoId, "f", 1)])).toMatchObject({
      accepted: 1,
      rejected: [{ reason: "too_many_sessions" }],
    });
  });
});
