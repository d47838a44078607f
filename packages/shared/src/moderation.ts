import { z } from "zod";

/**
 * Trust and safety (docs/moderation.md): the closed vocabularies the edge, the web client and the
 * tests share, and the dynamic settings' schema (kept in KV, changed through /admin/config).
 */

/** Why something is reported; the order is the dialog's. */
export const REPORT_REASONS = [
  "violent_or_repulsive",
  "hateful_or_abusive",
  "harassment",
  "spam_or_misleading",
  "child_sexual_abuse",
  "privacy",
  "copyright",
  "other",
] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];

export const REPORT_TARGET_TYPES = ["video", "comment", "channel"] as const;
export type ReportTargetType = (typeof REPORT_TARGET_TYPES)[number];

/** A report is open until its case is decided: upheld (any action but dismiss) or dismissed. */
export const REPORT_STATES = ["open", "upheld", "dismissed"] as const;
export type ReportState = (typeof REPORT_STATES)[number];

/** One case per target under review; claimed by one moderator at a time; decided once. */
export const CASE_STATES = ["open", "claimed", "decided"] as const;
export type CaseState = (typeof CASE_STATES)[number];

/** What a moderator may decide on a case. `strike` removes the content and strikes its channel. */
export const DECISIONS = ["dismiss", "remove", "age_restrict", "demonetise", "strike"] as const;
export type Decision = (typeof DECISIONS)[number];

export const STRIKE_KINDS = ["warning", "strike"] as const;
export type StrikeKind = (typeof STRIKE_KINDS)[number];

export const APPEAL_STATES = ["open", "claimed", "granted", "denied"] as const;
export type AppealState = (typeof APPEAL_STATES)[number];

/** Moderation state of a video: `held` = auto-hidden pending review; `removed` = taken down. */
export const VIDEO_MODERATION_STATES = ["visible", "held", "removed"] as const;
export type VideoModerationState = (typeof VIDEO_MODERATION_STATES)[number];

/** Moderation state of a channel: `held` pending review; `suspended` by three strikes or a removal. */
export const CHANNEL_MODERATION_STATES = ["active", "held", "suspended"] as const;
export type ChannelModerationState = (typeof CHANNEL_MODERATION_STATES)[number];

/** Longest free text of a report, an appeal, a moderator's note or an audit reason. */
export const MODERATION_TEXT_MAX = 2000;

/** Feature flags: a closed list, each on for a percentage of accounts (stable per account). */
export const FLAG_NAMES = ["reports", "appeals"] as const;
export type FlagName = (typeof FLAG_NAMES)[number];

const pct = z.number().int().min(0).max(100);
const FlagSchema = z.strictObject({ enabled: z.boolean(), rolloutPct: pct });

/**
 * The dynamic settings: typed, validated on every write (the field at fault is named), kept in KV.
 * Every field has a default, so an empty KV (a fresh deployment) is a valid configuration.
 */
export const DynamicSettingsSchema = z.strictObject({
  reports: z
    .strictObject({
      /** Weighted distinct reporters within `windowHours` that hide a target pending review. */
      autoHideThreshold: z.number().int().min(1).max(1000).default(3),
      windowHours: z
        .number()
        .int()
        .min(1)
        .max(24 * 30)
        .default(24),
      /** Reports one account may file per hour. */
      perAccountPerHour: z.number().int().min(1).max(1000).default(20),
      /** Weight of a trusted flagger's report (moderators, admins, or a good reputation). */
      trustedWeight: z.number().int().min(1).max(10).default(2),
      /** Reputation: at least this many decided reports, and this share of them upheld. */
      reputationMinDecided: z.number().int().min(1).max(1000).default(5),
      reputationMinUpheldPct: pct.default(80),
    })
    .default({
      autoHideThreshold: 3,
      windowHours: 24,
      perAccountPerHour: 20,
      trustedWeight: 2,
      reputationMinDecided: 5,
      reputationMinUpheldPct: 80,
    }),
  moderation: z
    .strictObject({
      /** A claim lapses after this long, so an item a moderator walked away from returns to the queue. */
      claimMinutes: z
        .number()
        .int()
        .min(1)
        .max(24 * 60)
        .default(30),
      strikeExpiryDays: z.number().int().min(1).max(3650).default(90),
      firstFreezeDays: z.number().int().min(0).max(365).default(7),
      secondFreezeDays: z.number().int().min(0).max(365).default(14),
      strikesToSuspend: z.number().int().min(1).max(10).default(3),
    })
    .default({
      claimMinutes: 30,
      strikeExpiryDays: 90,
      firstFreezeDays: 7,
      secondFreezeDays: 14,
      strikesToSuspend: 3,
    }),
  billing: z
    .strictObject({
      /** How long a past-due subscription keeps its plan (replaces BILLING_PAST_DUE_GRACE_SECONDS when set). */
      pastDueGraceSeconds: z
        .number()
        .int()
        .min(0)
        .max(30 * 86_400)
        .optional(),
    })
    .default({}),
  ads: z
    .strictObject({
      floorCpmCents: z.number().int().min(1).max(1_000_000).optional(),
    })
    .default({}),
  payouts: z
    .strictObject({
      creatorAdSharePct: pct.optional(),
      premiumPoolPct: pct.optional(),
    })
    .default({}),
  flags: z
    .strictObject(
      Object.fromEntries(
        FLAG_NAMES.map((f) => [f, FlagSchema.default({ enabled: true, rolloutPct: 100 })]),
      ) as Record<FlagName, z.ZodDefault<typeof FlagSchema>>,
    )
    .default(
      Object.fromEntries(FLAG_NAMES.map((f) => [f, { enabled: true, rolloutPct: 100 }])) as Record<
        FlagName,
        { enabled: boolean; rolloutPct: number }
      >,
    ),
});
export type DynamicSettings = z.output<typeof DynamicSettingsSchema>;
export type DynamicSettingsInput = z.input<typeof DynamicSettingsSchema>;

/**
 * Every action the audit log records (docs/moderation.md). `system` and `origin` act without an
 * account (auto-hide, strike expiry sweeps, the origin's payout run).
 */
export const AUDIT_ACTIONS = [
  "moderation.auto_hide",
  "moderation.case.claim",
  "moderation.case.release",
  "moderation.case.decide",
  "moderation.strike.issue",
  "moderation.channel.suspend",
  "moderation.channel.restore",
  "moderation.appeal.claim",
  "moderation.appeal.decide",
  "moderation.comment",
  "moderation.video.delete",
  "admin.roles.set",
  "admin.user.suspend",
  "admin.user.restore",
  "admin.plan.update",
  "admin.category.create",
  "admin.category.update",
  "admin.category.delete",
  "admin.watched_words.set",
  "ads.review",
  "config.update",
  "config.rollback",
  "payouts.run",
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];
