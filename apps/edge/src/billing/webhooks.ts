/**
 * The webhook pipeline both providers share: verify → skip an event already applied → re-read the
 * subscription from the provider → write the mirror AND the event id in one D1 batch → email.
 *
 * - Once: the event id is inserted in the same batch as the mirror writes, so either both happen or
 *   neither; a redelivery finds the id and is a 200 no-op. Two concurrent deliveries of one event
 *   both pass the first check, but the loser's batch fails on the event id's primary key and rolls
 *   back whole: it answers 200 as a duplicate.
 * - Any order: events only say "look again"; the mirror is written from the provider's snapshot at
 *   processing time, so `updated` before `created` or `deleted` before `updated` ends in the
 *   provider's final state (a stale event rewrites the same current state).
 * - Failure: anything failing before the batch (the provider re-read, D1) throws → 5xx → the
 *   provider redelivers; nothing was written, so the retry applies it exactly once.
 * - Email: the payment-failed email goes after the batch committed: at most once per event (a crash
 *   between commit and send loses it; the billing page still shows the problem). The mailer gets
 *   `payment-failed:<event id>` as its idempotency key, so the mail provider drops its own retries.
 */
import { and, eq } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { accounts, billingSubscriptions, billingWebhookEvents, plans } from "../db/schema";
import { uniqueViolation } from "../lib/db-errors";
import type { Services } from "../services";
import { paymentFailedEmail } from "./emails";
import { graceMsOf, type PlanRow } from "./entitlements";
import { invoiceUpsert, resolveAccount, subscriptionUpsert } from "./mirror";
import type { BillingProvider, SubscriptionSnapshot, VerifiedEvent } from "./provider";

/** Statuses the provider may still charge. */
const CHARGEABLE = new Set<SubscriptionSnapshot["status"]>(["pending", "trialing", "active", "past_due"]);

/** Bodies above this are refused (413) before any parsing; real events are a few kB. */
export const MAX_WEBHOOK_BYTES = 256 * 1024;

export type WebhookOutcome = "applied" | "duplicate" | "ignored";

export async function handleWebhook(
  s: Services,
  provider: BillingProvider,
  headers: Headers,
  rawBody: string,
  now: number = Date.now(),
): Promise<WebhookOutcome> {
  // Throws bad_request (400) for a forged, replayed-too-late or malformed delivery: nothing changes.
  const event = await provider.verifyWebhook(headers, rawBody);
  const log = (msg: string, extra: Record<string, unknown> = {}) =>
    s.log("info", { msg, provider: event.provider, event: event.id, type: event.type, ...extra });
  if (await alreadyApplied(s, event)) {
    log("billing webhook: duplicate");
    return "duplicate";
  }

  const statements: BatchItem<"sqlite">[] = [];
  let accountId: string | null = null;
  let snapshot: SubscriptionSnapshot | null = null;
  let allPlans: PlanRow[] = [];
  if (event.providerSubscriptionId) {
    // The provider's state now, not the event's (which may be stale or out of order).
    snapshot = await provider.fetchSubscription(event.providerSubscriptionId);
    const owner = await resolveAccount(s, snapshot, event.accountId);
    accountId = owner.accountId;
    if (owner.gone && CHARGEABLE.has(snapshot.status)) {
      // A checkout that finished after its account was deleted: end it now, so a deleted account is
      // never charged (again). Throws while the provider is unreachable → 5xx → redelivered.
      log("billing webhook: subscription of a deleted account, cancelling it");
      await provider.cancel(snapshot.providerSubscriptionId, "now");
    }
    if (accountId) {
      allPlans = await s.db.select().from(plans);
      const failed =
        event.invoice?.status === "failed" ? (event.invoice.failureMessage ?? "The payment failed.") : null;
      statements.push(subscriptionUpsert(s, accountId, snapshot, allPlans, { now, paymentProblem: failed }));
    }
  }
  if (accountId && event.invoice) statements.push(invoiceUpsert(s, accountId, event.invoice));
  const applies = statements.length > 0;
  if (!applies) log("billing webhook: nothing to apply (no subscription, or its account is gone)");

  try {
    // One transaction: the event id and the mirror writes land together or not at all.
    await s.db.batch([
      s.db.insert(billingWebhookEvents).values({
        provider: event.provider,
        eventId: event.id,
        type: event.type,
        receivedAt: now,
      }),
      ...statements,
    ]);
  } catch (error) {
    if (uniqueViolation(error)?.startsWith("billing_webhook_events")) {
      log("billing webhook: duplicate (concurrent delivery)");
      return "duplicate";
    }
    throw error;
  }
  log("billing webhook: applied", { subscription: event.providerSubscriptionId, account: accountId });

  if (accountId && snapshot && event.invoice?.status === "failed") {
    await sendPaymentFailed(s, event, accountId, snapshot, allPlans, now);
  }
  return applies ? "applied" : "ignored";
}

async function alreadyApplied(s: Services, event: VerifiedEvent): Promise<boolean> {
  const row = await s.db
    .select({ id: billingWebhookEvents.eventId })
    .from(billingWebhookEvents)
    .where(and(eq(billingWebhookEvents.provider, event.provider), eq(billingWebhookEvents.eventId, event.id)))
    .get();
  return row !== undefined;
}

async function sendPaymentFailed(
  s: Services,
  event: VerifiedEvent,
  accountId: string,
  snapshot: SubscriptionSnapshot,
  allPlans: readonly PlanRow[],
  now: number,
): Promise<void> {
  try {
    const account = await s.db
      .select({ email: accounts.email, name: accounts.displayName })
      .from(accounts)
      .where(eq(accounts.id, accountId))
      .get();
    if (!account) return;
    const { graceEndsAt, planName } = await graceOf(s, snapshot, allPlans, now);
    await s.mailer.send({
      ...paymentFailedEmail({
        to: account.email,
        name: account.name,
        planName,
        graceEndsAt,
        publicUrl: s.config.publicUrl,
      }),
      idempotencyKey: `payment-failed:${event.provider}:${event.id}`,
    });
  } catch (error) {
    // The mirror is applied and the event recorded: a failed email must not make the provider
    // redeliver (that would be a no-op anyway). The billing page shows the problem regardless.
    s.log("error", { msg: "billing: payment-failed email not sent", event: event.id, error: String(error) });
  }
}

/** When the grace of the (now past-due) subscription ends, from the mirror's first sighting. */
async function graceOf(
  s: Services,
  snapshot: SubscriptionSnapshot,
  allPlans: readonly PlanRow[],
  now: number,
) {
  const row = await s.db
    .select({ planId: billingSubscriptions.planId, pastDueSince: billingSubscriptions.pastDueSince })
    .from(billingSubscriptions)
    .where(
      and(
        eq(billingSubscriptions.provider, snapshot.provider),
        eq(billingSubscriptions.providerSubscriptionId, snapshot.providerSubscriptionId),
      ),
    )
    .get();
  const planName = allPlans.find((p) => p.id === row?.planId)?.name ?? "your plan";
  return { graceEndsAt: new Date((row?.pastDueSince ?? now) + graceMsOf(s)), planName };
}
