/**
 * The moderators' side of trust and safety (docs/moderation.md): the review queue, a case and its
 * decision, and the appeals queue. Also the pure pieces the pages use (query building, claim state,
 * the 409 of a lost claim), unit-tested in moderation.test.ts.
 *
 * The wire types are the generated schema's (api/schema.d.ts, from the edge's route declarations).
 * Times on these routes are epoch milliseconds.
 */
import type {
  Decision,
  ReportReason,
  ReportTargetType,
  AppealState as SharedAppealState,
  CaseState as SharedCaseState,
} from "@marquee/shared";
import { ApiProblem, api, must } from "../api/client";
import type { components } from "../api/schema";

type Schemas = components["schemas"];
export type ModerationCase = Schemas["ModerationCase"];
export type CaseDetail = Schemas["ModerationCaseDetail"];
export type CaseReport = Schemas["ModerationCaseReport"];
export type CaseTarget = Schemas["ModerationTarget"];
export type Strike = Schemas["Strike"];
export type Appeal = Schemas["Appeal"];
export type CaseState = ModerationCase["state"];
export type AppealState = Appeal["state"];

export type { Decision, ReportReason, ReportTargetType };

/**
 * The closed vocabularies of @marquee/shared, written out: its module also builds the zod settings
 * schema when loaded, and importing it would put zod in these pages' chunks. Each list is a record
 * of every value (a value added to or dropped from the shared list is a type error here), in the
 * shared list's order (moderation.test.ts compares them).
 */
const everyOf = <T extends string>(all: Record<T, true>): T[] => Object.keys(all) as T[];
export const REPORT_REASONS = everyOf<ReportReason>({
  violent_or_repulsive: true,
  hateful_or_abusive: true,
  harassment: true,
  spam_or_misleading: true,
  child_sexual_abuse: true,
  privacy: true,
  copyright: true,
  other: true,
});
export const REPORT_TARGET_TYPES = everyOf<ReportTargetType>({ video: true, comment: true, channel: true });
export const CASE_STATES = everyOf<SharedCaseState & CaseState>({ open: true, claimed: true, decided: true });
export const DECISIONS = everyOf<Decision>({
  dismiss: true,
  remove: true,
  age_restrict: true,
  demonetise: true,
  strike: true,
});
export const APPEAL_STATES = everyOf<SharedAppealState & AppealState>({
  open: true,
  claimed: true,
  granted: true,
  denied: true,
});

/** The queue's filters as the page holds them ("" = any). */
export interface QueueFilters {
  reason: ReportReason | "";
  targetType: ReportTargetType | "";
  state: CaseState | "";
  /** Cases first reported at least this many hours ago ("" = any age). */
  olderThanHours: string;
}

export const NO_FILTERS: QueueFilters = { reason: "", targetType: "", state: "", olderThanHours: "" };

/** The ages the queue's filter offers, in hours. */
export const AGE_CHOICES = [1, 6, 24, 72, 168] as const;

/** The filters as GET /moderation/cases' query: only what is set, the age as a whole number. */
export function queueQuery(filters: QueueFilters): {
  reason?: ReportReason;
  targetType?: ReportTargetType;
  state?: CaseState;
  olderThanHours?: number;
} {
  const age = filters.olderThanHours.trim();
  return {
    ...(filters.reason ? { reason: filters.reason } : {}),
    ...(filters.targetType ? { targetType: filters.targetType } : {}),
    ...(filters.state ? { state: filters.state } : {}),
    ...(/^\d+$/.test(age) ? { olderThanHours: Number(age) } : {}),
  };
}

/** Who holds a case or an appeal, as the signed-in moderator sees it. */
export type ClaimStatus = "free" | "mine" | "other";

/**
 * Whether a case (or appeal) is free to claim, held by me, or held by someone else. A claim past
 * its expiry has lapsed: anyone may claim it again (the API agrees, see its claim route).
 */
export function claimStatus(
  item: { state: string; claimedBy: string | null; claimExpiresAt: number | null },
  me: string | null,
  now = Date.now(),
): ClaimStatus {
  if (item.state !== "claimed" || !item.claimedBy) return "free";
  if (item.claimExpiresAt !== null && item.claimExpiresAt <= now) return "free";
  return item.claimedBy === me ? "mine" : "other";
}

/**
 * A claim refused because someone else holds the item (409 `conflict`): the problem's detail, which
 * names the claim's expiry. Null for any other error.
 */
export function claimConflict(error: unknown): { detail: string } | null {
  if (!(error instanceof ApiProblem) || error.problem.status !== 409) return null;
  return { detail: error.problem.detail ?? error.problem.title };
}

/** Age-restrict raises the rating to one of these (default adult, as the API). */
export const AGE_RESTRICT_LEVELS = ["teen", "adult"] as const;
export type AgeRestrictLevel = (typeof AGE_RESTRICT_LEVELS)[number];

/** Which decisions apply to a target: age-restrict only to videos (the API answers 400 otherwise). */
export function decisionsFor(targetType: ReportTargetType): Decision[] {
  return DECISIONS.filter((d) => d !== "age_restrict" || targetType === "video");
}

/** POST …/decision's body: the note only when written, the maturity only for age-restrict. */
export function decisionBody(
  decision: Decision,
  note: string,
  maturity: AgeRestrictLevel,
): { decision: Decision; note?: string; maturity?: AgeRestrictLevel } {
  const text = note.trim();
  return {
    decision,
    ...(text ? { note: text } : {}),
    ...(decision === "age_restrict" ? { maturity } : {}),
  };
}

/** Whether the signed-in moderator may take an appeal: never the one who issued its strike. */
export function appealBlock(appeal: Pick<Appeal, "strikeDecidedBy">, me: string | null): "own" | null {
  return me !== null && appeal.strikeDecidedBy === me ? "own" : null;
}

/** How a case's state is drawn (StatusChip tone). */
export const CASE_STATE_TONE = {
  open: "warning",
  claimed: "info",
  decided: "success",
} as const satisfies Record<CaseState, string>;

/** How an appeal's state is drawn. */
export const APPEAL_STATE_TONE = {
  open: "warning",
  claimed: "info",
  granted: "success",
  denied: "neutral",
} as const satisfies Record<AppealState, string>;

/** Where a target is seen on the site (for a moderator, who may open held content). */
export function targetHref(target: Pick<CaseTarget, "type" | "id" | "videoId" | "channelId">): string | null {
  if (target.type === "video") return `/watch/${encodeURIComponent(target.id)}`;
  if (target.type === "comment" && target.videoId) return `/watch/${encodeURIComponent(target.videoId)}`;
  if (target.type === "channel") return `/channel/${encodeURIComponent(target.channelId ?? target.id)}`;
  return null;
}

// ---- the calls ----

const withCursor = (limit: number, cursor?: string) => ({ limit, ...(cursor ? { cursor } : {}) });
const caseParams = (caseId: string) => ({ params: { path: { caseId } } });
const appealParams = (appealId: string) => ({ params: { path: { appealId } } });

export const moderationApi = {
  cases: (filters: QueueFilters, cursor?: string, limit = 25) =>
    must(
      api.GET("/api/v1/moderation/cases", {
        params: { query: { ...queueQuery(filters), ...withCursor(limit, cursor) } },
      }),
    ),
  case: (caseId: string) => must(api.GET("/api/v1/moderation/cases/{caseId}", caseParams(caseId))),
  claim: (caseId: string) => must(api.POST("/api/v1/moderation/cases/{caseId}/claim", caseParams(caseId))),
  release: (caseId: string) =>
    must(api.POST("/api/v1/moderation/cases/{caseId}/release", caseParams(caseId))),
  decide: (caseId: string, body: ReturnType<typeof decisionBody>) =>
    must(api.POST("/api/v1/moderation/cases/{caseId}/decision", { ...caseParams(caseId), body })),
  appeals: (state: AppealState | "", cursor?: string, limit = 25) =>
    must(
      api.GET("/api/v1/moderation/appeals", {
        params: { query: { ...(state ? { state } : {}), ...withCursor(limit, cursor) } },
      }),
    ),
  claimAppeal: (appealId: string) =>
    must(api.POST("/api/v1/moderation/appeals/{appealId}/claim", appealParams(appealId))),
  decideAppeal: (appealId: string, grant: boolean, note: string) =>
    must(
      api.POST("/api/v1/moderation/appeals/{appealId}/decision", {
        ...appealParams(appealId),
        body: { grant, ...(note.trim() ? { note: note.trim() } : {}) },
      }),
    ),
};
