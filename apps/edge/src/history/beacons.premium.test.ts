import { type Period, parsePeriod } from "@marquee/shared";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { DAY, insertBillingSubscription, testDb } from "../../test/fixtures";
import { seedCastBeforeAll } from "../../test/harness";
import { storedVideo } from "../catalog/test-utils";
import { playbackEvents } from "../db/schema";
import { channelFacts } from "../payouts/facts";
import { testServices } from "../payouts/test-utils";
import { sendBeacons, watchSession } from "./test-utils";

const cast = seedCastBeforeAll("histprem", {
  creator: { channel: true },
  paid: {},
  lapsed: {},
  free: {},
});

const premiumFlags = async (profileId: string) =>
  (
    await testDb()
      .select({ premium: playbackEvents.premium })
      .from(playbackEvents)
      .where(eq(playbackEvents.profileId, profileId))
  ).map((r) => r.premium);

describe("playback beacons: premium watch time", () => {
  it("a paid account's beacons are premium; a free or lapsed one's are not; the creator's facts count only premium", async () => {
    const { creator, paid, lapsed, free } = cast;
    await insertBillingSubscription(paid.accountId, { planId: "standard" });
    // Canceled and paid through only until yesterday: free now.
    await insertBillingSubscription(lapsed.accountId, {
      status: "canceled",
      currentPeriodEnd: Date.now() - DAY,
    });
    const videoId = await storedVideo(creator, { durationMs: 600_000 });

    for (const who of [paid, lapsed, free]) {
      const receipt = await sendBeacons(who.accessToken, watchSession(videoId, 60_000));
      expect(receipt.accepted).toBe(3);
    }
    expect(await premiumFlags(paid.profileId)).toEqual([true, true, true]);
    expect(await premiumFlags(lapsed.profileId)).toEqual([false, false, false]);
    expect(await premiumFlags(free.profileId)).toEqual([false, false, false]);

    // The creator watching their own video on a paid plan: premium beacons, but no pool share.
    await insertBillingSubscription(creator.accountId, { planId: "premium" });
    expect((await sendBeacons(creator.accessToken, watchSession(videoId, 60_000))).accepted).toBe(3);
    expect(await premiumFlags(creator.profileId)).toEqual([true, true, true]);

    // The channel is this test's alone: its facts of the day the beacons were received.
    const [received] = await testDb()
      .select({ at: playbackEvents.receivedAt })
      .from(playbackEvents)
      .where(eq(playbackEvents.profileId, paid.profileId));
    const day = parsePeriod(new Date(received?.at ?? 0).toISOString().slice(0, 10)) as Period;
    expect(await channelFacts(testServices(), day, creator.channelId as string)).toMatchObject({
      premiumWatchMs: 60_000,
    });
  });
});
