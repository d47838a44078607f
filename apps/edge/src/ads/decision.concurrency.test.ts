import { runInDurableObject } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { unique } from "../../test/harness";
import { adCampaigns, adImpressions } from "../db/schema";
import { campaignStub, decideAd } from "./decision";
import {
  adContext,
  campaignObject,
  endSeededCampaigns,
  frequencyObject,
  seedAdvertiserCampaign,
  testAdServices,
} from "./test-utils";
import type { AdDecision } from "./types";

afterEach(endSeededCampaigns);

const trackImpressions = (decisions: (AdDecision | null)[]) =>
  Promise.all(
    decisions.flatMap((d) =>
      d ? [campaignStub(testAdServices().env, d.campaignId).track(d.sessionId, ["impression", "start"])] : [],
    ),
  );

describe("ad decisions under concurrency", () => {
  it("1,000 concurrent ad decisions against a campaign with budget for 100 impressions → exactly 100 billed impressions and spend equal to their prices", async () => {
    const categoryId = unique("cat");
    const targeting = { categories: [categoryId] };
    // The winner pays the runner-up's 60,000: 100 impressions are 6,000,000 millicents = 6,000
    // cents. (Bids far above what other test files' untargeted campaigns bid, so they never compete.)
    const limited = await seedAdvertiserCampaign({ cpmBidCents: 90_000, totalBudgetCents: 6_000, targeting });
    const fallback = await seedAdvertiserCampaign({ cpmBidCents: 60_000, targeting });
    const s = testAdServices();
    const decisions = await Promise.all(
      Array.from({ length: 1_000 }, () => decideAd(s, adContext({ categoryId }))),
    );
    const mine = decisions.filter((d) => d?.campaignId === limited.campaignId);
    expect(mine).toHaveLength(100);
    expect(mine.every((d) => d?.priceMillicents === 60_000)).toBe(true);
    // Every other decision fell through to the next campaign, reserved there instead.
    expect(decisions.filter((d) => d?.campaignId === fallback.campaignId)).toHaveLength(900);
    const tracked = await trackImpressions(decisions);
    expect(tracked.filter((t) => t.counted.includes("impression"))).toHaveLength(1_000);
    const spend = await campaignObject(limited.campaignId).spend();
    expect(spend).toMatchObject({
      status: "budget_spent",
      impressions: 100,
      spentMillicents: mine.reduce((sum, d) => sum + (d?.priceMillicents ?? 0), 0),
      reservedMillicents: 0,
    });
    expect(spend.spentMillicents).toBe(6_000_000);
    // The revenue facts in D1 after a flush: one row per billed impression, summing to the spend.
    await campaignObject(limited.campaignId).flush();
    const rows = await testDb()
      .select()
      .from(adImpressions)
      .where(eq(adImpressions.campaignId, limited.campaignId));
    expect(rows).toHaveLength(100);
    expect(rows.reduce((sum, r) => sum + r.priceMillicents, 0)).toBe(spend.spentMillicents);
    expect(new Set(rows.map((r) => r.sessionId))).toEqual(new Set(mine.map((d) => d?.sessionId)));
    const [row] = await testDb().select().from(adCampaigns).where(eq(adCampaigns.id, limited.campaignId));
    expect(row).toMatchObject({ status: "budget_spent", spentMillicents: 6_000_000 });
  }, 180_000);

  it("a frequency cap of 3 per day holds exactly under 50 concurrent playbacks of one profile", async () => {
    const categoryId = unique("cat");
    const targeting = { categories: [categoryId] };
    const capped = await seedAdvertiserCampaign({ cpmBidCents: 80_000, frequencyCapPerDay: 3, targeting });
    const other = await seedAdvertiserCampaign({ cpmBidCents: 30_000, frequencyCapPerDay: 1_000, targeting });
    const s = testAdServices();
    const viewerKey = `profile:${unique("p")}`;
    const decisions = await Promise.all(
      Array.from({ length: 50 }, () => decideAd(s, adContext({ categoryId, viewerKey }))),
    );
    expect(decisions.filter((d) => d?.campaignId === capped.campaignId)).toHaveLength(3);
    expect(decisions.filter((d) => d?.campaignId === other.campaignId)).toHaveLength(47);
    await trackImpressions(decisions);
    // Another 50 after the impressions: the cap is spent for today.
    const more = await Promise.all(
      Array.from({ length: 50 }, () => decideAd(s, adContext({ categoryId, viewerKey }))),
    );
    expect(more.filter((d) => d?.campaignId === capped.campaignId)).toHaveLength(0);
    expect(await campaignObject(capped.campaignId).spend()).toMatchObject({
      impressions: 3,
      reservedMillicents: 0,
    });
    const slots = await runInDurableObject(frequencyObject(viewerKey), (_o, state) =>
      state.storage.sql
        .exec<{ n: number }>(
          "SELECT COUNT(*) AS n FROM slots WHERE campaign_id = ? AND confirmed = 1",
          capped.campaignId,
        )
        .one(),
    );
    expect(slots.n).toBe(3);
  });
});
