import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { unique } from "../../test/harness";
import { adCampaigns } from "../db/schema";
import { decideAd } from "./decision";
import { forgetEligibleCampaigns } from "./eligible";
import type { SeedCampaignOptions } from "./test-utils";
import {
  adContext,
  campaignObject,
  configOf,
  endSeededCampaigns,
  frequencyObject,
  seedAdvertiserCampaign,
  sleep,
  testAdServices,
} from "./test-utils";
import type { AdContext } from "./types";

afterEach(endSeededCampaigns);

/**
 * A category of this test only: campaigns targeted at it compete only with each other and with
 * untargeted ones other test files may have left active, which bid far less than these tests do
 * (so assertions name this test's campaigns rather than expect no ad at all, where they can).
 */
const scene = () => {
  const categoryId = unique("cat");
  return {
    ctx: (extra: Partial<AdContext> = {}) => adContext({ categoryId, ...extra }),
    campaign: (opts: SeedCampaignOptions = {}) =>
      seedAdvertiserCampaign({ ...opts, targeting: { categories: [categoryId], ...opts.targeting } }),
  };
};
const decide = (ctx: AdContext) => decideAd(testAdServices(), ctx);
const FLOOR = () => testAdServices().config.ads.floorCpmCents;

/** Every held reservation and unconfirmed slot lapses now (as if ADS_RESERVATION_SECONDS passed). */
async function lapseEverything(campaignId: string, viewerKey: string) {
  await runInDurableObject(campaignObject(campaignId), (_o, state) => {
    state.storage.sql.exec("UPDATE sessions SET expires_at = ? WHERE state = 'held'", Date.now() - 1);
  });
  await runInDurableObject(frequencyObject(viewerKey), (_o, state) => {
    state.storage.sql.exec("UPDATE slots SET expires_at = ? WHERE confirmed = 0", Date.now() - 1);
  });
  await runDurableObjectAlarm(campaignObject(campaignId));
  // Minutes pass in a real lapse: the eligible list (and refusals it bounds) has reloaded since.
  forgetEligibleCampaigns();
}

describe("decideAd", () => {
  it("second price: the highest bid wins and pays the runner-up's bid, in millicents", async () => {
    const { ctx, campaign } = scene();
    const high = await campaign({ cpmBidCents: 50_000, creative: { title: "Big spot", durationMs: 12_000 } });
    await campaign({ cpmBidCents: 30_000 });
    const d = await decide(ctx());
    expect(d).toMatchObject({
      campaignId: high.campaignId,
      creativeVideoId: high.creativeVideoId,
      priceMillicents: 30_000,
      durationMs: 12_000,
      title: "Big spot",
      clickThroughUrl: high.row.clickThroughUrl,
    });
    expect(d?.sessionId).toMatch(/^ads_[0-9a-z]{26}$/);
    expect(await campaignObject(high.campaignId).spend()).toMatchObject({ reservedMillicents: 30_000 });
  });

  it("a lone campaign pays the floor; one bidding under the floor pays its own bid", async () => {
    const { ctx, campaign } = scene();
    const lone = await campaign({ cpmBidCents: 50_000 });
    expect(await decide(ctx())).toMatchObject({ campaignId: lone.campaignId, priceMillicents: FLOOR() });
    const cheap = scene();
    const low = await cheap.campaign({ cpmBidCents: FLOOR() - 40 });
    expect(await decide(cheap.ctx())).toMatchObject({
      campaignId: low.campaignId,
      priceMillicents: FLOOR() - 40,
    });
  });

  it("a winner its budget refuses is skipped: the next pays against the rest, and the cap slot is released", async () => {
    const { ctx, campaign } = scene();
    const broke = await campaign({ cpmBidCents: 90_000, totalBudgetCents: 1, frequencyCapPerDay: 1 });
    const next = await campaign({ cpmBidCents: 40_000 });
    await campaign({ cpmBidCents: 25_000 });
    const c = ctx();
    expect(await decide(c)).toMatchObject({ campaignId: next.campaignId, priceMillicents: 25_000 });
    // The refused campaign's slot in the viewer's cap (1 a day) was given back.
    expect(
      await frequencyObject(c.viewerKey).reserve({
        sessionId: unique("probe"),
        campaignId: broke.campaignId,
        capPerDay: 1,
        lapseSeconds: 60,
      }),
    ).toBe(true);
  });

  it("a winner the viewer's cap refuses is skipped and holds no money", async () => {
    const { ctx, campaign } = scene();
    const capped = await campaign({ cpmBidCents: 60_000, frequencyCapPerDay: 1 });
    const other = await campaign({ cpmBidCents: 20_000 });
    await campaign({ cpmBidCents: 15_000 });
    const c = ctx();
    const first = await decide(c);
    expect(first).toMatchObject({ campaignId: capped.campaignId, priceMillicents: 20_000 });
    expect(await decide(c)).toMatchObject({ campaignId: other.campaignId, priceMillicents: 15_000 });
    expect(await campaignObject(capped.campaignId).spend()).toMatchObject({ reservedMillicents: 20_000 });
    // Another viewer still gets the capped campaign.
    expect(await decide(ctx())).toMatchObject({ campaignId: capped.campaignId });
  });

  it("a lapsed reservation returns its money and frees the cap", async () => {
    const { ctx, campaign } = scene();
    // The runner-up sets the price at 49,999 millicents of the 50-cent (50,000) budget: one
    // impression. When the winner is refused, the runner-up serves instead.
    const one = await campaign({ cpmBidCents: 50_000, totalBudgetCents: 50, frequencyCapPerDay: 1 });
    await campaign({ cpmBidCents: 49_999 });
    const c = ctx();
    expect(await decide(c)).toMatchObject({ campaignId: one.campaignId, priceMillicents: 49_999 });
    expect((await decide(ctx()))?.campaignId).not.toBe(one.campaignId); // its budget is held by c's
    expect((await decide(c))?.campaignId).not.toBe(one.campaignId);
    await lapseEverything(one.campaignId, c.viewerKey);
    expect(await campaignObject(one.campaignId).spend()).toMatchObject({ reservedMillicents: 0 });
    // Both the money and c's daily slot (cap 1) came back.
    expect(await decide(c)).toMatchObject({ campaignId: one.campaignId, priceMillicents: 49_999 });
  });

  it("the impression confirms the viewer's slot: it counts after the lapse", async () => {
    const { ctx, campaign } = scene();
    const a = await campaign({ cpmBidCents: 5_000, frequencyCapPerDay: 1 });
    const c = ctx();
    const d = await decide(c);
    expect(d?.campaignId).toBe(a.campaignId);
    expect(await campaignObject(a.campaignId).track(d?.sessionId as string, ["impression"])).toEqual({
      counted: ["impression"],
    });
    await lapseEverything(a.campaignId, c.viewerKey);
    expect((await decide(c))?.campaignId).not.toBe(a.campaignId);
  });

  it("kids profiles get only kids-safe ads", async () => {
    const { ctx, campaign } = scene();
    const unsafe = await campaign({ cpmBidCents: 90_000 });
    const safe = await campaign({ cpmBidCents: 10_000, kidsSafe: true });
    const kids = await Promise.all(
      Array.from({ length: 20 }, () => decide(ctx({ kids: true, maturity: "kids" }))),
    );
    expect(kids.map((d) => d?.campaignId)).toEqual(Array(20).fill(safe.campaignId));
    expect((await decide(ctx()))?.campaignId).toBe(unsafe.campaignId);
    // Without this test's kids-safe campaign, kids still never get the other, whatever it bids:
    // no ad, or only another kids-safe one.
    await testDb().update(adCampaigns).set({ status: "paused" }).where(eq(adCampaigns.id, safe.campaignId));
    await campaignObject(safe.campaignId).configure({ ...safe.config, status: "paused" });
    forgetEligibleCampaigns();
    const after = await decide(ctx({ kids: true, maturity: "kids" }));
    const [row] = after
      ? await testDb().select().from(adCampaigns).where(eq(adCampaigns.id, after.campaignId))
      : [];
    expect(after === null || row?.kidsSafe === true).toBe(true);
  });

  it("a paused campaign serves nothing within seconds; a spent one serves nothing", async () => {
    const { ctx, campaign } = scene();
    const a = await campaign({ cpmBidCents: 5_000 });
    expect((await decide(ctx()))?.campaignId).toBe(a.campaignId);
    // Paused in D1 alone (as if its object were never told): the eligible list drops it within seconds.
    await testDb().update(adCampaigns).set({ status: "paused" }).where(eq(adCampaigns.id, a.campaignId));
    const pausedAt = Date.now();
    while ((await decide(ctx()))?.campaignId === a.campaignId) {
      expect(Date.now() - pausedAt).toBeLessThan(3_000);
      await sleep(100);
    }
    // Paused in its object alone (the eligible list still has it): refused at once.
    const b = await campaign({ cpmBidCents: 5_000 });
    expect((await decide(ctx()))?.campaignId).toBe(b.campaignId);
    await campaignObject(b.campaignId).configure({ ...configOf(b.row), status: "paused" });
    expect((await decide(ctx()))?.campaignId).not.toBe(b.campaignId);
    // Spent: the runner-up prices each impression at 19,999 millicents, so a budget of 20 cents
    // (20,000) has room for one; once billed, no other fits at the bid.
    const spent = await campaign({ cpmBidCents: 20_000, totalBudgetCents: 20 });
    await campaign({ cpmBidCents: 19_999 });
    const served: string[] = [];
    for (let i = 0; i < 3; i++) {
      const d = await decide(ctx());
      if (d?.campaignId === spent.campaignId) {
        served.push(d.sessionId);
        await campaignObject(spent.campaignId).track(d.sessionId, ["impression"]);
      }
    }
    expect(served).toHaveLength(1);
    expect(await campaignObject(spent.campaignId).spend()).toMatchObject({
      status: "budget_spent",
      impressions: 1,
      spentMillicents: 19_999,
    });
    expect((await decide(ctx()))?.campaignId).not.toBe(spent.campaignId);
  });
});
