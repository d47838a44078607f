/** Quality-of-experience beacons through POST /events/playback: what each row stores, refusals, clamps, request/error kinds. */
import type { Period } from "@marquee/shared";
import { parsePeriod } from "@marquee/shared";
import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { insertBillingSubscription, testDb } from "../../test/fixtures";
import { api, apiJson, seedAccount, seedCastBeforeAll } from "../../test/harness";
import { parseStoredQoe } from "../analytics/stored-qoe";
import { storedVideo } from "../catalog/test-utils";
import { playbackEvents } from "../db/schema";
import { channelFacts } from "../payouts/facts";
import { testServices } from "../payouts/test-utils";
import {
  affinityCount,
  beacon,
  heartbeat,
  type Receipt,
  sendBeacons,
  videoCounters,
  type WireBeacon,
} from "./test-utils";

const cast = seedCastBeforeAll("histqoe", { creator: { channel: true } });

const IPHONE =
  "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

/** POST a batch as a browser would, with a User-Agent and (as Cloudflare sets it) a request country. */
const sendAs = (token: string, beacons: WireBeacon[], ua: string, country?: string) =>
  apiJson<Receipt>("/api/v1/events/playback", 202, {
    method: "POST",
    token,
    json: { beacons },
    headers: { "user-agent": ua },
    ...(country ? { cf: { country } } : {}),
  });

const rowsOf = (profileId: string) =>
  testDb()
    .select()
    .from(playbackEvents)
    .where(eq(playbackEvents.profileId, profileId))
    .orderBy(asc(playbackEvents.occurredAt));

describe("playback beacons: quality of experience", () => {
  it("stores the normalised QoE of each beacon with the request's country and device class", async () => {
    const viewer = await seedAccount({ tag: "qoestore" });
    const videoId = await storedVideo(cast.creator, { durationMs: 600_000 });
    const t = Date.now() - 61_000;
    const session = "qoesession1";
    const receipt = await sendAs(
      viewer.accessToken,
      [
        {
          ...beacon({ videoId, sessionId: session, kind: "request", positionMs: 0, at: t }),
          source: "feed",
          feedRow: "trending",
          playerVersion: "web-1.0.0+hls-1.7.4",
        },
        {
          ...beacon({ videoId, sessionId: session, kind: "start", positionMs: 0, at: t + 1_000 }),
          qoe: { startupMs: 1_000 },
        },
        {
          ...heartbeat({ videoId, sessionId: session, positionMs: 30_000, playedMs: 28_000, at: t + 31_000 }),
          qoe: {
            rebufferCount: 1,
            rebufferMs: 2_000,
            renditions: {
              "720p": { playedMs: 20_000, rebufferMs: 2_000 },
              "480p": { playedMs: 8_000, rebufferMs: 0 },
            },
            switches: 1,
          },
          ranges: [
            [12_000, 30_000],
            [0, 10_000],
          ],
        },
      ],
      IPHONE,
      "de",
    );
    expect(receipt).toEqual({ accepted: 3, duplicates: 0, rejected: [] });
    const rows = await rowsOf(viewer.profileId);
    expect(rows.map((r) => [r.kind, r.playedMs, r.country, r.device])).toEqual([
      ["request", 0, "DE", "mobile"],
      ["start", 0, "DE", "mobile"],
      ["heartbeat", 28_000, "DE", "mobile"],
    ]);
    expect(rows.map((r) => parseStoredQoe(r.qoe))).toEqual([
      { source: "feed:trending", player: "web-1.0.0+hls-1.7.4" },
      { startupMs: 1_000 },
      {
        rebufferCount: 1,
        rebufferMs: 2_000,
        renditions: { "720p": [20_000, 2_000], "480p": [8_000, 0] },
        switches: 1,
        ranges: [
          [0, 10_000],
          [12_000, 30_000],
        ],
      },
    ]);
    // Without QoE fields a row keeps qoe NULL; without cf.country (always locally) country is NULL.
    await sendBeacons(viewer.accessToken, [
      heartbeat({ videoId, sessionId: session, positionMs: 31_000, playedMs: 1_000 }),
    ]);
    const last = (await rowsOf(viewer.profileId)).at(-1);
    expect(last).toMatchObject({ qoe: null, country: null, device: "other" });
  });

  it("refuses a beacon with impossible figures alone; the rest of the batch is stored", async () => {
    const viewer = await seedAccount({ tag: "qoerefuse" });
    const videoId = await storedVideo(cast.creator, { durationMs: 600_000 });
    const t = Date.now() - 91_000;
    const start = beacon({ videoId, kind: "start", positionMs: 0, at: t });
    const stallOfAnHour = {
      ...heartbeat({ videoId, positionMs: 30_000, playedMs: 30_000, at: t + 30_000 }),
      qoe: { rebufferMs: 3_600_000 },
    };
    const startupOfHours = {
      ...heartbeat({ videoId, positionMs: 60_000, playedMs: 30_000, at: t + 60_000 }),
      qoe: { startupMs: 7_200_000 },
    };
    const backwardRange = {
      ...heartbeat({ videoId, positionMs: 60_000, playedMs: 30_000, at: t + 61_000 }),
      ranges: [[50_000, 40_000]],
    };
    const good = {
      ...heartbeat({ videoId, positionMs: 90_000, playedMs: 30_000, at: t + 90_000 }),
      qoe: { rebufferMs: 500 },
    };
    const receipt = await sendBeacons(viewer.accessToken, [
      start,
      stallOfAnHour,
      startupOfHours,
      backwardRange,
      good,
    ]);
    expect(receipt.accepted).toBe(2);
    expect(receipt.rejected).toEqual(
      [stallOfAnHour, startupOfHours, backwardRange].map((b) => ({ id: b.id, reason: "impossible_value" })),
    );
    const rows = await rowsOf(viewer.profileId);
    expect(rows.map((r) => r.beaconId)).toEqual([start.id, good.id]);
    // The good heartbeat's played time counts (capped from the start, the session's previous stored beacon).
    expect(await videoCounters(videoId)).toMatchObject({ views: 1, dayWatched: 30_000 });
    // Sent again, the refused ones are refused again and the stored ones are duplicates.
    expect(
      await sendBeacons(viewer.accessToken, [start, stallOfAnHour, startupOfHours, backwardRange, good]),
    ).toMatchObject({ accepted: 0, duplicates: 2 });
  });

  it("a stall longer than the wall time since the session's previous beacon (+5 s) is refused, within it taken", async () => {
    const viewer = await seedAccount({ tag: "qoewall" });
    const videoId = await storedVideo(cast.creator, { durationMs: 600_000 });
    const t = Date.now() - 30_000;
    const start = beacon({ videoId, kind: "start", positionMs: 0, at: t });
    const within = {
      ...heartbeat({ videoId, positionMs: 10_000, at: t + 10_000 }),
      qoe: { rebufferMs: 15_000 },
    };
    const beyond = {
      ...heartbeat({ videoId, positionMs: 10_000, at: t + 20_000 }),
      qoe: { renditions: { "720p": { playedMs: 10_000, rebufferMs: 5_001 } } },
    };
    const receipt = await sendBeacons(viewer.accessToken, [start, within, beyond]);
    expect(receipt).toEqual({
      accepted: 2,
      duplicates: 0,
      rejected: [{ id: beyond.id, reason: "impossible_value" }],
    });
  });

  it("clamps positions and ranges past the video's duration to the duration", async () => {
    const viewer = await seedAccount({ tag: "qoeclamp" });
    const videoId = await storedVideo(cast.creator, { durationMs: 60_000 });
    const t = Date.now() - 30_000;
    await sendBeacons(viewer.accessToken, [
      beacon({ videoId, kind: "start", positionMs: 30_000, at: t }),
      {
        ...beacon({ videoId, kind: "end", positionMs: 61_500, playedMs: 29_000, at: t + 30_000 }),
        ranges: [
          [30_000, 61_500],
          [70_000, 80_000],
        ],
      },
    ]);
    const end = (await rowsOf(viewer.profileId)).find((r) => r.kind === "end");
    expect(end?.positionMs).toBe(60_000);
    expect(parseStoredQoe(end?.qoe).ranges).toEqual([[30_000, 60_000]]);
  });

  it("request and error beacons change no history, views, watch time, affinities or premium time", async () => {
    const viewer = await seedAccount({ tag: "qoeraw" });
    await insertBillingSubscription(viewer.accountId, { planId: "standard" });
    const creator = await seedAccount({ tag: "qoerawcr", channel: true });
    const videoId = await storedVideo(creator, { durationMs: 600_000 });
    const t = Date.now() - 20_000;
    const receipt = await sendBeacons(viewer.accessToken, [
      { ...beacon({ videoId, kind: "request", positionMs: 0, playedMs: 20_000, at: t }), source: "search" },
      {
        ...beacon({ videoId, kind: "error", positionMs: 5_000, playedMs: 20_000, at: t + 10_000 }),
        qoe: { error: { type: "networkError", details: "manifestLoadError" } },
      },
    ]);
    expect(receipt).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    const rows = await rowsOf(viewer.profileId);
    expect(rows.map((r) => [r.kind, r.playedMs, r.premium])).toEqual([
      ["request", 0, true],
      ["error", 0, true],
    ]);
    expect(parseStoredQoe(rows[1]?.qoe)).toEqual({ error: "networkError:manifestLoadError" });
    expect(await videoCounters(videoId)).toEqual({ views: 0, dayViews: 0, dayWatched: 0, todayRows: 0 });
    expect((await api(`/api/v1/me/history/${videoId}`, { token: viewer.accessToken })).status).toBe(404);
    expect(await affinityCount(viewer.profileId)).toBe(0);
    const day = parsePeriod(new Date().toISOString().slice(0, 10)) as Period;
    expect(await channelFacts(testServices(), day, creator.channelId as string)).toMatchObject({
      premiumWatchMs: 0,
    });

    // The same session's start afterwards is the view, with its played time (the request took nothing).
    await sendBeacons(viewer.accessToken, [
      beacon({ videoId, kind: "start", positionMs: 0, at: t + 15_000 }),
      heartbeat({ videoId, positionMs: 4_000, playedMs: 4_000, at: t + 19_000 }),
    ]);
    expect(await videoCounters(videoId)).toMatchObject({ views: 1, dayViews: 1, dayWatched: 4_000 });
    expect(await channelFacts(testServices(), day, creator.channelId as string)).toMatchObject({
      premiumWatchMs: 4_000,
    });
  });

  it("a batch of 50 beacons with every QoE field at its largest is stored (each INSERT under D1's 100 parameters)", async () => {
    const viewer = await seedAccount({ tag: "qoefull" });
    const videos = [
      await storedVideo(cast.creator, { durationMs: 600_000 }),
      await storedVideo(cast.creator, { durationMs: 600_000 }),
    ];
    // A first batch, so the big one's fence reads a previous receipt (one parameter more).
    await sendBeacons(viewer.accessToken, [
      beacon({ videoId: videos[0] as string, kind: "start", positionMs: 0 }),
    ]);
    const t = Date.now() - 60_000;
    const renditions = Object.fromEntries(
      [
        "120p",
        "144p",
        "180p",
        "200p",
        "240p",
        "360p",
        "480p",
        "720p",
        "1080p",
        "1440p",
        "2160p",
        "audio",
      ].map((l) => [l, { playedMs: 200, rebufferMs: 100 }]),
    );
    const ranges = Array.from({ length: 20 }, (_, i) => [i * 100, i * 100 + 50]);
    const batch = Array.from({ length: 50 }, (_, i) => ({
      ...beacon({
        id: `qoefull${String(i).padStart(4, "0")}`,
        videoId: videos[i % 2] as string,
        sessionId: `qoefull${i % 2}`,
        kind: "heartbeat",
        positionMs: 20_000,
        playedMs: 1_000,
        at: t + i * 1_000,
      }),
      source: "feed",
      feedRow: "because_you_watched",
      playerVersion: "web-1.0.0+hls-1.7.4-abcdefghijkl",
      qoe: {
        startupMs: 600_000,
        // The most a beacon 2 s after its session's previous one may claim (1 + 7 000 ms / 100 ms).
        rebufferCount: 71,
        rebufferMs: 1_000,
        renditions,
        switches: 71,
        error: { type: "mediaElementError", details: "fragParsingError" },
      },
      ranges,
    }));
    // (Under the API's 64 KiB JSON body limit: a batch of 50 beacons carrying 64-character ids and
    // long error details would not be, see the player's batching.)
    expect(JSON.stringify({ beacons: batch }).length).toBeLessThan(65_536);
    expect(await sendBeacons(viewer.accessToken, batch)).toEqual({
      accepted: 50,
      duplicates: 0,
      rejected: [],
    });
    const rows = await rowsOf(viewer.profileId);
    expect(rows).toHaveLength(51);
    const last = parseStoredQoe(rows.find((r) => r.beaconId === "qoefull0049")?.qoe);
    expect(last.ranges).toHaveLength(20);
    expect(Object.keys(last.renditions ?? {})).toHaveLength(12);
    expect(last).toMatchObject({
      source: "feed:because_you_watched",
      startupMs: 600_000,
      rebufferCount: 71,
      switches: 71,
    });
  });

  it("the schema refuses the batch for a malformed QoE field, as for any malformed beacon", async () => {
    const viewer = await seedAccount({ tag: "qoeschema" });
    const videoId = await storedVideo(cast.creator);
    const bad: Record<string, unknown>[] = [
      { qoe: { startupMs: 1.5 } },
      { qoe: { startupMs: 2 ** 31 + 1 } },
      { qoe: { surprise: 1 } },
      { qoe: { renditions: { "720": { playedMs: 1, rebufferMs: 0 } } } },
      { qoe: { error: { type: "fatal" } } },
      { source: "billboard" },
      { feedRow: "sponsored" },
      { playerVersion: "web 1.0" },
      { ranges: [[1, 2, 3]] },
      { ranges: Array.from({ length: 21 }, () => [0, 1]) },
      { kind: "pause" },
    ];
    for (const fields of bad) {
      const res = await api("/api/v1/events/playback", {
        method: "POST",
        token: viewer.accessToken,
        json: { beacons: [{ ...beacon({ videoId, kind: "heartbeat", positionMs: 0 }), ...fields }] },
      });
      expect([JSON.stringify(fields), res.status]).toEqual([JSON.stringify(fields), 400]);
    }
    const renditions = Object.fromEntries(
      Array.from({ length: 13 }, (_, i) => [`${100 + i}p`, { playedMs: 1, rebufferMs: 0 }]),
    );
    const res = await api("/api/v1/events/playback", {
      method: "POST",
      token: viewer.accessToken,
      json: { beacons: [{ ...beacon({ videoId, kind: "heartbeat", positionMs: 0 }), qoe: { renditions } }] },
    });
    expect(res.status).toBe(400);
  });
});
