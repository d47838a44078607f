/**
 * The campaign API's shapes (docs/ads.md, "The API"): campaigns, creatives, reports and the
 * moderators' review. Money is integer cents (budgets, bids) and integer millicents (spend).
 */
import { z } from "@hono/zod-openapi";
import { MATURITY_LEVELS, VIDEO_STATUSES } from "@marquee/shared";
import { CAMPAIGN_STATUSES, DEVICE_CLASSES, PACINGS } from "../db/schema";
import { ListQuery, pageOf } from "../lib/pagination";
import { entityId } from "../lib/params";
import { SingleLineText } from "../lib/text";
import { CreatedVideo, UploadRequest } from "../videos/schemas";
import { clickThroughProblem, MAX_CLICK_THROUGH_LENGTH, normaliseClickThrough } from "./click-through";

export const CampaignParam = z.object({ campaignId: entityId("campaign") });

/** Caps that keep every sum of millicents far inside a double's exact integers (2^53). */
export const MAX_BUDGET_CENTS = 10_000_000_000;
export const MAX_CPM_CENTS = 1_000_000;
export const MAX_FREQUENCY_CAP = 100;
export const MAX_TARGETING_CATEGORIES = 50;
export const MAX_TARGETING_COUNTRIES = 250;
export const MAX_TARGETING_LANGUAGES = 50;
export const MAX_EXCLUDED_CHANNELS = 500;

const cents = (max: number, what: string) =>
  z
    .number()
    .int(`${what} is a whole number of cents`)
    .positive(`${what} is positive`)
    .max(max)
    .openapi({ description: `${what}, integer cents` });

const ClickThroughUrl = z
  .string()
  .max(MAX_CLICK_THROUGH_LENGTH)
  .superRefine((raw, ctx) => {
    const problem = clickThroughProblem(raw);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .transform(normaliseClickThrough)
  .openapi({
    description:
      "https only, ≤ 2000 characters, no user name or password, not a private address, not the platform's own host",
    example: "https://advertiser.example/landing",
  });

/** Lists are sets: duplicates collapse, so bounds count distinct values. */
const setOf = <T extends z.ZodType<string>>(item: T, max: number) =>
  z
    .array(item)
    .max(max)
    .overwrite((xs) => [...new Set(xs)]);

/** Each targeting dimension, without defaults (a patch must not reset what it does not name). */
const targetingFields = {
  categories: setOf(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "A category id"), MAX_TARGETING_CATEGORIES),
  countries: setOf(
    z.string().regex(/^[A-Z]{2}$/, "An ISO 3166-1 alpha-2 code in upper case"),
    MAX_TARGETING_COUNTRIES,
  ),
  languages: setOf(
    z.string().regex(/^[a-z]{2,3}$/, "A BCP 47 primary language tag in lower case"),
    MAX_TARGETING_LANGUAGES,
  ),
  devices: setOf(z.enum(DEVICE_CLASSES), DEVICE_CLASSES.length),
  maxMaturity: z.enum(MATURITY_LEVELS),
  excludedChannels: setOf(z.string().regex(/^[a-z]+_[a-z0-9]+$/, "A channel id"), MAX_EXCLUDED_CHANNELS),
};

export const TargetingSchema = z
  .strictObject({
    categories: targetingFields.categories.default([]),
    countries: targetingFields.countries.default([]),
    languages: targetingFields.languages.default([]),
    devices: targetingFields.devices.default([]),
    maxMaturity: targetingFields.maxMaturity.default("adult"),
    excludedChannels: targetingFields.excludedChannels.default([]),
  })
  .openapi("AdTargeting", { description: "An empty list does not restrict that dimension" });

/**
 * A patch's targeting: every dimension optional and without a default, merged into the stored
 * targeting (TargetingSchema's defaults would survive `.partial()` and silently reset the
 * dimensions the patch does not name).
 */
export const TargetingPatch = z
  .strictObject(targetingFields)
  .partial()
  .openapi("AdTargetingPatch", { description: "Only the dimensions named change; the others stay" });
export type TargetingPatch = z.infer<typeof TargetingPatch>;

const Iso = z.iso.datetime({ offset: true });

/** Every field a campaign's owner sets (create requires some; patch takes any). */
const CampaignFields = z.strictObject({
  name: SingleLineText(1, 100),
  clickThroughUrl: ClickThroughUrl,
  totalBudgetCents: cents(MAX_BUDGET_CENTS, "The total budget"),
  dailyBudgetCents: cents(MAX_BUDGET_CENTS, "The daily budget"),
  cpmBidCents: cents(MAX_CPM_CENTS, "The CPM bid"),
  pacing: z.enum(PACINGS),
  startsAt: Iso,
  endsAt: Iso.nullable(),
  targeting: TargetingSchema,
  frequencyCapPerDay: z.number().int().min(1).max(MAX_FREQUENCY_CAP),
  kidsSafe: z.boolean(),
});

export const CampaignCreate = CampaignFields.extend({
  pacing: z.enum(PACINGS).default("even"),
  startsAt: Iso.optional().openapi({ description: "Default: now" }),
  endsAt: Iso.nullable().default(null),
  targeting: TargetingSchema.default({
    categories: [],
    countries: [],
    languages: [],
    devices: [],
    maxMaturity: "adult",
    excludedChannels: [],
  }),
  frequencyCapPerDay: z.number().int().min(1).max(MAX_FREQUENCY_CAP).default(3),
  kidsSafe: z.boolean().default(false),
})
  .refine((c) => c.dailyBudgetCents <= c.totalBudgetCents, {
    message: "The daily budget is at most the total budget",
    path: ["dailyBudgetCents"],
  })
  .refine(
    (c) => c.endsAt === null || Date.parse(c.endsAt) > (c.startsAt ? Date.parse(c.startsAt) : Date.now()),
    {
      message: "The end is after the start",
      path: ["endsAt"],
    },
  )
  .openapi("CampaignCreate");
export type CampaignCreate = z.infer<typeof CampaignCreate>;

/** Statuses an owner may ask for (approval is the moderators' review). */
export const OWNER_STATUSES = ["in_review", "active", "paused", "ended"] as const;

/** Any create field, plus a status change; cross-field rules are checked on the merged campaign. */
export const CampaignPatch = CampaignFields.extend({
  targeting: TargetingPatch,
  status: z.enum(OWNER_STATUSES),
})
  .partial()
  .refine((p) => Object.keys(p).length > 0, "Send at least one field to change")
  .openapi("CampaignPatch");
export type CampaignPatch = z.infer<typeof CampaignPatch>;

export const CreativeSchema = z
  .object({
    videoId: z.string(),
    status: z.enum(VIDEO_STATUSES),
    progress: z.number().int(),
    durationMs: z.number().int().nullable(),
    posterUrl: z.string().nullable(),
  })
  .openapi("AdCreative");

export const SpendSchema = z
  .object({
    impressions: z.number().int(),
    spentMillicents: z.number().int(),
    spentCents: z.number().int().openapi({ description: "floor(spentMillicents / 1000)" }),
    todayMillicents: z.number().int(),
  })
  .openapi("AdSpend");

const campaignShape = {
  id: z.string(),
  name: z.string(),
  status: z.enum(CAMPAIGN_STATUSES),
  clickThroughUrl: z.string(),
  totalBudgetCents: z.number().int(),
  dailyBudgetCents: z.number().int(),
  cpmBidCents: z.number().int(),
  pacing: z.enum(PACINGS),
  startsAt: z.string(),
  endsAt: z.string().nullable(),
  targeting: z.object({
    categories: z.array(z.string()),
    countries: z.array(z.string()),
    languages: z.array(z.string()),
    devices: z.array(z.enum(DEVICE_CLASSES)),
    maxMaturity: z.enum(MATURITY_LEVELS),
    excludedChannels: z.array(z.string()),
  }),
  frequencyCapPerDay: z.number().int(),
  kidsSafe: z.boolean(),
  reviewNote: z.string().nullable(),
  creative: CreativeSchema.nullable(),
  spend: SpendSchema,
  createdAt: z.string(),
  updatedAt: z.string(),
};

export const CampaignSchema = z.object(campaignShape).openapi("Campaign");
export const CampaignPage = pageOf("CampaignPage", CampaignSchema);

export const CreativeCreate = z
  .strictObject({
    title: SingleLineText(1, 100).optional().openapi({ description: "Default: the campaign's name" }),
    upload: UploadRequest,
  })
  .openapi("AdCreativeCreate");
export type CreativeCreate = z.infer<typeof CreativeCreate>;
export { CreatedVideo };

export const MAX_REPORT_DAYS = 92;
export const DEFAULT_REPORT_DAYS = 14;
const Day = z.iso.date().openapi({ description: "A UTC day, YYYY-MM-DD" });

export const ReportQuery = z.object({ from: Day.optional(), to: Day.optional() }).openapi("AdReportQuery", {
  description: `At most ${MAX_REPORT_DAYS} days; default the last ${DEFAULT_REPORT_DAYS} (UTC) up to today`,
});
export type ReportQuery = z.infer<typeof ReportQuery>;

const reportFields = {
  impressions: z.number().int(),
  starts: z.number().int(),
  firstQuartiles: z.number().int(),
  midpoints: z.number().int(),
  thirdQuartiles: z.number().int(),
  completes: z.number().int(),
  clicks: z.number().int(),
  spendMillicents: z.number().int(),
  spendCents: z.number().int(),
  ctr: z.number().min(0).max(1).openapi({ description: "clicks / impressions (0 without impressions)" }),
  completionRate: z.number().min(0).max(1).openapi({ description: "completes / impressions" }),
};

export const ReportSchema = z
  .object({
    items: z.array(z.object({ day: z.string(), ...reportFields })),
    totals: z.object(reportFields),
  })
  .openapi("AdReport");

export const ReviewSchema = z
  .object({
    ...campaignShape,
    advertiserAccountId: z.string(),
    creativeTitle: z
      .string()
      .nullable()
      .openapi({ description: "The creative's title, shown to viewers with the ad (null: no creative)" }),
    preview: z.object({ manifestUrl: z.string(), posterUrl: z.string() }).nullable(),
  })
  .openapi("AdReview");
export const ReviewPage = pageOf("AdReviewPage", ReviewSchema);
export const ReviewListQuery = ListQuery;

export const ReviewDecision = z
  .strictObject({
    decision: z.enum(["approve", "reject"]),
    updatedAt: Iso.openapi({
      description:
        "The campaign's updatedAt as the moderator saw it (the review item's): 409 when it changed since",
    }),
    note: SingleLineText(1, 500).optional(),
    kidsSafe: z.boolean().optional().openapi({
      description:
        "The moderator's call on kids profiles; required to approve a campaign that claims to be kids-safe",
    }),
  })
  .openapi("AdReviewDecision");
export type ReviewDecision = z.infer<typeof ReviewDecision>;
