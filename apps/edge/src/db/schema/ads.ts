import type { Maturity } from "@marquee/shared";
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { accountRef } from "./accounts";
import { timestamps } from "./columns";

/**
 * The ads domain (docs/ads.md). Money: budgets and bids are integer cents; the price of one
 * impression is integer **millicents** (thousandths of a cent), which is exactly "CPM in cents"
 * (a CPM of 250 cents = 250 millicents per impression), so every price and sum is exact.
 */
export const CAMPAIGN_STATUSES = [
  "draft",
  "in_review",
  "active",
  "paused",
  "ended",
  "budget_spent",
  "rejected",
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

export const DEVICE_CLASSES = ["mobile", "tablet", "desktop", "tv"] as const;
export type DeviceClass = (typeof DEVICE_CLASSES)[number];

export const PACINGS = ["even", "asap"] as const;
export type Pacing = (typeof PACINGS)[number];

/** Empty list = no restriction on that dimension. */
export interface Targeting {
  /** The watched video's category (contextual). */
  categories: string[];
  /** ISO 3166-1 alpha-2, upper case, from the request's country (request.cf.country). */
  countries: string[];
  /** The profile's language (BCP 47 primary tag, lower case). */
  languages: string[];
  devices: DeviceClass[];
  /** The most mature content the ad may run before (brand safety); default adult. */
  maxMaturity: Maturity;
  excludedChannels: string[];
}

export const adCampaigns = sqliteTable(
  "ad_campaigns",
  {
    id: text("id").primaryKey(),
    accountId: accountRef(),
    name: text("name").notNull(),
    status: text("status").$type<CampaignStatus>().notNull().default("draft"),
    /** A video of kind `ad` owned by the same account (null until uploaded). */
    creativeVideoId: text("creative_video_id"),
    clickThroughUrl: text("click_through_url").notNull(),
    totalBudgetCents: integer("total_budget_cents").notNull(),
    dailyBudgetCents: integer("daily_budget_cents").notNull(),
    cpmBidCents: integer("cpm_bid_cents").notNull(),
    pacing: text("pacing").$type<Pacing>().notNull().default("even"),
    /** ms since the epoch. */
    startsAt: integer("starts_at").notNull(),
    endsAt: integer("ends_at"),
    targeting: text("targeting", { mode: "json" }).$type<Targeting>().notNull(),
    frequencyCapPerDay: integer("frequency_cap_per_day").notNull(),
    /** Set by the advertiser, confirmed by the reviewing moderator: may run for kids profiles. */
    kidsSafe: integer("kids_safe", { mode: "boolean" }).notNull().default(false),
    /**
     * The owner had paused the campaign when a change sent it back to review: approval returns it
     * to `paused` (the advertiser resumes it), never straight to `active`.
     */
    pausedBeforeReview: integer("paused_before_review", { mode: "boolean" }).notNull().default(false),
    reviewNote: text("review_note"),
    reviewedBy: text("reviewed_by"),
    reviewedAt: integer("reviewed_at"),
    /** Mirror of the campaign object's spend (the object is the truth), for lists and reports. */
    spentMillicents: integer("spent_millicents").notNull().default(0),
    ...timestamps(),
  },
  (t) => [
    index("ad_campaigns_account_idx").on(t.accountId, t.createdAt),
    index("ad_campaigns_status_idx").on(t.status),
  ],
);

/**
 * Revenue facts: one row per billable impression (ad session), written once by the campaign object
 * (INSERT OR IGNORE on the session id). The payouts issue sums `price_millicents` per channel and period.
 */
export const adImpressions = sqliteTable(
  "ad_impressions",
  {
    sessionId: text("session_id").primaryKey(),
    campaignId: text("campaign_id").notNull(),
    advertiserAccountId: text("advertiser_account_id").notNull(),
    creativeVideoId: text("creative_video_id").notNull(),
    /** The content the ad ran before (null for a VAST request without one). */
    videoId: text("video_id"),
    channelId: text("channel_id"),
    priceMillicents: integer("price_millicents").notNull(),
    /** ms since the epoch, the campaign object's clock when it billed. */
    servedAt: integer("served_at").notNull(),
    /** UTC day of servedAt, YYYY-MM-DD. */
    day: text("day").notNull(),
    /**
     * When D1 stored the row (SQL clock in the inserting statement, see payouts/facts.ts): the
     * payout period it belongs to. The outbox may deliver late; a late fact lands in the next period.
     * Null only for rows from before migration 0013 (backfilled from served_at).
     */
    recordedAt: integer("recorded_at"),
  },
  (t) => [
    index("ad_impressions_recorded_idx").on(t.recordedAt, t.channelId),
    index("ad_impressions_campaign_day_idx").on(t.campaignId, t.day),
    index("ad_impressions_channel_day_idx").on(t.channelId, t.day),
  ],
);

export const AD_EVENT_TYPES = [
  "start",
  "firstQuartile",
  "midpoint",
  "thirdQuartile",
  "complete",
  "click",
] as const;
export type AdEventType = (typeof AD_EVENT_TYPES)[number];

/** Tracking beyond the impression, once per session and type. */
export const adEvents = sqliteTable(
  "ad_events",
  {
    sessionId: text("session_id").notNull(),
    campaignId: text("campaign_id").notNull(),
    type: text("type").$type<AdEventType>().notNull(),
    at: integer("at").notNull(),
    day: text("day").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.sessionId, t.type] }),
    index("ad_events_campaign_day_idx").on(t.campaignId, t.day),
  ],
);

/** Daily rollup per campaign, recomputed from the facts (idempotent). */
export const adCampaignDaily = sqliteTable(
  "ad_campaign_daily",
  {
    day: text("day").notNull(),
    campaignId: text("campaign_id").notNull(),
    impressions: integer("impressions").notNull().default(0),
    starts: integer("starts").notNull().default(0),
    firstQuartiles: integer("first_quartiles").notNull().default(0),
    midpoints: integer("midpoints").notNull().default(0),
    thirdQuartiles: integer("third_quartiles").notNull().default(0),
    completes: integer("completes").notNull().default(0),
    clicks: integer("clicks").notNull().default(0),
    spendMillicents: integer("spend_millicents").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.campaignId, t.day] })],
);

/** Daily rollup per channel of the content the ads ran before: the creators' ad revenue facts. */
export const adChannelDaily = sqliteTable(
  "ad_channel_daily",
  {
    day: text("day").notNull(),
    channelId: text("channel_id").notNull(),
    impressions: integer("impressions").notNull().default(0),
    revenueMillicents: integer("revenue_millicents").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.day] })],
);
