/**
 * Helpers for the ads tests (run in workerd): a campaign with a ready creative seeded straight into
 * D1 and pushed to its object, the two objects' stubs, and an ad context. Other ads helpers' tests
 * import these too, so the shapes here are part of the contract.
 */
import { env } from "cloudflare:test";
import { eq, inArray } from "drizzle-orm";
import { insertVideo, testDb } from "../../test/fixtures";
import { type SeededAccount, seedAccount, unique } from "../../test/harness";
import { loadConfig } from "../config";
import { adCampaigns, type Targeting } from "../db/schema";
import { newId } from "../lib/ids";
import { type CampaignRow, configOf } from "./campaigns";

export { configOf };

import type { AdServices } from "./decision";
import { forgetEligibleCampaigns } from "./eligible";
import type { AdCampaign } from "./objects/campaign";
import type { AdFrequency } from "./objects/frequency";
import type { AdContext, CampaignConfig, CampaignSpend } from "./types";

export interface SeedCampaignOptions {
  /** The advertiser (must have a channel); a new `advertiser` account with a channel when absent. */
  advertiser?: SeededAccount;
  name?: string;
  /** Default `active`: the campaign serves at once. */
  status?: CampaignRow["status"];
  /** Default 200 (2.00 per thousand: 200 millicents an impression). */
  cpmBidCents?: number;
  /** Default 1,000,000 cents: never the limit unless a test says so. */
  totalBudgetCents?: number;
  /** Default: the total budget. */
  dailyBudgetCents?: number;
  /** Default `asap`, so a test's outcome does not depend on the time of day (pacing.ts). */
  pacing?: CampaignRow["pacing"];
  /** ms since the epoch; default an hour ago. */
  startsAt?: number;
  endsAt?: number | null;
  /** Merged over "no restriction" (all lists empty, maxMaturity adult). */
  targeting?: Partial<Targeting>;
  /** Default 100: never the limit unless a test says so. */
  frequencyCapPerDay?: number;
  kidsSafe?: boolean;
  clickThroughUrl?: string;
  /** The creative video's columns (default: ready, 15 s, titled after the campaign). */
  creative?: { title?: string; durationMs?: number; status?: "ready" | "processing" | "failed" };
  /** false: a campaign without a creative. */
  withCreative?: boolean;
  /** Push the config to the campaign object (default true, as the campaign API does on every change). */
  configure?: boolean;
}

export interface SeededCampaign {
  campaignId: string;
  creativeVideoId: string | null;
  advertiser: SeededAccount;
  config: CampaignConfig;
  row: CampaignRow;
}

export const NO_TARGETING: Targeting = {
  categories: [],
  countries: [],
  languages: [],
  devices: [],
  maxMaturity: "adult",
  excludedChannels: [],
};

/** The campaigns this test file seeded (module state: one per file). */
const seeded: string[] = [];

/**
 * Ends every campaign this file seeded (D1 and objects), so a later test's decisions only see its
 * own campaigns: call it in `afterEach` of files that decide ads.
 */
export async function endSeededCampaigns(): Promise<void> {
  const ids = seeded.splice(0);
  if (!ids.length) return;
  const rows = await testDb()
    .update(adCampaigns)
    .set({ status: "ended" })
    .where(inArray(adCampaigns.id, ids))
    .returning();
  await Promise.all(rows.map((r) => campaignObject(r.id).configure(configOf(r))));
  forgetEligibleCampaigns();
}

/** A new advertiser account with a channel (creatives live in the advertiser's channel). */
export const seedAdvertiser = (tag = "adv") => seedAccount({ tag, roles: ["advertiser"], channel: true });

/**
 * A campaign row (active unless `opts.status` says otherwise) with a ready `kind: "ad"` creative in
 * the advertiser's channel, inserted straight into D1, and its config pushed to its object.
 */
export async function seedAdvertiserCampaign(opts: SeedCampaignOptions = {}): Promise<SeededCampaign> {
  const advertiser = opts.advertiser ?? (await seedAdvertiser());
  const campaignId = newId("cmp");
  const name = opts.name ?? `Campaign ${campaignId.slice(-6)}`;
  let creativeVideoId: string | null = null;
  if (opts.withCreative !== false) {
    const status = opts.creative?.status ?? "ready";
    creativeVideoId = await insertVideo(advertiser, {
      id: newId("vid"),
      kind: "ad",
      visibility: "private",
      title: opts.creative?.title ?? `${name} spot`,
      status,
      playable: status === "ready",
      durationMs: opts.creative?.durationMs ?? 15_000,
    });
  }
  const totalBudgetCents = opts.totalBudgetCents ?? 1_000_000;
  const [row] = await testDb()
    .insert(adCampaigns)
    .values({
      id: campaignId,
      accountId: advertiser.accountId,
      name,
      status: opts.status ?? "active",
      creativeVideoId,
      clickThroughUrl: opts.clickThroughUrl ?? `https://advertiser.example/${unique("lp")}`,
      totalBudgetCents,
      dailyBudgetCents: opts.dailyBudgetCents ?? totalBudgetCents,
      cpmBidCents: opts.cpmBidCents ?? 200,
      pacing: opts.pacing ?? "asap",
      startsAt: opts.startsAt ?? Date.now() - 3_600_000,
      endsAt: opts.endsAt ?? null,
      targeting: { ...NO_TARGETING, ...opts.targeting },
      frequencyCapPerDay: opts.frequencyCapPerDay ?? 100,
      kidsSafe: opts.kidsSafe ?? false,
    })
    .returning();
  if (!row) throw new Error("seedAdvertiserCampaign: no row");
  seeded.push(campaignId);
  const config = configOf(row);
  if (opts.configure !== false) await campaignObject(campaignId).configure(config);
  // Decisions in this isolate see it at once, not within the eligible list's 2 s.
  forgetEligibleCampaigns();
  return { campaignId, creativeVideoId, advertiser, config, row };
}

/**
 * Changes a seeded campaign's row and pushes the new config to its object (what a PATCH does),
 * e.g. `{ status: "paused" }`. Answers the object's spend.
 */
export async function updateCampaign(
  campaignId: string,
  change: Partial<typeof adCampaigns.$inferInsert>,
  options: { configure?: boolean } = {},
): Promise<CampaignSpend | null> {
  const [row] = await testDb()
    .update(adCampaigns)
    .set({ ...change, updatedAt: Date.now() })
    .where(eq(adCampaigns.id, campaignId))
    .returning();
  if (!row) throw new Error(`updateCampaign: no campaign ${campaignId}`);
  forgetEligibleCampaigns();
  return options.configure === false ? null : campaignObject(campaignId).configure(configOf(row));
}

/** The campaign's object (AD_CAMPAIGNS, named by the campaign id). */
export function campaignObject(campaignId: string): DurableObjectStub<AdCampaign> {
  return env.AD_CAMPAIGNS.get(env.AD_CAMPAIGNS.idFromName(campaignId));
}

/** A viewer's frequency object (AD_FREQUENCY, named by the viewer key). */
export function frequencyObject(viewerKey: string): DurableObjectStub<AdFrequency> {
  return env.AD_FREQUENCY.get(env.AD_FREQUENCY.idFromName(viewerKey));
}

/** What decision.ts needs, from the test worker's own bindings and config. */
export const testAdServices = (): AdServices => ({ env, config: loadConfig(env), db: testDb() });

/**
 * An ad context for a signed-in adult on a desktop with no content video, a private viewer key
 * unless `extra` gives one. Tests targeting a campaign pass the matching fields.
 */
export const adContext = (extra: Partial<AdContext> = {}): AdContext => ({
  videoId: null,
  channelId: null,
  categoryId: null,
  maturity: null,
  country: null,
  language: null,
  device: "desktop",
  viewerKey: `profile:${unique("viewer")}`,
  kids: false,
  ...extra,
});

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
