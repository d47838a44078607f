/**
 * The review queue's, the strikes' and the appeals' wire shapes (docs/moderation.md). Times are
 * epoch milliseconds, as in the rest of the staff API (payouts/schemas.ts).
 */
import { z } from "@hono/zod-openapi";
import {
  APPEAL_STATES,
  CASE_STATES,
  CHANNEL_MODERATION_STATES,
  DECISIONS,
  MODERATION_TEXT_MAX,
  REPORT_REASONS,
  REPORT_STATES,
  REPORT_TARGET_TYPES,
  STRIKE_KINDS,
} from "@marquee/shared";
import { ListQuery, pageOf } from "../lib/pagination";
import { entityId } from "../lib/params";

const Ms = z.number().int();
const Note = z.string().trim().max(MODERATION_TEXT_MAX);

export const CaseParam = z.object({ caseId: entityId("case") });
export const AppealParam = z.object({ appealId: entityId("appeal") });
export const StrikeParam = z.object({ strikeId: entityId("strike") });

/** GET /moderation/cases: every filter optional; without `state`, the cases still to decide. */
export const CaseQuery = ListQuery.extend({
  state: z.enum(CASE_STATES).optional(),
  targetType: z.enum(REPORT_TARGET_TYPES).optional(),
  /** Cases with at least one report of this reason. */
  reason: z.enum(REPORT_REASONS).optional(),
  /** Cases first reported at least this many hours ago. */
  olderThanHours: z.coerce
    .number()
    .int()
    .min(0)
    .max(24 * 3650)
    .optional(),
});
export type CaseQuery = z.infer<typeof CaseQuery>;

export const CaseSchema = z
  .object({
    id: z.string(),
    targetType: z.enum(REPORT_TARGET_TYPES),
    targetId: z.string(),
    ownerAccountId: z.string(),
    state: z.enum(CASE_STATES),
    openReports: z.number().int(),
    weight: z.number().int(),
    firstReportedAt: Ms,
    lastReportedAt: Ms,
    /** When auto-hide hid the target pending review (null: still listed). */
    hiddenAt: Ms.nullable(),
    claimedBy: z.string().nullable(),
    /** A claim past this time has lapsed: anyone may claim the case. */
    claimExpiresAt: Ms.nullable(),
    decision: z.enum(DECISIONS).nullable(),
    decidedBy: z.string().nullable(),
    decidedAt: Ms.nullable(),
    note: z.string().nullable(),
  })
  .openapi("ModerationCase");
export const CasePage = pageOf("ModerationCasePage", CaseSchema);

export const CaseReport = z
  .object({
    id: z.string(),
    reporterAccountId: z.string(),
    reason: z.enum(REPORT_REASONS),
    text: z.string(),
    atSeconds: z.number().nullable(),
    weight: z.number().int(),
    state: z.enum(REPORT_STATES),
    outcome: z.enum(DECISIONS).nullable(),
    createdAt: Ms,
  })
  .openapi("ModerationCaseReport");

/** What a moderator needs to see of the target, whatever its type (null fields do not apply). */
export const TargetSummary = z
  .object({
    type: z.enum(REPORT_TARGET_TYPES),
    id: z.string(),
    exists: z.boolean(),
    /** A video's or channel's title/name, a comment's text. */
    title: z.string().nullable(),
    /** visible|held|removed (video), active|held|suspended (channel), the comment's status. */
    state: z.string().nullable(),
    /** The video a comment is on; the video itself for a video. */
    videoId: z.string().nullable(),
    channelId: z.string().nullable(),
    maturity: z.string().nullable(),
    demonetised: z.boolean().nullable(),
  })
  .openapi("ModerationTarget");

export const AppealSummary = z.object({ id: z.string(), state: z.enum(APPEAL_STATES) });

export const StrikeSchema = z
  .object({
    id: z.string(),
    channelId: z.string(),
    caseId: z.string().nullable(),
    kind: z.enum(STRIKE_KINDS),
    /** 1, 2, 3… among the channel's active strikes when issued; 0 for a warning. */
    ordinal: z.number().int(),
    reason: z.enum(REPORT_REASONS),
    note: z.string().nullable(),
    issuedAt: Ms,
    expiresAt: Ms,
    freezeUntil: Ms.nullable(),
    liftedAt: Ms.nullable(),
    /** Not lifted and not expired. */
    active: z.boolean(),
    appeal: AppealSummary.nullable(),
    /**
     * POST …/appeal would be accepted now: not yet appealed, not lifted, and active — or expired
     * while the channel is still suspended by strikes (appealing it is the way back).
     */
    appealable: z.boolean(),
  })
  .openapi("Strike");

export const CaseDetail = z
  .object({
    case: CaseSchema,
    reports: z.array(CaseReport),
    target: TargetSummary,
    /** The target owner's active strikes and warnings (their channel's). */
    ownerStrikes: z.array(StrikeSchema),
  })
  .openapi("ModerationCaseDetail");

export const DecisionBody = z
  .strictObject({
    decision: z.enum(DECISIONS),
    note: Note.optional(),
    /** age_restrict only: the rating the video is raised to (default adult). */
    maturity: z.enum(["teen", "adult"]).optional(),
  })
  .openapi("ModerationDecision");
export type DecisionBody = z.infer<typeof DecisionBody>;

export const DecisionResult = z
  .object({
    case: CaseSchema,
    /** The strike or warning the decision issued (decision `strike`), else null. */
    strike: StrikeSchema.nullable(),
  })
  .openapi("ModerationDecisionResult");

export const StrikePage = pageOf("StrikePage", StrikeSchema, {
  /** Uploads are refused until then (null: not frozen). */
  frozenUntil: Ms.nullable(),
  channelState: z.enum(CHANNEL_MODERATION_STATES),
  activeStrikes: z.number().int(),
});

export const AppealBody = z
  .strictObject({ text: z.string().trim().min(1).max(MODERATION_TEXT_MAX) })
  .openapi("AppealCreate");

export const AppealSchema = z
  .object({
    id: z.string(),
    strikeId: z.string(),
    accountId: z.string(),
    text: z.string(),
    state: z.enum(APPEAL_STATES),
    /** Who issued the strike: never the one who decides the appeal. */
    strikeDecidedBy: z.string(),
    claimedBy: z.string().nullable(),
    claimExpiresAt: Ms.nullable(),
    decidedBy: z.string().nullable(),
    decidedAt: Ms.nullable(),
    note: z.string().nullable(),
    createdAt: Ms,
  })
  .openapi("Appeal");
export const AppealPage = pageOf("AppealPage", AppealSchema);

/**
 * The creator's view of their own appeal (POST /me/strikes/{strikeId}/appeal): the staff view without
 * who issued the strike, who holds the appeal or who decided it — moderators stay anonymous to the
 * people they rule on.
 */
export const MyAppealSchema = AppealSchema.omit({
  strikeDecidedBy: true,
  claimedBy: true,
  claimExpiresAt: true,
  decidedBy: true,
}).openapi("MyAppeal");

export const AppealQuery = ListQuery.extend({ state: z.enum(APPEAL_STATES).optional() });
export type AppealQuery = z.infer<typeof AppealQuery>;

export const AppealDecisionBody = z
  .strictObject({ grant: z.boolean(), note: Note.optional() })
  .openapi("AppealDecision");
export type AppealDecisionBody = z.infer<typeof AppealDecisionBody>;
