import type {
  AppealState,
  CaseState,
  Decision,
  ReportReason,
  ReportState,
  ReportTargetType,
  Role,
  StrikeKind,
} from "@marquee/shared";
import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { accountRef } from "./accounts";
import { channelRef } from "./channels";
import { now, timestamps } from "./columns";

/**
 * Trust and safety (docs/moderation.md). A report names a target (video, comment or channel); the
 * reports of one target under review gather in one case, which one moderator claims and decides.
 */
export const moderationCases = sqliteTable(
  "moderation_cases",
  {
    id: text("id").primaryKey(),
    targetType: text("target_type").$type<ReportTargetType>().notNull(),
    targetId: text("target_id").notNull(),
    /** The account that owns the target (the video's, the comment author's, the channel's). */
    ownerAccountId: text("owner_account_id").notNull(),
    state: text("state").$type<CaseState>().notNull().default("open"),
    /** Open reports and their summed weight (trusted flaggers count more). */
    openReports: integer("open_reports").notNull().default(0),
    weight: integer("weight").notNull().default(0),
    firstReportedAt: integer("first_reported_at").notNull(),
    lastReportedAt: integer("last_reported_at").notNull(),
    /** Set when the weighted reports in the window reached the threshold and the target was hidden. */
    hiddenAt: integer("hidden_at"),
    claimedBy: text("claimed_by"),
    claimedAt: integer("claimed_at"),
    claimExpiresAt: integer("claim_expires_at"),
    decision: text("decision").$type<Decision>(),
    decidedBy: text("decided_by"),
    decidedAt: integer("decided_at"),
    note: text("note"),
    ...timestamps(),
  },
  (t) => [
    // One case under review per target: a report on a target whose case is decided opens a new one.
    uniqueIndex("moderation_cases_open_target_unique")
      .on(t.targetType, t.targetId)
      .where(sql`state != 'decided'`),
    index("moderation_cases_queue_idx").on(t.state, t.firstReportedAt),
    index("moderation_cases_owner_idx").on(t.ownerAccountId),
  ],
);

export const reports = sqliteTable(
  "reports",
  {
    id: text("id").primaryKey(),
    caseId: text("case_id").notNull(),
    reporterAccountId: accountRef(),
    /** The profile that reported, told the outcome; null once that profile is deleted. */
    reporterProfileId: text("reporter_profile_id"),
    targetType: text("target_type").$type<ReportTargetType>().notNull(),
    targetId: text("target_id").notNull(),
    reason: text("reason").$type<ReportReason>().notNull(),
    text: text("text").notNull().default(""),
    /** Position in the video the report points at, milliseconds (videos only). */
    atMs: integer("at_ms"),
    weight: integer("weight").notNull().default(1),
    state: text("state").$type<ReportState>().notNull().default("open"),
    /** The decision that closed it. */
    outcome: text("outcome").$type<Decision>(),
    resolvedAt: integer("resolved_at"),
    createdAt: integer("created_at").notNull().default(now),
  },
  (t) => [
    // One open report per reporter and target (a second is a 409).
    uniqueIndex("reports_open_unique")
      .on(t.reporterAccountId, t.targetType, t.targetId)
      .where(sql`state = 'open'`),
    index("reports_case_idx").on(t.caseId, t.state),
    index("reports_reporter_idx").on(t.reporterAccountId, t.createdAt),
  ],
);

/**
 * A strike or a warning on a channel. Active = not lifted and not expired. Uploads are frozen until
 * the latest active strike's `freezeUntil`; `strikesToSuspend` active strikes suspend the channel.
 */
export const strikes = sqliteTable(
  "strikes",
  {
    id: text("id").primaryKey(),
    channelId: channelRef(),
    accountId: accountRef(),
    caseId: text("case_id"),
    kind: text("kind").$type<StrikeKind>().notNull(),
    /** Ordinal among the channel's active strikes when issued (1, 2, 3…); 0 for a warning. */
    ordinal: integer("ordinal").notNull(),
    reason: text("reason").$type<ReportReason>().notNull(),
    note: text("note"),
    decidedBy: text("decided_by").notNull(),
    issuedAt: integer("issued_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    freezeUntil: integer("freeze_until"),
    liftedAt: integer("lifted_at"),
    liftedBy: text("lifted_by"),
  },
  (t) => [
    index("strikes_channel_idx").on(t.channelId, t.issuedAt),
    index("strikes_account_idx").on(t.accountId),
  ],
);

/** One appeal per strike; decided by a moderator other than the one who issued the strike. */
export const appeals = sqliteTable(
  "appeals",
  {
    id: text("id").primaryKey(),
    strikeId: text("strike_id")
      .notNull()
      .references(() => strikes.id, { onDelete: "cascade" }),
    accountId: accountRef(),
    text: text("text").notNull(),
    state: text("state").$type<AppealState>().notNull().default("open"),
    /** Who issued the strike: never the one who decides the appeal. */
    strikeDecidedBy: text("strike_decided_by").notNull(),
    claimedBy: text("claimed_by"),
    claimedAt: integer("claimed_at"),
    claimExpiresAt: integer("claim_expires_at"),
    decidedBy: text("decided_by"),
    decidedAt: integer("decided_at"),
    note: text("note"),
    ...timestamps(),
  },
  (t) => [
    uniqueIndex("appeals_strike_unique").on(t.strikeId),
    index("appeals_state_idx").on(t.state, t.createdAt),
  ],
);

/**
 * The audit log: append-only (triggers refuse UPDATE of a sealed row and every DELETE), no foreign
 * keys (an erased account's actions stay on record under its id). Rows are inserted in the batch of
 * the action they record, unsealed (hash null); `sealAudit` then chains them in `seq` order:
 * hash = SHA-256(prev_hash + canonical row). See docs/moderation.md.
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    seq: integer("seq").primaryKey({ autoIncrement: true }),
    at: integer("at").notNull(),
    /** Null for the system (a cron, the origin's payout run). */
    actorAccountId: text("actor_account_id"),
    actorRoles: text("actor_roles", { mode: "json" }).$type<Role[] | ["system"] | ["origin"]>().notNull(),
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id").notNull(),
    before: text("before", { mode: "json" }).$type<unknown>(),
    after: text("after", { mode: "json" }).$type<unknown>(),
    reason: text("reason"),
    requestId: text("request_id"),
    prevHash: text("prev_hash"),
    hash: text("hash"),
  },
  (t) => [
    index("audit_log_action_idx").on(t.action, t.seq),
    index("audit_log_actor_idx").on(t.actorAccountId, t.seq),
    index("audit_log_target_idx").on(t.targetType, t.targetId, t.seq),
    index("audit_log_unsealed_idx").on(t.seq).where(sql`hash IS NULL`),
  ],
);

/** Every version of the dynamic settings ever written, so any can be rolled back to. KV holds the current one. */
export const settingsVersions = sqliteTable("settings_versions", {
  version: integer("version").primaryKey(),
  value: text("value", { mode: "json" }).$type<unknown>().notNull(),
  changedBy: text("changed_by").notNull(),
  reason: text("reason"),
  createdAt: integer("created_at").notNull().default(now),
});
