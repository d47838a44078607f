import { asc, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { insertBillingSubscription, testDb } from "../../test/fixtures";
import { api, seedCastBeforeAll } from "../../test/harness";
import { storedVideo } from "../catalog/test-utils";
import { playbackEvents } from "../db/schema";
import { MAX_PLAYED_PER_BATCH_MS, PLAYED_SLACK_MS } from "./beacons";
import { beacon, heartbeat, sendBeacons } from "./test-utils";

const cast = seedCastBeforeAll("histbudget", {
  creator: { channel: true },
  farmer: {},
  racer: {},
  honest: {},
});

/**
 * The profile's stored batches: when each was received and its played time, oldest first. A batch
 * is its receipt time and, for farmBatch's beacons, its tag: two batches racing may be stored in
 * the same millisecond (the second re-read the first and was budgeted a gap of zero), and must
 * still count as two.
 */
async function storedBatches(profileId: string) {
  const rows = await testDb()
    .select({ at: playbackEvents.receivedAt, played: playbackEvents.playedMs, id: playbackEvents.beaconId })
    .from(playbackEvents)
    .where(eq(playbackEvents.profileId, profileId));
  const batches = new Map<string, { at: number; played: number }>();
  for (const r of rows) {
    const key = `${r.at}|${/^farm-(.+)-\d+$/.exec(r.id)?.[1] ?? ""}`;
    const b = batches.get(key) ?? { at: r.at, played: 0 };
    b.played += r.played;
    batches.set(key, b);
  }
  return [...batches.values()].sort((a, b) => a.at - b.at);
}

/**
 * After the first batch, the batches up to each one claimed at most the wall time since the first
 * was received plus the slack once per batch (each: its gap since the previous receipt + slack).
 */
function expectWithinReceiptClock(batches: { at: number; played: number }[]) {
  let claimed = 0;
  for (let k = 1; k < batches.length; k++) {
    claimed += batches[k]?.played ?? 0;
    const wall = (batches[k]?.at ?? 0) - (batches[0]?.at ?? 0);
    expect(claimed, `batches 1..${k}`).toBeLessThanOrEqual(wall + k * PLAYED_SLACK_MS);
  }
}

/**
 * 50 beacons (the most a batch takes), each of its own session claiming a full minute, stamped back.
 * The sessions (s0…s49) are the same in every batch, so the profile's sessions per video and hour
 * (MAX_SESSIONS_PER_VIDEO_HOUR) never refuse any, and each beacon is its session's first in its batch.
 * They are spread over three videos (≤ 17 sessions each). `tag` names the batch's beacon ids.
 */
const farmBatch = (videoIds: string[], tag: string) =>
  Array.from({ length: 50 }, (_, k) =>
    heartbeat({
      id: `farm-${tag}-${k}`,
      videoId: videoIds[k % videoIds.length] as string,
      sessionId: `s${k}`,
      positionMs: 60_000,
      playedMs: 60_000,
      at: Date.now() - (k + 1) * 5_000,
    }),
  );

describe("playback beacons: played time per profile follows the receipt clock", () => {
  it("a paid profile sending many sessions' beacons in quick batches claims only the wall time between them", async () => {
    const { creator, farmer } = cast;
    await insertBillingSubscription(farmer.accountId, { planId: "standard" });
    // The most affinity rows a beacon statement carries (8 tags): the fence stays within D1's bound.
    const tags = Array.from({ length: 8 }, (_, k) => `farmtag${k}`);
    const videoIds = await Promise.all(
      [0, 1, 2].map(() => storedVideo(creator, { durationMs: 3_600_000, tags })),
    );
    for (let i = 0; i < 8; i++) {
      expect((await sendBeacons(farmer.accessToken, farmBatch(videoIds, `b${i}`))).accepted).toBe(50);
    }
    const rows = await storedBatches(farmer.profileId);
    expect(rows).toHaveLength(8);
    // The first batch has no receipt to measure from: the per-batch maximum.
    expect(rows[0]?.played).toBe(MAX_PLAYED_PER_BATCH_MS);
    expectWithinReceiptClock(rows);
    // 7 batches × 50 beacons × 60 s were claimed; a few seconds each count.
    const later = rows.slice(1).reduce((n, r) => n + r.played, 0);
    expect(later).toBeLessThan(7 * 2 * PLAYED_SLACK_MS);
    const premium = await testDb()
      .select({ premium: playbackEvents.premium })
      .from(playbackEvents)
      .where(eq(playbackEvents.profileId, farmer.profileId));
    expect(premium.every((r) => r.premium)).toBe(true);
  });

  it("batches of one profile sent at once do not each spend the same gap", async () => {
    const { creator, racer } = cast;
    await insertBillingSubscription(racer.accountId, { planId: "standard" });
    const videoIds = await Promise.all([0, 1, 2].map(() => storedVideo(creator, { durationMs: 3_600_000 })));
    expect((await sendBeacons(racer.accessToken, farmBatch(videoIds, "first"))).accepted).toBe(50);
    // Received a minute ago: every batch below alone could claim 65 s.
    await testDb()
      .update(playbackEvents)
      .set({ receivedAt: sql`${playbackEvents.receivedAt} - 60000` })
      .where(eq(playbackEvents.profileId, racer.profileId));
    const statuses = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        api("/api/v1/events/playback", {
          method: "POST",
          token: racer.accessToken,
          json: { beacons: farmBatch(videoIds, `race${i}`) },
        }).then((r) => r.status),
      ),
    );
    // Stored (202) or, after repeated collisions, asked to retry (429); never both budgets spent.
    for (const status of statuses) expect([202, 429]).toContain(status);
    const rows = await storedBatches(racer.profileId);
    expect(rows).toHaveLength(1 + statuses.filter((st) => st === 202).length);
    expectWithinReceiptClock(rows);
  });

  it("an honest player (a batch every ~30 s with 30 s played) keeps all of it", async () => {
    const { creator, honest } = cast;
    await insertBillingSubscription(honest.accountId, { planId: "standard" });
    const videoId = await storedVideo(creator, { durationMs: 600_000 });
    const t0 = Date.now() - 30_000;
    // The previous batch (the start), received 30 s ago.
    const start = beacon({ videoId, sessionId: "honest", kind: "start", positionMs: 0, at: t0 });
    await testDb().insert(playbackEvents).values({
      profileId: honest.profileId,
      accountId: honest.accountId,
      beaconId: start.id,
      videoId,
      sessionId: "honest",
      kind: "start",
      positionMs: 0,
      occurredAt: t0,
      receivedAt: t0,
      premium: true,
    });
    expect(
      await sendBeacons(honest.accessToken, [
        heartbeat({ videoId, sessionId: "honest", positionMs: 30_000, playedMs: 30_000 }),
      ]),
    ).toMatchObject({ accepted: 1 });
    const played = await testDb()
      .select({ played: playbackEvents.playedMs })
      .from(playbackEvents)
      .where(eq(playbackEvents.profileId, honest.profileId))
      .orderBy(asc(playbackEvents.receivedAt));
    expect(played.map((r) => r.played)).toEqual([0, 30_000]);
  });
});
