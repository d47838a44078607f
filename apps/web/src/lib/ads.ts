/**
 * The ads API from the browser: campaigns, creatives, reports and the moderators' review queue
 * (docs/ads.md). The routes are newer than the generated types (api/schema.d.ts): these types are
 * written from the contract, and the calls go through the same client (bearer token, refresh,
 * problem+json → ApiProblem) without openapi-fetch's path typing. Once the types are regenerated
 * the calls can move to the typed `api` one by one.
 */
import { ApiProblem, api, must } from "../api/client";
import type { UploadPlan } from "./upload";

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
export const MATURITIES = ["kids", "teen", "adult"] as const;
export type Maturity = (typeof MATURITIES)[number];

export interface Targeting {
  categories: string[];
  countries: string[];
  languages: string[];
  devices: DeviceClass[];
  maxMaturity: Maturity;
  excludedChannels: string[];
}

export interface Creative {
  videoId: string;
  /** The video's status (uploading, queued, processing, ready, failed). */
  status: string;
  progress: number;
  durationMs: number | null;
  posterUrl: string | null;
}

export interface Campaign {
  id: string;
  name: string;
  status: CampaignStatus;
  clickThroughUrl: string;
  totalBudgetCents: number;
  dailyBudgetCents: number;
  cpmBidCents: number;
  pacing: Pacing;
  startsAt: string;
  endsAt: string | null;
  targeting: Targeting;
  frequencyCapPerDay: number;
  kidsSafe: boolean;
  reviewNote: string | null;
  creative: Creative | null;
  spend: { impressions: number; spentMillicents: number; spentCents: number; todayMillicents: number };
  createdAt: string;
  updatedAt: string;
}

export interface CampaignInput {
  name: string;
  clickThroughUrl: string;
  totalBudgetCents: number;
  dailyBudgetCents: number;
  cpmBidCents: number;
  pacing: Pacing;
  startsAt: string;
  endsAt: string | null;
  targeting: Targeting;
  frequencyCapPerDay: number;
  kidsSafe: boolean;
}

export interface ReportNumbers {
  impressions: number;
  starts: number;
  firstQuartiles: number;
  midpoints: number;
  thirdQuartiles: number;
  completes: number;
  clicks: number;
  spendMillicents: number;
  spendCents: number;
  ctr: number;
  completionRate: number;
}
export interface ReportDay extends ReportNumbers {
  day: string;
}
export interface CampaignReport {
  items: ReportDay[];
  totals: ReportNumbers;
}

export interface AdReview extends Campaign {
  advertiserAccountId: string;
  /** The creative's title, shown to viewers with the ad (null: no creative). */
  creativeTitle: string | null;
  preview: { manifestUrl: string; posterUrl: string | null } | null;
}

/** The playback response's `ad` (GET /videos/{id}/playback), before the types know it. */
export interface PlaybackAd {
  sessionId: string;
  campaignId: string;
  durationMs: number;
  title: string;
  clickUrl: string;
}

export interface ListPage<T> {
  items: T[];
  nextCursor: string | null;
}

type Result = { data?: unknown; error?: unknown; response: Response };
interface Init {
  params?: { path?: Record<string, string>; query?: Record<string, string | number> };
  body?: unknown;
}
/** The typed client, untyped: the same middleware, for paths the generated schema does not list yet. */
const raw = api as unknown as Record<
  "GET" | "POST" | "PATCH",
  (path: string, init?: Init) => Promise<Result>
>;
const call = <T>(method: "GET" | "POST" | "PATCH", path: string, init?: Init) =>
  must(raw[method](path, init)) as Promise<T>;
const withCursor = (limit: number, cursor?: string) => ({ limit, ...(cursor ? { cursor } : {}) });

export const adsApi = {
  list: (cursor?: string) =>
    call<ListPage<Campaign>>("GET", "/api/v1/ads/campaigns", { params: { query: withCursor(50, cursor) } }),
  get: (campaignId: string) =>
    call<Campaign>("GET", "/api/v1/ads/campaigns/{campaignId}", { params: { path: { campaignId } } }),
  create: (body: CampaignInput) => call<Campaign>("POST", "/api/v1/ads/campaigns", { body }),
  update: (campaignId: string, body: Partial<CampaignInput> & { status?: CampaignStatus }) =>
    call<Campaign>("PATCH", "/api/v1/ads/campaigns/{campaignId}", { params: { path: { campaignId } }, body }),
  createCreative: (campaignId: string, file: File, title?: string) =>
    call<{ video: { id: string }; upload: UploadPlan }>(
      "POST",
      "/api/v1/ads/campaigns/{campaignId}/creative",
      {
        params: { path: { campaignId } },
        body: {
          ...(title ? { title } : {}),
          upload: {
            size: file.size,
            contentType: file.type.startsWith("video/") ? file.type : "application/octet-stream",
          },
        },
      },
    ),
  report: (campaignId: string, range: { from?: string; to?: string } = {}) =>
    call<CampaignReport>("GET", "/api/v1/ads/campaigns/{campaignId}/report", {
      params: {
        path: { campaignId },
        query: { ...(range.from ? { from: range.from } : {}), ...(range.to ? { to: range.to } : {}) },
      },
    }),
  reviews: (cursor?: string) =>
    call<ListPage<AdReview>>("GET", "/api/v1/moderation/ad-reviews", {
      params: { query: withCursor(20, cursor) },
    }),
  /**
   * A moderator's decision on the version they saw: `updatedAt` is the review item's, and a campaign
   * changed since (a new click-through or creative) answers 409 instead of approving what was not seen.
   */
  review: (
    campaignId: string,
    body: { decision: "approve" | "reject"; updatedAt: string; note?: string; kidsSafe?: boolean },
  ) =>
    call<Campaign>("POST", "/api/v1/moderation/ad-reviews/{campaignId}", {
      params: { path: { campaignId } },
      body,
    }),
};

// ---- money: dollars typed as text ↔ integer cents, exactly (no floats in between) ----

/**
 * A typed amount in dollars → integer cents, by its digits: "12" → 1200, "12.5" → 1250,
 * "0.07" → 7, "1,234.56" → 123456 (grouping commas), "12,50" → 1250 (a decimal comma, as German
 * users type it). Null for anything else: more than two decimals, signs, letters, empty, or past
 * Number.MAX_SAFE_INTEGER.
 */
export function dollarsToCents(input: string): number | null {
  let s = input
    .trim()
    .replace(/^\$\s*/, "")
    .replace(/\s/g, "");
  // A lone comma followed by one or two digits at the end is a decimal comma.
  if (/^\d+,\d{1,2}$/.test(s)) s = s.replace(",", ".");
  else if (/^\d{1,3}(,\d{3})+(\.\d{1,2})?$/.test(s)) s = s.replace(/,/g, "");
  const match = /^(\d+)(?:\.(\d{0,2}))?$/.exec(s);
  if (!match) return null;
  const whole = match[1] ?? "0";
  const fraction = (match[2] ?? "").padEnd(2, "0");
  const digits = `${whole}${fraction}`.replace(/^0+(?=\d)/, "");
  const cents = Number(digits);
  return Number.isSafeInteger(cents) ? cents : null;
}

/** Integer cents → the dollars text the form shows: 1250 → "12.50", 7 → "0.07". */
export function centsToDollars(cents: number): string {
  const abs = String(Math.abs(Math.trunc(cents))).padStart(3, "0");
  return `${cents < 0 ? "-" : ""}${abs.slice(0, -2)}.${abs.slice(-2)}`;
}

/** Splits a list typed with commas or spaces ("de, at FR") into its items, trimmed, without repeats. */
export function listOf(text: string, normalise: (item: string) => string = (s) => s): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((s) => normalise(s.trim()))
        .filter(Boolean),
    ),
  ];
}

/**
 * The API's field errors by form field: `body.totalBudgetCents` → `totalBudgetCents`,
 * `body.targeting.countries.1` → `targeting.countries`. The first message per field wins.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiProblem)) return {};
  const out: Record<string, string> = {};
  for (const e of error.problem.errors ?? []) {
    if (!e.path) continue;
    const parts = e.path.split(".").filter((p) => p !== "body" && !/^\d+$/.test(p));
    const key = parts[0] === "targeting" ? parts.slice(0, 2).join(".") : (parts[0] ?? "");
    if (key && !(key in out)) out[key] = e.message;
  }
  return out;
}

/** The status chip's tone for a campaign's state. */
export const STATUS_TONE: Record<CampaignStatus, "neutral" | "info" | "success" | "warning" | "danger"> = {
  draft: "neutral",
  in_review: "info",
  active: "success",
  paused: "warning",
  ended: "neutral",
  budget_spent: "warning",
  rejected: "danger",
};

/** What the advertiser can do next from a state (the PATCH transitions the API allows). */
export function nextActions(
  c: Pick<Campaign, "status" | "creative">,
): ("submit" | "pause" | "resume" | "end")[] {
  const out: ("submit" | "pause" | "resume" | "end")[] = [];
  if ((c.status === "draft" || c.status === "rejected") && c.creative?.status === "ready") out.push("submit");
  if (c.status === "active") out.push("pause");
  if (c.status === "paused") out.push("resume");
  if (c.status !== "ended" && c.status !== "budget_spent") out.push("end");
  return out;
}

/** A creative the origin is transcoding (uploaded, queued, processing): the page polls while it is. */
export const creativeBusy = (c: Pick<Campaign, "creative"> | undefined) =>
  ["uploaded", "queued", "processing"].includes(c?.creative?.status ?? "");
