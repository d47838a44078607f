/**
 * Decisions against campaigns that cannot serve: refusals remembered (so a few top bidders that
 * always refuse cannot block everyone below them), capped or refused runner-ups that set no price,
 * kids-rated content, and the per-address rate limit on decisions.
 */
import { afterEach, describe, expect, it } from "vitest";
import { unique } from "../../test/harness";
import { AD_DECISION_LIMIT, type DecisionContext, decideAd } from "./decision";
import {
  type EligibleCampaign,
  forgetEligibleCampaigns,
  isRefused,
  REFUSED_PACING_MS,
  rememberRefusal,
} from "./eligible";
import { DAY_MS, utcMidnight } from "./pacing";
import type { SeedCampaignOptions } from "./test-utils";
import {
  adContext,
  endSeededCampaigns,
  frequencyObject,
  seedAdvertiserCampaign,
  testAdServices,
} from "./test-utils";

afterEach(endSeededCampaigns);

/** Campaigns targeted at a category of this test only (they compete with nothing else). */
const scene = () => {
  const categoryId = unique("cat");
  return {
    ctx: (extra: Partial<DecisionContext> = {}): DecisionContext => adContext({ categoryId, ...extra }),
    campaign: (opts: SeedCampaignOptions = {}) =>
      seedAdvertiserCampaign({ ...opts, targeting: { categories: [categoryId], ...opts.targeting } }),
  };
};
const decide = (ctx: DecisionContext) => decideAd(testAdServices(), ctx);
const FLOOR = () => testAdServices().config.ads.floorCpmCents;

/** Holds one of the viewer's slots in `campaignId` (as an earlier ad of it would). */
const useSlot = (viewerKey: string, campaignId: string) =>
  frequencyObject(viewerKey).reserve({
    sessionId: unique("seen"),
    campaignId,
    capPerDay: 1,
    lapseSeconds: 60,
  });

describe("decideAd and campaigns that cannot serve", () => {
  it("three max bidders with a 1-cent daily budget do not block a lower campaign: their refusals are remembered", async () => {
    const { ctx, campaign } = scene();
    for (let i = 0; i < 3; i++) await campaign({ cpmBidCents: 90_000, dailyBudgetCents: 1 });
    const low = await campaign({ cpmBidCents: 10_000 });
    await decide(ctx()); // may spend its tries on the three (each refuses: daily_budget)
    const next = await Promise.all(Array.from({ length: 5 }, () => decide(ctx())));
    // The three are left out of ranking and pricing: the low one serves alone, at the floor.
    expect(next.map((d) => d?.campaignId)).toEqual(Array(5).fill(low.campaignId));
    expect(next.every((d) => d?.priceMillicents === FLOOR())).toBe(true);
  });

  it("a runner-up capped for this viewer does not set the winner's price", async () => {
    const { ctx, campaign } = scene();
    const winner = await campaign({ cpmBidCents: 50_000 });
    const capped = await campaign({ cpmBidCents: 40_000, frequencyCapPerDay: 1 });
    await campaign({ cpmBidCents: 10_000 });
    const c = ctx();
    expect(await useSlot(c.viewerKey, capped.campaignId)).toBe(true);
    expect(await decide(c)).toMatchObject({ campaignId: winner.campaignId, priceMillicents: 10_000 });
    // Another viewer, who could get the runner-up: it sets the price.
    expect(await decide(ctx())).toMatchObject({ campaignId: winner.campaignId, priceMillicents: 40_000 });
  });

  it("a runner-up known to refuse does not set the winner's price", async () => {
    const { ctx, campaign } = scene();
    const winner = await campaign({ cpmBidCents: 50_000, frequencyCapPerDay: 1 });
    const broke = await campaign({ cpmBidCents: 40_000, dailyBudgetCents: 1 });
    const low = await campaign({ cpmBidCents: 10_000 });
    // A viewer capped on the winner: the refusing runner-up wins, is refused, and is remembered.
    const first = ctx();
    expect(await useSlot(first.viewerKey, winner.campaignId)).toBe(true);
    expect(await decide(first)).toMatchObject({ campaignId: low.campaignId });
    expect(broke.campaignId).not.toBe(low.campaignId);
    expect(await decide(ctx())).toMatchObject({ campaignId: winner.campaignId, priceMillicents: 10_000 });
  });

  it("kids-rated content gets only kids-safe ads, for anonymous and adult viewers too", async () => {
    const { ctx, campaign } = scene();
    const unsafe = await campaign({ cpmBidCents: 90_000 });
    const safe = await campaign({ cpmBidCents: 10_000, kidsSafe: true });
    const viewers = [ctx({ maturity: "kids", viewerKey: `anon:${unique("a")}` }), ctx({ maturity: "kids" })];
    for (const v of viewers) expect((await decide(v))?.campaignId).toBe(safe.campaignId);
    expect((await decide(ctx({ maturity: "teen" })))?.campaignId).toBe(unsafe.campaignId);
  });

  it(`a client address gets no ad past ${AD_DECISION_LIMIT.limit} decisions a minute (not an error)`, async () => {
    const { ctx, campaign } = scene();
    const a = await campaign({ cpmBidCents: 5_000 });
    const clientKey = unique("client");
    const decisions = await Promise.all(
      Array.from({ length: AD_DECISION_LIMIT.limit + 5 }, () => decide(ctx({ clientKey }))),
    );
    expect(decisions.filter((d) => d?.campaignId === a.campaignId)).toHaveLength(AD_DECISION_LIMIT.limit);
    expect(decisions.filter((d) => d === null)).toHaveLength(5);
    expect(await decide(ctx({ clientKey }))).toBeNull();
    // Another address is not affected.
    expect((await decide(ctx({ clientKey: unique("client") })))?.campaignId).toBe(a.campaignId);
  });
});

describe("refusal memory", () => {
  const campaign = (updatedAt = 1): EligibleCampaign => ({
    campaignId: unique("cmp"),
    advertiserAccountId: "acc",
    cpmBidCents: 100,
    targeting: {
      categories: [],
      countries: [],
      languages: [],
      devices: [],
      maxMaturity: "adult",
      excludedChannels: [],
    },
    frequencyCapPerDay: 3,
    kidsSafe: false,
    clickThroughUrl: "https://advertiser.example/",
    creativeVideoId: "vid",
    durationMs: 1_000,
    title: "t",
    startsAt: 0,
    endsAt: null,
    updatedAt,
  });
  const now = Date.UTC(2026, 5, 1, 15, 0, 0);

  it("daily_budget holds until the next UTC midnight; pacing for a few seconds", () => {
    const daily = campaign();
    rememberRefusal(daily, "daily_budget", now);
    expect(isRefused(daily, utcMidnight(now) + DAY_MS - 1)).toBe(true);
    expect(isRefused(daily, utcMidnight(now) + DAY_MS)).toBe(false);
    const paced = campaign();
    rememberRefusal(paced, "pacing", now);
    expect(isRefused(paced, now + REFUSED_PACING_MS - 1)).toBe(true);
    expect(isRefused(paced, now + REFUSED_PACING_MS)).toBe(false);
  });

  it("budget and not_running hold until the eligible list reloads", () => {
    const spent = campaign();
    const stopped = campaign();
    rememberRefusal(spent, "budget", now);
    rememberRefusal(stopped, "not_running", now);
    expect(isRefused(spent, now + DAY_MS)).toBe(true);
    forgetEligibleCampaigns();
    expect(isRefused(spent, now)).toBe(false);
    expect(isRefused(stopped, now)).toBe(false);
  });

  it("a changed row (a raised budget) is not refused any more", () => {
    const c = campaign(1);
    rememberRefusal(c, "daily_budget", now);
    expect(isRefused({ ...c, updatedAt: 2 }, now)).toBe(false);
  });
});
