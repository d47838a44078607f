/**
 * Reports, strikes and appeals from the browser (docs/moderation.md): a profile reports a video, a
 * comment or a channel and follows its reports; a creator reads the channel's strikes and appeals
 * each once. Also the pure pieces the dialog and the pages use (unit-tested in reports.test.ts).
 *
 * The wire types are the generated schema's (api/schema.d.ts, from the edge's route declarations).
 */
import type { ReportReason as SharedReason, ReportTargetType as SharedTarget } from "@marquee/shared";
import { ApiProblem, api, must, type Problem } from "../api/client";
import type { components } from "../api/schema";

// ---- the API's shapes (generated from the edge's routes) ----

type Schemas = components["schemas"];
export type Report = Schemas["Report"];
export type ReportPage = Schemas["ReportPage"];
export type ReportCreate = Schemas["ReportCreate"];
export type ReportState = Report["state"];
export type ReportOutcome = NonNullable<Report["outcome"]>;
export type Strike = Schemas["Strike"];
export type StrikePage = Schemas["StrikePage"];
export type Appeal = Schemas["Appeal"];
export type ChannelState = StrikePage["channelState"];
export type AppealState = NonNullable<Strike["appeal"]>["state"];
export type ReportReason = ReportCreate["reason"];
export type ReportTargetType = ReportCreate["targetType"];

/**
 * The reasons in the dialog's order: @marquee/shared's REPORT_REASONS, written out here because the
 * shared package's module also builds the zod settings schema at load time, and importing it would
 * put zod in the browser's chunks. The types below make a reason added there (or here) a type error,
 * and reports.test.ts checks the order against the shared list.
 */
export const REPORT_REASONS = [
  "violent_or_repulsive",
  "hateful_or_abusive",
  "harassment",
  "spam_or_misleading",
  "child_sexual_abuse",
  "privacy",
  "copyright",
  "other",
] as const satisfies readonly SharedReason[];
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const reasonsComplete: Same<(typeof REPORT_REASONS)[number], SharedReason> = true;
const reasonsOnWire: Same<(typeof REPORT_REASONS)[number], ReportReason> = true;
const targetsOnWire: Same<SharedTarget, ReportTargetType> = true;
void [reasonsComplete, reasonsOnWire, targetsOnWire];

/** Longest free text of a report or an appeal (MODERATION_TEXT_MAX in @marquee/shared). */
export const TEXT_MAX = 2000;

// ---- the calls ----

const withCursor = (limit: number, cursor?: string) => ({ limit, ...(cursor ? { cursor } : {}) });

/** "Retry-After: 120" → 120; an HTTP date → the seconds until then; else null. */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | null {
  if (!header) return null;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, Math.ceil((at - now) / 1000));
}

/**
 * Like `must`, but a refusal keeps its Retry-After (as `retryAfterSeconds` on the problem): a
 * rate-limited report says when the next one may go.
 */
async function mustWithRetry<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  const { data, error, response } = await call;
  if (error === undefined && response.ok) return data as T;
  const body =
    error && typeof error === "object" && typeof (error as Partial<Problem>).title === "string"
      ? (error as Problem)
      : { title: response.statusText || "Request failed" };
  const retry = retryAfterSeconds(response.headers.get("retry-after"));
  throw new ApiProblem({
    ...body,
    status: response.status,
    ...(retry !== null ? { retryAfterSeconds: retry } : {}),
  });
}

export const reportsApi = {
  create: (body: ReportCreate) => mustWithRetry(api.POST("/api/v1/reports", { body })),
  mine: (cursor?: string, limit = 20) =>
    must(api.GET("/api/v1/me/reports", { params: { query: withCursor(limit, cursor) } })),
  strikes: (cursor?: string, limit = 50) =>
    must(api.GET("/api/v1/me/strikes", { params: { query: withCursor(limit, cursor) } })),
  appeal: (strikeId: string, text: string) =>
    must(
      api.POST("/api/v1/me/strikes/{strikeId}/appeal", {
        params: { path: { strikeId } },
        body: { text },
      }),
    ),
};

// ---- the report dialog ----

/** What is reported, as the dialog is told by the page it opens from. */
export interface ReportTarget {
  type: ReportTargetType;
  id: string;
}

/**
 * The request body: the reason, the text trimmed (left out when empty), and for a video the
 * whole second it was reported at when the reporter asked for it (left out otherwise).
 */
export function reportBody(
  target: ReportTarget,
  reason: ReportReason,
  text: string,
  atSeconds: number | null,
): ReportCreate {
  const trimmed = text.trim();
  return {
    targetType: target.type,
    targetId: target.id,
    reason,
    ...(trimmed ? { text: trimmed } : {}),
    ...(target.type === "video" && atSeconds !== null && Number.isFinite(atSeconds)
      ? { atSeconds: Math.max(0, Math.floor(atSeconds)) }
      : {}),
  };
}

/** The text counter: characters used (as the API counts them: UTF-16 units, trimmed) and whether it fits. */
export function textCount(text: string, max = TEXT_MAX): { used: number; over: boolean } {
  const used = text.trim().length;
  return { used, over: used > max };
}

/**
 * Where the viewer is in the video, for "at the current time": the content time in whole seconds
 * (the stitched pre-roll counts as 0), null before the video has played anything.
 */
export function reportAtSeconds(contentSeconds: number | null | undefined): number | null {
  if (contentSeconds === null || contentSeconds === undefined || !Number.isFinite(contentSeconds))
    return null;
  const s = Math.floor(contentSeconds);
  return s > 0 ? s : null;
}

/** Which refusal a failed report is, so the dialog can say it in words. */
export type ReportRefusal = "already" | "own" | "rateLimited" | "notFound" | "invalid" | "other";

export function refusalOf(error: unknown): ReportRefusal {
  if (!(error instanceof ApiProblem)) return "other";
  const { status, code } = error.problem;
  if (status === 409 || code === "conflict") return "already";
  if (status === 429 || code === "rate_limited") return "rateLimited";
  if (status === 404) return "notFound";
  if (status === 400) return "invalid";
  // 403 is the reporter's own content, or reports switched off for the account: the API's detail says which.
  if (status === 403) return "own";
  return "other";
}

/** The seconds to wait after a 429, when the API said (Retry-After). */
export function retryAfterOf(error: unknown): number | null {
  if (!(error instanceof ApiProblem)) return null;
  const value = error.problem.retryAfterSeconds;
  return typeof value === "number" && Number.isFinite(value) && value >= 0 ? value : null;
}

// ---- my reports ----

/** A report's state drawn as a chip: open (info), upheld (success: action was taken), dismissed (neutral). */
export const REPORT_STATE_TONE: Record<ReportState, "info" | "success" | "neutral"> = {
  open: "info",
  upheld: "success",
  dismissed: "neutral",
};

// ---- strikes ----

/** A strike as the creator reads it: active, lifted (an appeal granted) or expired. */
export type StrikeStatus = "active" | "lifted" | "expired";

export function strikeStatus(
  s: Pick<Strike, "active" | "liftedAt" | "expiresAt">,
  now = Date.now(),
): StrikeStatus {
  if (s.liftedAt !== null) return "lifted";
  if (!s.active || s.expiresAt <= now) return "expired";
  return "active";
}

export const STRIKE_STATUS_TONE: Record<StrikeStatus, "danger" | "warning" | "neutral" | "success"> = {
  active: "danger",
  lifted: "success",
  expired: "neutral",
};

/**
 * An appeal may be filed once per strike, while the edge says it is appealable: while active, or
 * expired while the strikes still keep the channel suspended (the only way back). `appealable` is as
 * of the page load; an active strike that expired since stays appealable only if the edge said so.
 */
export function canAppeal(s: Pick<Strike, "liftedAt" | "appeal" | "appealable">) {
  return s.appeal === null && s.liftedAt === null && s.appealable;
}

export const APPEAL_STATE_TONE: Record<AppealState, "info" | "success" | "danger"> = {
  open: "info",
  claimed: "info",
  granted: "success",
  denied: "danger",
};

/** Uploads are frozen until this time (epoch ms), when it is still ahead; else null. */
export function freezeEnd(frozenUntil: number | null | undefined, now = Date.now()): number | null {
  return typeof frozenUntil === "number" && frozenUntil > now ? frozenUntil : null;
}

/** Epoch milliseconds (or an ISO string) → ISO, for useFormat's date helpers. */
export function isoOf(time: number | string): string {
  return typeof time === "number" ? new Date(time).toISOString() : time;
}
