/**
 * What an account may do, at a moment: the ONE rule. Playback issuance (premium videos, the
 * rendition cap, the stream limit), the notification fan-out's premium audience, GET /me and
 * GET /me/billing all read it; nothing else decides.
 *
 * The rule (the statuses are billing/provider.ts's normalized ones):
 * - trialing, active → the subscription's plan (also while cancelAtPeriodEnd: it is paid for, but
 *   only until currentPeriodEnd: a missed `deleted` webhook must not keep it granting forever);
 * - past_due → the plan while now < pastDueSince + grace, then free;
 * - canceled → the plan while now < currentPeriodEnd (paid through), then free;
 * - pending, ended, no subscription, anonymous → free.
 * Boundaries are exclusive: at exactly the grace end / period end the plan is gone.
 */
import { eq, inArray } from "drizzle-orm";
import type { Db } from "../db/client";
import { billingSubscriptions, plans } from "../db/schema";
import { chunksOf } from "../events/erasure";
import type { Services } from "../services";
import { getSettings } from "../settings/store";

export type PlanRow = typeof plans.$inferSelect;
export type SubscriptionRow = typeof billingSubscriptions.$inferSelect;

export interface Entitlements {
  /** The plan id whose limits apply. */
  plan: string;
  maxHeight: number;
  adFree: boolean;
  streams: number;
  premiumContent: boolean;
}

/** The fields of a subscription the rule reads (a mirror row has them all). */
export type SubscriptionState = Pick<
  SubscriptionRow,
  "planId" | "status" | "currentPeriodEnd" | "pastDueSince" | "cancelAtPeriodEnd"
>;

export const FREE_PLAN_ID = "free";

/**
 * Free's limits if the `free` row were ever missing (it is seeded by migration 0009 and admins can
 * only edit it): the most restrictive answer, never an accidental upgrade.
 */
const FREE_FALLBACK: Entitlements = {
  plan: FREE_PLAN_ID,
  maxHeight: 720,
  adFree: false,
  streams: 1,
  premiumContent: false,
};

const ofPlan = (p: PlanRow): Entitlements => ({
  plan: p.id,
  maxHeight: p.maxHeight,
  adFree: p.adFree,
  streams: p.streams,
  premiumContent: p.premiumContent,
});

export function freeEntitlements(allPlans: readonly PlanRow[]): Entitlements {
  const free = allPlans.find((p) => p.id === FREE_PLAN_ID);
  return free ? ofPlan(free) : FREE_FALLBACK;
}

/**
 * When a past-due subscription's grace ends (epoch ms): `graceMs` after the mirror first saw it
 * past due. A row without past_due_since was only just seen past due, so its grace starts `now`.
 */
export function graceEndsAt(sub: { pastDueSince: number | null }, now: number, graceMs: number): number {
  return (sub.pastDueSince ?? now) + graceMs;
}

/** Whether the subscription grants its plan at `now` (epoch ms). */
export function grantsPlan(sub: SubscriptionState, now: number, graceMs: number): boolean {
  switch (sub.status) {
    case "active":
    case "trialing":
      // Set to end at the period end and the period is over: it ended, even if the provider's
      // `deleted` webhook never reached us. (Without cancelAtPeriodEnd a renewal may be in flight.)
      return !(sub.cancelAtPeriodEnd && sub.currentPeriodEnd !== null && now >= sub.currentPeriodEnd);
    case "past_due":
      return now < graceEndsAt(sub, now, graceMs);
    case "canceled":
      return sub.currentPeriodEnd !== null && now < sub.currentPeriodEnd;
    default:
      return false;
  }
}

/** The entitlements one subscription (or none) gives at `now`. Pure: tests drive `now`. */
export function entitlementsOf(
  sub: SubscriptionState | null,
  allPlans: readonly PlanRow[],
  now: number,
  graceMs: number,
): Entitlements {
  if (sub && grantsPlan(sub, now, graceMs)) {
    const plan = allPlans.find((p) => p.id === sub.planId);
    if (plan) return ofPlan(plan);
  }
  return freeEntitlements(allPlans);
}

/**
 * The subscription that decides among an account's rows (old ended ones stay as history): the one
 * granting the highest plan (by sort order); if none grants anything, the most recently updated
 * one, so the billing page can still say "past due" or "ended".
 */
export function currentSubscription<T extends SubscriptionState & { updatedAt: number }>(
  subs: readonly T[],
  allPlans: readonly PlanRow[],
  now: number,
  graceMs: number,
): { subscription: T | null; entitlements: Entitlements } {
  const rank = (s: T) => allPlans.find((p) => p.id === s.planId)?.sortOrder ?? -1;
  let best: T | null = null;
  for (const s of subs) {
    if (!grantsPlan(s, now, graceMs)) continue;
    if (!best || rank(s) > rank(best)) best = s;
  }
  if (best) return { subscription: best, entitlements: entitlementsOf(best, allPlans, now, graceMs) };
  const latest = subs.reduce<T | null>((a, s) => (!a || s.updatedAt > a.updatedAt ? s : a), null);
  return { subscription: latest, entitlements: freeEntitlements(allPlans) };
}

/**
 * The plan a `plan_required` problem names for premium videos: the cheapest (by monthly price, then
 * sort order) that includes them. Plans are data, so this is read from the rows, never a fixed id.
 */
export function premiumPlanOf(allPlans: readonly PlanRow[]): string | null {
  const price = (p: PlanRow) => p.monthlyCents ?? Number.POSITIVE_INFINITY;
  const [cheapest] = allPlans
    .filter((p) => p.premiumContent)
    .sort((a, b) => price(a) - price(b) || a.sortOrder - b.sortOrder);
  return cheapest?.id ?? null;
}

/** An account's entitlements, and the plan that would open premium videos (from the same read). */
export interface ViewerEntitlements extends Entitlements {
  premiumPlan: string | null;
}

/**
 * How long a past-due subscription keeps its plan (ms): the dynamic setting
 * `billing.pastDueGraceSeconds` when an admin set it (settings/store.ts, at most 30 s old), else
 * BILLING_PAST_DUE_GRACE_SECONDS.
 */
export async function graceMsOf(s: Pick<Services, "config" | "env">): Promise<number> {
  const seconds = (await getSettings(s)).billing.pastDueGraceSeconds ?? s.config.billing.pastDueGraceSeconds;
  return seconds * 1000;
}

/** The plans and the account's subscription rows, in one D1 round trip. */
export async function billingStateOf(s: Services, accountId: string) {
  const [allPlans, subs] = await s.db.batch([
    s.db.select().from(plans),
    s.db.select().from(billingSubscriptions).where(eq(billingSubscriptions.accountId, accountId)),
  ]);
  return { plans: allPlans, subscriptions: subs };
}

/** The entitlements of an account (anonymous: null → free) at `now`. */
export async function entitlementsFor(
  s: Services,
  accountId: string | null,
  now: number = Date.now(),
): Promise<ViewerEntitlements> {
  if (accountId === null) {
    const allPlans = await s.db.select().from(plans);
    return { ...freeEntitlements(allPlans), premiumPlan: premiumPlanOf(allPlans) };
  }
  const [state, graceMs] = await Promise.all([billingStateOf(s, accountId), graceMsOf(s)]);
  const { entitlements } = currentSubscription(state.subscriptions, state.plans, now, graceMs);
  return { ...entitlements, premiumPlan: premiumPlanOf(state.plans) };
}

/**
 * The entitlements of many accounts at `now` (the fan-out's premium audience): their subscription
 * rows read in chunks under D1's 100 bound parameters, the same rule applied to each in code.
 */
export async function entitlementsOfAccounts(
  db: Db,
  accountIds: readonly string[],
  now: number,
  graceMs: number,
): Promise<Map<string, Entitlements>> {
  const unique = [...new Set(accountIds)];
  const allPlans = await db.select().from(plans);
  const byAccount = new Map<string, SubscriptionRow[]>();
  for (const ids of chunksOf(unique, 90)) {
    const rows = await db
      .select()
      .from(billingSubscriptions)
      .where(inArray(billingSubscriptions.accountId, ids));
    for (const r of rows) byAccount.set(r.accountId, [...(byAccount.get(r.accountId) ?? []), r]);
  }
  return new Map(
    unique.map((id) => [
      id,
      currentSubscription(byAccount.get(id) ?? [], allPlans, now, graceMs).entitlements,
    ]),
  );
}
