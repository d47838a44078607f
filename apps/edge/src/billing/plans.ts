/** Plans as data: the public list and the admin edit. Limits are read by entitlements.ts. */
import { asc, eq } from "drizzle-orm";
import { sealQuietly } from "../audit/chain";
import { auditActorOf, auditInsert } from "../audit/log";
import { authorize } from "../auth/permissions";
import type { Config } from "../config";
import { plans } from "../db/schema";
import { AppError } from "../lib/errors";
import type { Services } from "../services";
import type { Actor } from "../types";
import type { PlanRow } from "./entitlements";
import type { BillingInterval, Provider } from "./provider";
import { configuredProviders } from "./providers";
import type { PlanPatch } from "./schemas";

/** The provider's id that sells `plan` per `interval`, or null if it is not sold that way. */
export function providerPriceId(plan: PlanRow, provider: Provider, interval: BillingInterval): string | null {
  if (provider === "stripe") return interval === "month" ? plan.stripeMonthPriceId : plan.stripeYearPriceId;
  return interval === "month" ? plan.paypalMonthPlanId : plan.paypalYearPlanId;
}

/** The plan and interval a provider price/plan id stands for (webhooks name prices, not plans). */
export function planOfPrice(
  allPlans: readonly PlanRow[],
  provider: Provider,
  priceId: string,
): { plan: PlanRow; interval: BillingInterval } | null {
  for (const plan of allPlans) {
    for (const interval of ["month", "year"] as const) {
      if (providerPriceId(plan, provider, interval) === priceId) return { plan, interval };
    }
  }
  return null;
}

const isPaid = (p: PlanRow) => (p.monthlyCents ?? 0) > 0 || (p.yearlyCents ?? 0) > 0;

function planView(p: PlanRow, config: Config) {
  const price = (cents: number | null) =>
    cents === null ? null : { amountCents: cents, currency: p.currency };
  return {
    id: p.id,
    name: p.name,
    maxHeight: p.maxHeight,
    adFree: p.adFree,
    streams: p.streams,
    premiumContent: p.premiumContent,
    prices: { month: price(p.monthlyCents), year: price(p.yearlyCents) },
    // A provider sells a paid plan when it is configured here and has an id for some interval.
    providers: isPaid(p)
      ? configuredProviders(config).filter(
          (name) => providerPriceId(p, name, "month") !== null || providerPriceId(p, name, "year") !== null,
        )
      : [],
  };
}

export async function listPlans(s: Services) {
  const rows = await s.db.select().from(plans).orderBy(asc(plans.sortOrder), asc(plans.id));
  return { items: rows.map((p) => planView(p, s.config)) };
}

/**
 * An admin's edit of a plan. Existing subscriptions keep their provider price (the provider bills
 * them); a new price id applies to new checkouts, and changed limits apply at once to everyone on
 * the plan (entitlements read the row on every decision).
 */
export async function patchPlan(s: Services, actor: Actor, planId: string, patch: PlanPatch) {
  // Admins only (`billing.plans.manage` in auth/permissions.ts).
  authorize(actor, "billing.plans.manage");
  const allPlans = await s.db.select().from(plans);
  const current = allPlans.find((p) => p.id === planId);
  if (!current) throw new AppError("not_found", "No such plan");
  refuseSharedProviderIds(allPlans, planId, patch);
  // The audit row records the fields the patch names, before and after, in the edit's own batch.
  const fields = Object.keys(patch) as (keyof PlanPatch)[];
  const [updated] = await s.db.batch([
    s.db
      .update(plans)
      .set({ ...patch, updatedAt: Date.now() })
      .where(eq(plans.id, planId))
      .returning(),
    auditInsert(s, auditActorOf(actor), {
      action: "admin.plan.update",
      targetType: "plan",
      targetId: planId,
      before: Object.fromEntries(fields.map((f) => [f, current[f] ?? null])),
      after: Object.fromEntries(fields.map((f) => [f, patch[f] ?? null])),
    }),
  ]);
  const [row] = updated;
  if (!row) throw new AppError("not_found", "No such plan");
  await sealQuietly(s, "admin.plan.update");
  return planView(row, s.config);
}

const PROVIDER_ID_FIELDS = {
  stripe: ["stripeMonthPriceId", "stripeYearPriceId"],
  paypal: ["paypalMonthPlanId", "paypalYearPlanId"],
} as const;

/**
 * 409 when the patch would give a provider price/plan id to two (plan, interval) pairs: webhooks map
 * a price back to ONE plan (planOfPrice takes the first), so a shared id would bill one plan and grant
 * another. (Two admins racing to set the same id at once can still both pass: an operator mistake.)
 */
function refuseSharedProviderIds(allPlans: readonly PlanRow[], planId: string, patch: PlanPatch): void {
  for (const fields of Object.values(PROVIDER_ID_FIELDS)) {
    const after = allPlans.map((p) => (p.id === planId ? { ...p, ...patch } : p));
    for (const field of fields) {
      const id = patch[field];
      if (id == null) continue;
      const users = after.flatMap((p) => fields.filter((f) => p[f] === id).map((f) => `${p.id}.${f}`));
      if (users.length > 1) {
        throw new AppError(
          "conflict",
          `${id} is already used by another plan or interval (${users.join(", ")})`,
        );
      }
    }
  }
}
