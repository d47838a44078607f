/**
 * The analytics_dirty marks a stored batch leaves for the rollup. ingestBeacons is called directly,
 * not through the route: the route also pokes the rollup object, whose alarm would drain (delete)
 * the marks this file looks at.
 */
import { env } from "cloudflare:test";
import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { type SeededAccount, seedCastBeforeAll } from "../../test/harness";
import { storedVideo } from "../catalog/test-utils";
import { loadConfig } from "../config";
import { analyticsDirty, playbackEvents } from "../db/schema";
import type { Services } from "../services";
import type { Actor } from "../types";
import { ingestBeacons } from "./beacons";
import type { Beacon } from "./schemas";
import { beacon, heartbeat, history, videoCounters } from "./test-utils";

// A viewer per test: the receipts one test stamps ahead of the clock would shrink the next one's played budget.
const cast = seedCastBeforeAll("histdirty", { creator: { channel: true }, viewer: {}, racer: {}, other: {} });

const HOUR = 3_600_000;
const hourOf = (ms: number) => Math.floor(ms / HOUR) * HOUR;

/** What ingestBeacons uses of a request's services (it sends no mail or texts). */
const services = () => ({ env, config: loadConfig(env), db: testDb(), log: () => {} }) as unknown as Services;
const actorOf = (a: SeededAccount): Actor => ({
  accountId: a.accountId,
  sessionId: "ses_test",
  email: a.email,
  emailVerified: true,
  roles: a.roles,
  profileId: a.profileId,
  profileMaturity: "adult",
});
const ingest = (who: SeededAccount, beacons: Beacon[], now: number) =>
  ingestBeacons(services(), actorOf(who), beacons, { country: "FR", device: "desktop" }, now);

const marks = async (videoIds: string[]) =>
  (await testDb().select().from(analyticsDirty).where(inArray(analyticsDirty.videoId, videoIds)))
    .map((m) => [m.videoId, m.hour, m.version])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])) || Number(a[1]) - Number(b[1]));

describe("playback beacons: analytics dirty marks", () => {
  it("marks each (video, UTC hour of occurredAt) of the stored beacons once; a retried batch changes nothing", async () => {
    const [a, b] = [await storedVideo(cast.creator), await storedVideo(cast.creator)];
    const now = Date.now();
    const earlier = hourOf(now) - 2 * HOUR + 50 * 60_000;
    const later = hourOf(now) - HOUR + 10 * 60_000;
    const batch = [
      beacon({ videoId: a, kind: "request", positionMs: 0, at: earlier }),
      beacon({ videoId: a, kind: "start", positionMs: 0, at: earlier + 1_000 }),
      heartbeat({ videoId: a, positionMs: 30_000, playedMs: 29_000, at: earlier + 30_000 }),
      heartbeat({ videoId: a, sessionId: "s2", positionMs: 10_000, playedMs: 10_000, at: later }),
      beacon({ videoId: b, kind: "error", positionMs: 0, at: later + 5_000 }),
    ];
    const first = await ingest(cast.viewer, batch, now);
    expect(first.receipt).toEqual({ accepted: 5, duplicates: 0, rejected: [] });
    expect(first.stored.map((s) => [s.id, s.country, s.device])).toEqual(
      batch.map((x) => [x.id, "FR", "desktop"]),
    );
    const expected = [
      [a, hourOf(earlier), 1],
      [a, hourOf(later), 1],
      [b, hourOf(later), 1],
    ].sort((x, y) => String(x[0]).localeCompare(String(y[0])) || Number(x[1]) - Number(y[1]));
    expect(await marks([a, b])).toEqual(expected);
    const counters = await videoCounters(a);
    const entries = await history(cast.viewer.accessToken);

    // Retried (a lost response), once and then twice at once: stored once, marked once, counted once.
    const again = await ingest(cast.viewer, batch, now + 1_000);
    expect(again).toEqual({ receipt: { accepted: 0, duplicates: 5, rejected: [] }, stored: [] });
    const twice = await Promise.all([
      ingest(cast.viewer, batch, now + 2_000),
      ingest(cast.viewer, batch, now + 3_000),
    ]);
    for (const r of twice) expect(r.receipt).toEqual({ accepted: 0, duplicates: 5, rejected: [] });
    expect(await marks([a, b])).toEqual(expected);
    expect(await videoCounters(a)).toEqual(counters);
    expect(await history(cast.viewer.accessToken)).toEqual(entries);
    expect(await testDb().$count(playbackEvents, inArray(playbackEvents.videoId, [a, b]))).toBe(5);

    // A new beacon in a marked hour bumps that mark's version (the rollup recomputes it again).
    const late = heartbeat({
      videoId: b,
      sessionId: "s3",
      positionMs: 1_000,
      playedMs: 1_000,
      at: later + 60_000,
    });
    expect((await ingest(cast.viewer, [late], now + 4_000)).receipt.accepted).toBe(1);
    expect(await marks([b])).toEqual([[b, hourOf(later), 2]]);
  });

  it("two deliveries of a new batch at once mark its hour once (the later one stores nothing)", async () => {
    const video = await storedVideo(cast.creator);
    const now = Date.now();
    const at = hourOf(now) - 4 * HOUR + 60_000;
    const batch = [
      beacon({ videoId: video, kind: "start", positionMs: 0, at }),
      heartbeat({ videoId: video, positionMs: 20_000, playedMs: 20_000, at: at + 20_000 }),
    ];
    const results = await Promise.all([ingest(cast.racer, batch, now), ingest(cast.racer, batch, now + 1)]);
    expect(results.map((r) => r.receipt.accepted).sort()).toEqual([0, 2]);
    expect(await marks([video])).toEqual([[video, hourOf(at), 1]]);
    // Played time counted once (the start is hours old: history and watch time, no view).
    expect(await videoCounters(video)).toMatchObject({ views: 0, dayWatched: 20_000 });
  });

  it("a batch marks only what it stored: nothing for refused, rejected or duplicate beacons", async () => {
    const [a, hidden] = [
      await storedVideo(cast.creator),
      await storedVideo(cast.creator, { visibility: "private" }),
    ];
    const now = Date.now();
    const at = hourOf(now) - 3 * HOUR + 60_000;
    const stored = beacon({ videoId: a, kind: "start", positionMs: 0, at });
    await ingest(cast.other, [stored], now);
    await testDb().delete(analyticsDirty).where(eq(analyticsDirty.videoId, a));

    const impossible = {
      ...heartbeat({ videoId: a, positionMs: 0, at: at + HOUR }),
      qoe: { startupMs: -1 },
    } as Beacon;
    const unavailable = beacon({ videoId: hidden, kind: "start", positionMs: 0, at });
    const receipt = await ingest(cast.other, [stored, impossible, unavailable], now + 1_000);
    expect(receipt).toEqual({
      receipt: {
        accepted: 0,
        duplicates: 1,
        rejected: [
          { id: unavailable.id, reason: "video_unavailable" },
          { id: impossible.id, reason: "impossible_value" },
        ],
      },
      stored: [],
    });
    expect(await marks([a, hidden])).toEqual([]);
  });
});
