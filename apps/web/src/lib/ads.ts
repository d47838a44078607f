/**
 * The ads API from the browser: campaigns, creatives, reports and the moderators' review queue
 * (docs/ads.md), through the typed client (api/client.ts) and the types generated from the edge's
 * OpenAPI (api/schema.d.ts).
 */
import { ApiProblem, api, must } from "../api/client";
import type { components } from "../api/schema";

type Schemas = components["schemas"];
export type Campaign = Schemas["Campaign"];
export type CampaignStatus = Campaign["status"];
/** The states an advertiser may move a campaign to (PATCH `status`). */
export type CampaignStatusChange = NonNullable<Schemas["CampaignPatch"]["status"]>;
export type Creative = NonNullable<Schemas["AdCreative"]>;
export type Targeting = Schemas["AdTargeting"];
export type DeviceClass = Targeting["devices"][number];
export type Pacing = Campaign["pacing"];
export type Maturity = Targeting["maxMaturity"];
/** What the campaign form sends: every create field, defaults spelled out. */
export type CampaignInput = Required<Schemas["CampaignCreate"]>;
export type CampaignPatch = Schemas["CampaignPatch"];
export type CampaignReport = Schemas["AdReport"];
export type ReportNumbers = CampaignReport["totals"];
export type ReportDay = CampaignReport["items"][number];
export type AdReview = Schemas["AdReview"];
export type AdReviewDecision = Schemas["AdReviewDecision"];

export const DEVICE_CLASSES: readonly DeviceClass[] = ["mobile", "tablet", "desktop", "tv"];
export const PACINGS: readonly Pacing[] = ["even", "asap"];
export const MATURITIES: readonly Maturity[] = ["kids", "teen", "adult"];

const withCursor = (limit: number, cursor?: string) => ({ limit, ...(cursor ? { cursor } : {}) });

export const adsApi = {
  list: (cursor?: string) =>
    must(api.GET("/api/v1/ads/campaigns", { params: { query: withCursor(50, cursor) } })),
  get: (campaignId: string) =>
    must(api.GET("/api/v1/ads/campaigns/{campaignId}", { params: { path: { campaignId } } })),
  create: (body: CampaignInput) => must(api.POST("/api/v1/ads/campaigns", { body })),
  update: (campaignId: string, body: CampaignPatch) =>
    must(api.PATCH("/api/v1/ads/campaigns/{campaignId}", { params: { path: { campaignId } }, body })),
  createCreative: (campaignId: string, file: File, title?: string) =>
    must(
      api.POST("/api/v1/ads/campaigns/{campaignId}/creative", {
        params: { path: { campaignId } },
        body: {
          ...(title ? { title } : {}),
          upload: {
            size: file.size,
            contentType: file.type.startsWith("video/") ? file.type : "application/octet-stream",
          },
        },
      }),
    ),
  report: (campaignId: string, range: { from?: string; to?: string } = {}) =>
    must(
      api.GET("/api/v1/ads/campaigns/{campaignId}/report", {
        params: {
          path: { campaignId },
          query: { ...(range.from ? { from: range.from } : {}), ...(range.to ? { to: range.to } : {}) },
        },
      }),
    ),
  reviews: (cursor?: string) =>
    must(api.GET("/api/v1/moderation/ad-reviews", { params: { query: withCursor(20, cursor) } })),
  /**
   * A moderator's decision on the version they saw: `updatedAt` is the review item's, and a campaign
   * changed since (a new click-through or creative) answers 409 instead of approving what was not seen.
   */
  review: (campaignId: string, body: AdReviewDecision) =>
    must(api.POST("/api/v1/moderation/ad-reviews/{campaignId}", { params: { path: { campaignId } }, body })),
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
