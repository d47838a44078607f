/**
 * The account's billing: its state, checkout, the provider portal, cancel, invoices, and the
 * cancellation account deletion needs. The account is always the token's (never a field).
 */
import { and, desc, eq, inArray } from "drizzle-orm";
import { authorize } from "../auth/permissions";
import { billingInvoices, billingSubscriptions, plans } from "../db/schema";
import { AppError } from "../lib/errors";
import { decodeCursor, keysetPage, type ListQuery, newestAfter, TimeKey } from "../lib/pagination";
import type { Services } from "../services";
import type { Actor } from "../types";
import {
  billingStateOf,
  currentSubscription,
  FREE_PLAN_ID,
  graceEndsAt,
  graceMsOf,
  type SubscriptionRow,
} from "./entitlements";
import { customerIdOf, storeCustomer, subscriptionUpsert } from "./mirror";
import { providerPriceId } from "./plans";
import { type BillingInterval, CHARGEABLE_STATUSES, type Provider } from "./provider";
import { providerFor, providerLabel } from "./providers";

const ABANDONED_PENDING_MS = 24 * 60 * 60 * 1000;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function subscriptionView(sub: SubscriptionRow, now: number, graceMs: number) {
  const graceEnd = sub.status === "past_due" ? graceEndsAt(sub, now, graceMs) : null;
  const accessEndsAt =
    sub.status === "past_due"
      ? graceEnd
      : sub.status === "canceled" || sub.cancelAtPeriodEnd
        ? sub.currentPeriodEnd
        : null;
  return {
    provider: sub.provider,
    planId: sub.planId,
    interval: sub.interval,
    status: sub.status,
    cancelAtPeriodEnd: sub.cancelAtPeriodEnd,
    currentPeriodEnd: iso(sub.currentPeriodEnd),
    graceEndsAt: iso(graceEnd),
    accessEndsAt: iso(sub.status === "ended" || sub.status === "pending" ? null : accessEndsAt),
  };
}

/** GET /me/billing: the entitlements, the subscription that decides them, the last payment problem. */
export async function getBilling(s: Services, actor: Actor, now: number = Date.now()) {
  authorize(actor, "account.read");
  const state = await billingStateOf(s, actor.accountId);
  // A checkout abandoned a day ago is not "your subscription" (it grants nothing either way).
  const shown = state.subscriptions.filter(
    (r) => !(r.status === "pending" && now - r.createdAt >= ABANDONED_PENDING_MS),
  );
  const graceMs = await graceMsOf(s);
  const { subscription, entitlements } = currentSubscription(shown, state.plans, now, graceMs);
  return {
    entitlements,
    subscription: subscription ? subscriptionView(subscription, now, graceMs) : null,
    lastPaymentProblem: subscription?.lastPaymentProblem ?? null,
  };
}

/**
 * A checkout URL for a paid plan. Refused: the free plan (400), an unknown plan (404), a plan not
 * sold by that provider/interval (400), any paid plan the account already has (409: plan changes
 * go through the provider's portal, so an account never pays twice).
 */
export async function startCheckout(
  s: Services,
  actor: Actor,
  input: { planId: string; interval: BillingInterval; provider: Provider },
) {
  authorize(actor, "account.manage");
  const plan = await s.db.select().from(plans).where(eq(plans.id, input.planId)).get();
  if (!plan) throw new AppError("not_found", "No such plan");
  if (plan.id === FREE_PLAN_ID) throw new AppError("bad_request", "The free plan needs no checkout");
  const priceId = providerPriceId(plan, input.provider, input.interval);
  if (!priceId) {
    throw new AppError(
      "bad_request",
      `${plan.name} is not sold per ${input.interval} through ${providerLabel(input.provider)}`,
    );
  }
  const provider = providerFor(s.config, input.provider);
  const state = await billingStateOf(s, actor.accountId);
  // A past-due subscription (even past its grace) may still be paid by the provider's retries: a
  // second one now would charge twice. The person fixes the payment instead.
  if (state.subscriptions.some((r) => r.status === "past_due")) {
    throw new AppError(
      "conflict",
      "A payment for your plan failed: update your payment method on the billing page",
    );
  }
  const current = currentSubscription(state.subscriptions, state.plans, Date.now(), await graceMsOf(s));
  if (current.entitlements.plan !== FREE_PLAN_ID) {
    throw new AppError(
      "conflict",
      current.entitlements.plan === plan.id
        ? `You already have ${plan.name}`
        : "You already have a paid plan: change plans in the billing portal",
    );
  }
  await endPending(s, state.subscriptions);
  let customerId = await customerIdOf(s, actor.accountId, input.provider);
  if (!customerId && provider.createCustomer) {
    const created = await provider.createCustomer({ id: actor.accountId, email: actor.email });
    customerId = await storeCustomer(s, actor.accountId, input.provider, created);
  }
  const base = s.config.publicUrl;
  const result = await provider.startCheckout({
    account: { id: actor.accountId, email: actor.email },
    plan: { id: plan.id, name: plan.name },
    interval: input.interval,
    providerPriceId: priceId,
    providerCustomerId: customerId,
    // Built on PUBLIC_URL, never on the request's Host.
    successUrl: new URL("/account/billing?checkout=success", base).toString(),
    cancelUrl: new URL("/plans?checkout=canceled", base).toString(),
  });
  if (result.providerCustomerId && !customerId) {
    await storeCustomer(s, actor.accountId, input.provider, result.providerCustomerId);
  }
  if (result.pending) {
    const pending = result.pending;
    const now = Date.now();
    await s.db.batch([
      subscriptionUpsert(s, actor.accountId, pending, state.plans, {
        now,
        snapshotAt: now,
        paymentProblem: null,
      }),
    ]);
  }
  return { url: result.url };
}

/**
 * A new checkout replaces any earlier one still awaiting payment (a person who started PayPal, then
 * chose card): each is cancelled at its provider and mirrored ended. PayPal cannot cancel a
 * subscription awaiting approval (its cancel treats that as done); if the person approves it later
 * anyway, the webhook pipeline cancels it as a duplicate of the live one (webhooks.ts).
 */
async function endPending(s: Services, rows: readonly SubscriptionRow[]): Promise<void> {
  for (const row of rows.filter((r) => r.status === "pending")) {
    await providerFor(s.config, row.provider).cancel(row.providerSubscriptionId, "now");
    const now = Date.now();
    await s.db
      .update(billingSubscriptions)
      .set({ status: "ended", snapshotAt: now, updatedAt: now })
      .where(and(eq(billingSubscriptions.id, row.id), eq(billingSubscriptions.status, "pending")));
  }
}

/** The provider's self-service portal (Stripe): change plan, payment method, cancel. */
export async function openPortal(s: Services, actor: Actor) {
  authorize(actor, "account.manage");
  const state = await billingStateOf(s, actor.accountId);
  const { subscription } = currentSubscription(
    state.subscriptions,
    state.plans,
    Date.now(),
    await graceMsOf(s),
  );
  if (subscription && subscription.provider !== "stripe") {
    throw new AppError(
      "conflict",
      `Your plan is billed through ${providerLabel(subscription.provider)}: manage it there`,
    );
  }
  const customerId = await customerIdOf(s, actor.accountId, "stripe");
  if (!customerId) throw new AppError("conflict", "There is no Stripe billing to manage yet");
  const provider = providerFor(s.config, "stripe");
  if (!provider.openPortal) throw new AppError("conflict", "This provider has no billing portal");
  return provider.openPortal({
    providerCustomerId: customerId,
    returnUrl: new URL("/account/billing", s.config.publicUrl).toString(),
  });
}

/**
 * Cancels the deciding subscription at the end of its paid period (Stripe cancel_at_period_end;
 * PayPal cancel, paid through) and mirrors the provider's answer at once. Repeating it is harmless.
 */
export async function cancelSubscription(s: Services, actor: Actor) {
  authorize(actor, "account.manage");
  const state = await billingStateOf(s, actor.accountId);
  const { subscription } = currentSubscription(
    state.subscriptions,
    state.plans,
    Date.now(),
    await graceMsOf(s),
  );
  if (!subscription || subscription.status === "ended" || subscription.status === "pending") {
    throw new AppError("conflict", "There is no subscription to cancel");
  }
  // Already ending (cancel at period end, or PayPal's canceled-but-paid-through): nothing to do.
  if (!subscription.cancelAtPeriodEnd && subscription.status !== "canceled") {
    const provider = providerFor(s.config, subscription.provider);
    // The mirror row's updatedAt names this intent: a cancel after a resume (which the mirror saw
    // as a webhook) gets a new idempotency key instead of the provider replaying the first answer.
    await provider.cancel(subscription.providerSubscriptionId, "period_end", String(subscription.updatedAt));
    const snapshot = await provider.fetchSubscription(subscription.providerSubscriptionId);
    const snapshotAt = Date.now();
    await s.db.batch([
      subscriptionUpsert(s, actor.accountId, snapshot, state.plans, {
        now: snapshotAt,
        snapshotAt,
        paymentProblem: null,
      }),
    ]);
  }
  return getBilling(s, actor);
}

/**
 * Account deletion: ends every subscription the provider could still charge, at once, before
 * anything is erased. Throws (503/502) if a provider cannot be reached, so the deletion stops and
 * the user can retry: a deleted account is never charged again. Idempotent per subscription.
 */
export async function cancelAllForDeletion(s: Services, accountId: string): Promise<void> {
  const live = await s.db
    .select()
    .from(billingSubscriptions)
    .where(
      and(
        eq(billingSubscriptions.accountId, accountId),
        inArray(billingSubscriptions.status, [...CHARGEABLE_STATUSES]),
      ),
    );
  for (const sub of live) {
    await providerFor(s.config, sub.provider).cancel(sub.providerSubscriptionId, "now");
  }
}

/** The account's invoices, newest first, keyset-paginated on (created_at, id). */
export async function listInvoices(s: Services, actor: Actor, query: ListQuery) {
  authorize(actor, "account.read");
  const after = query.cursor ? decodeCursor(query.cursor, "invoices", TimeKey) : null;
  const t = billingInvoices;
  const rows = await s.db
    .select()
    .from(t)
    .where(and(eq(t.accountId, actor.accountId), after ? newestAfter(t.createdAt, t.id, after) : undefined))
    .orderBy(desc(t.createdAt), desc(t.id))
    .limit(query.limit + 1);
  const page = keysetPage(
    rows,
    query.limit,
    "invoices",
    (last): TimeKey => ({ t: last.createdAt, i: last.id }),
  );
  return {
    items: page.items.map((r) => ({
      id: r.id,
      provider: r.provider,
      amountCents: r.amountCents,
      currency: r.currency,
      status: r.status,
      periodStart: iso(r.periodStart),
      periodEnd: iso(r.periodEnd),
      createdAt: new Date(r.createdAt).toISOString(),
      hostedUrl: r.hostedUrl,
    })),
    nextCursor: page.nextCursor,
  };
}
