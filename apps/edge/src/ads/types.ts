/**
 * The contract between the ads modules (docs/ads.md): the decision (decision.ts), the two Durable
 * Objects (objects/), stitching and tracking (stitch.ts, tracking.ts), VAST (vast.ts) and the
 * campaign API (campaigns.ts). Money: budgets and bids in integer cents; one impression's price in
 * integer millicents (= the CPM in cents), so every sum is exact.
 */
import type { Maturity } from "@marquee/shared";
import type { AdEventType, CampaignStatus, DeviceClass, Pacing } from "../db/schema";

/** What the campaign object needs to decide alone (pushed by campaigns.ts on every change). */
export interface CampaignConfig {
  campaignId: string;
  advertiserAccountId: string;
  status: CampaignStatus;
  totalBudgetCents: number;
  dailyBudgetCents: number;
  cpmBidCents: number;
  pacing: Pacing;
  /** ms since the epoch. */
  startsAt: number;
  endsAt: number | null;
  /**
   * The D1 row's updated_at this config was read from (ms). Two overlapping writes may push their
   * configs in either order: the object keeps the newest and ignores an older one.
   */
  updatedAt?: number;
}

export interface CampaignSpend {
  status: CampaignStatus;
  /** Billed impressions, all time. */
  impressions: number;
  spentMillicents: number;
  /** Billed today (UTC). */
  todayMillicents: number;
  /** Held by reservations that have not lapsed or been billed yet. */
  reservedMillicents: number;
}

export interface ReserveInput {
  sessionId: string;
  priceMillicents: number;
  creativeVideoId: string;
  videoId: string | null;
  channelId: string | null;
  /** Whose frequency cap the session counts against (AdFrequency's name). */
  viewerKey: string;
}

export type ReserveResult =
  | { ok: true; expiresAt: number }
  | { ok: false; reason: "not_running" | "budget" | "daily_budget" | "pacing" };

/** What the edge reports for a session: the impression bills it; the rest count once each. */
export type TrackEvent = "impression" | AdEventType;

export interface TrackResult {
  /** The events of this call that counted (first time for this session, impression billed). */
  counted: TrackEvent[];
}

/** The context of one ad request: the content it plays before and who watches. */
export interface AdContext {
  /** The content video (null: a VAST request without one). */
  videoId: string | null;
  channelId: string | null;
  categoryId: string | null;
  /** The content's rating (null: unknown → only campaigns allowing adult). */
  maturity: Maturity | null;
  /** request.cf.country, upper case, or null locally. */
  country: string | null;
  /** The profile's language (or Accept-Language's first tag for anonymous viewers). */
  language: string | null;
  device: DeviceClass;
  /** `profile:<id>` when signed in, else `anon:<hash of client address and user agent>`. */
  viewerKey: string;
  kids: boolean;
}

/** The chosen pre-roll of one ad session (reserved in both objects). */
export interface AdDecision {
  sessionId: string;
  campaignId: string;
  creativeVideoId: string;
  /** Second price, millicents (= CPM cents). */
  priceMillicents: number;
  durationMs: number;
  title: string;
  clickThroughUrl: string;
}

export type { DeviceClass, Maturity, Pacing };
