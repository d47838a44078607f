/**
 * A play of a video that is not publicly visible (held or removed by moderation, or its channel
 * hidden) earns no premium share: only its owner and staff can play it, and that is no audience.
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { insertBillingSubscription, testDb } from "../../test/fixtures";
import { seedAccount } from "../../test/harness";
import { storedVideo } from "../catalog/test-utils";
import { playbackEvents, videos } from "../db/schema";
import { sendBeacons, watchSession } from "./test-utils";

const premiumOf = async (profileId: string, videoId: string) =>
  (
    await testDb()
      .select({ premium: playbackEvents.premium, videoId: playbackEvents.videoId })
      .from(playbackEvents)
      .where(eq(playbackEvents.profileId, profileId))
  )
    .filter((r) => r.videoId === videoId)
    .map((r) => r.premium);

describe("premium share of plays of hidden videos", () => {
  it("a paid owner's or moderator's play of a held, removed or channel-hidden video is not premium", async () => {
    const creator = await seedAccount({ tag: "bcnmod", channel: true });
    const mod = await seedAccount({ tag: "bcnmodm", roles: ["moderator"] });
    for (const who of [creator, mod]) await insertBillingSubscription(who.accountId, { planId: "premium" });
    const shown = await storedVideo(creator, { durationMs: 600_000 });
    const hidden = [
      await storedVideo(creator, { durationMs: 600_000 }),
      await storedVideo(creator, { durationMs: 600_000 }),
      await storedVideo(creator, { durationMs: 600_000 }),
    ] as const;
    const db = testDb();
    await db.update(videos).set({ moderationState: "held" }).where(eq(videos.id, hidden[0]));
    await db.update(videos).set({ moderationState: "removed" }).where(eq(videos.id, hidden[1]));
    await db.update(videos).set({ channelHidden: true }).where(eq(videos.id, hidden[2]));

    for (const who of [creator, mod]) {
      // Control: the same paid account's play of a visible video is premium.
      expect((await sendBeacons(who.accessToken, watchSession(shown, 60_000))).accepted).toBe(3);
      expect(await premiumOf(who.profileId, shown)).toEqual([true, true, true]);
      for (const videoId of hidden) {
        expect((await sendBeacons(who.accessToken, watchSession(videoId, 60_000))).accepted).toBe(3);
        expect(await premiumOf(who.profileId, videoId)).toEqual([false, false, false]);
      }
    }
  });
});
