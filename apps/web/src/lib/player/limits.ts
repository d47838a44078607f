/**
 * The plan limits a playback request can hit, read from the API's problem document: a premium
 * video for a plan without it (403 `plan_required`, `requiredPlan`) and every stream of the plan
 * in use (409 `too_many_streams`, `activeStreams`). The extension members are checked here, once,
 * so a page never trusts a shape it did not verify.
 */
import type { Problem } from "../../api/client";
import type { BillingState, Playback } from "../../api/types";

export interface ActiveStream {
  streamId: string;
  profileId: string | null;
  device: string;
  startedAt: string;
  lastSeenAt: string;
}

export type PlaybackLimit =
  | { kind: "plan"; requiredPlan: string }
  | { kind: "streams"; allowed: number; active: ActiveStream[] };

function isActiveStream(value: unknown): value is ActiveStream {
  if (!value || typeof value !== "object") return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.streamId === "string" &&
    typeof v.device === "string" &&
    typeof v.startedAt === "string" &&
    (v.profileId === null || typeof v.profileId === "string")
  );
}

/** The limit behind a problem, or null when it is some other problem (shown as an error). */
export function limitOf(
  problem: Pick<Problem, "code" | "status"> & Record<string, unknown>,
): PlaybackLimit | null {
  if (problem.code === "plan_required") {
    const requiredPlan = typeof problem.requiredPlan === "string" ? problem.requiredPlan : "premium";
    return { kind: "plan", requiredPlan };
  }
  if (problem.code === "too_many_streams") {
    const active = Array.isArray(problem.activeStreams) ? problem.activeStreams.filter(isActiveStream) : [];
    // Refused means every slot is taken, so the live list is the plan's number (an explicit
    // `limit` member wins if the API ever sends one).
    const allowed = typeof problem.limit === "number" ? problem.limit : Math.max(1, active.length);
    return { kind: "streams", allowed, active };
  }
  return null;
}

/**
 * Whether the account's (new) entitlements give this page more than it has: a premium video it was
 * refused, or renditions above the cap its playback was issued with.
 */
export function upgradeReaches(
  entitlements: BillingState["entitlements"],
  playback: Pick<Playback, "maxHeight" | "sourceHeight"> | null,
  limit: PlaybackLimit | null,
): boolean {
  if (limit?.kind === "plan") return entitlements.premiumContent;
  if (limit?.kind === "streams") return entitlements.streams > limit.allowed;
  if (!playback || playback.sourceHeight === null || playback.sourceHeight <= playback.maxHeight)
    return false;
  return entitlements.maxHeight > playback.maxHeight;
}
