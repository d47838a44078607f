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
 * - Stale snapshots: each re-read is stamped (`snapshot_at`) right after the provider answered; the
 *   mirror drops a write older than what it holds (mirror.ts).
 * - One live subscription per account: a snapshot that would make a second subscription live next
 *   to an existing one (two checkouts paid in two tabs, PayPal approved after a card checkout, an
 *   old past-due one revived by a retry) is cancelled at the provider at once and mirrored ended
 *   (`billing.duplicate_subscription_canceled`); refunding what it charged is an operator's job.
 * - Refunds (facts for the payouts): Stripe's refund.* re-read the refund (`fetchRefund`), PayPal's
 *   PAYMENT.SALE.REFUNDED carries it verified; either is upserted into billing_refunds in the same
 *   batch as the event id (mirror.ts `refundUpsert`: D1 stamps `recorded_at`; an older re-read never
 *   overwrites a newer one; PayPal's copy is as of the event's `create_time`; a succeeded refund is
 *   final, and one the provider reverses later is logged `billing.refund_reversed_after_success` for
 *   an operator). A refund needs no account: it counts whether or not the payer still exists.
 * - Connected accounts: an event with `account` set (the Connect endpoint's) is about that account's
 *   own objects; only its `account.updated` is acted on, any other is recorded and ignored
 *   (stripe/provider.ts): its refunds are not the platform's.
 * - Connect `account.updated`: `refreshPayoutAccount` (payouts/accounts.ts) re-reads the account and
 *   stores it before the event id is recorded (an unknown account is a no-op). It is idempotent, so a
 *   crash between the two only makes the redelivery refresh again.
 * - Email: the payment-failed email goes after the batch committed, only when the re-read
 *   subscription is past_due, and once per failed invoice: not when the mirror already held that
 *   invoice (a Stripe retry attempt of it) or held it paid (a late event). At most once (a crash
 *   between commit and send loses it; the billing page still shows the problem); the mailer gets
 *   `payment-failed:<provider>:<invoice id>` as its idempotency key for concurrent deliveries.
 */
import { and, eq } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import {
  accounts,
  billingInvoices,
  billingRefunds,
  billingSubscriptions,
  billingWebhookEvents,
  plans,
} from "../db/schema";
import { uniqueViolation } from "../lib/db-errors";
import { refreshPayoutAccount } from "../payouts/accounts";
import type { Services } from "../services";
import { paymentFailedEmail } from "./emails";
import { graceEndsAt, graceMsOf, type PlanRow } from "./entitlements";
import { invoiceUpsert, refundUpsert, resolveAccount, subscriptionUpsert } from "./mirror";
import {
  type BillingProvider,
  CHARGEABLE_STATUSES,
  type InvoiceSnapshot,
  type RefundSnapshot,
  RUNNING_STATUSES,
  type SubscriptionSnapshot,
  type VerifiedEvent,
} from "./provider";

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
  let newFailedInvoice = false;
  if (event.providerSubscriptionId) {
    // The provider's state now, not the event's (which may be stale or out of order).
    snapshot = await provider.fetchSubscription(event.providerSubscriptionId);
    const snapshotAt = Date.now();
    const owner = await resolveAccount(s, snapshot, event.accountId);
    accountId = owner.accountId;
    if (owner.gone && CHARGEABLE_STATUSES.includes(snapshot.status)) {
      // A checkout that finished after its account was deleted: end it now, so a deleted account is
      // never charged (again). Throws while the provider is unreachable → 5xx → redelivered.
      log("billing webhook: subscription of a deleted account, cancelling it");
      await provider.cancel(snapshot.providerSubscriptionId, "now");
    }
    if (accountId) {
      allPlans = await s.db.select().from(plans);
      if (RUNNING_STATUSES.includes(snapshot.status))
        snapshot = await endIfDuplicate(s, provider, accountId, snapshot, log);
      newFailedInvoice = event.invoice?.status === "failed" && !(await invoiceKnown(s, event.invoice));
      // Only a subscription that IS past due has a payment problem: a late payment_failed for an
      // invoice since paid (or a retry after the customer fixed it) records nothing.
      const failed =
        event.invoice?.status === "failed" && snapshot.status === "past_due"
          ? (event.invoice.failureMessage ?? "The payment failed.")
          : null;
      statements.push(
        subscriptionUpsert(s, accountId, snapshot, allPlans, { now, snapshotAt, paymentProblem: failed }),
      );
    }
  }
  if (accountId && event.invoice) statements.push(invoiceUpsert(s, accountId, event.invoice));
  if (event.refund) {
    // Stripe: the refund as it is now (the event may be stale or out of order); PayPal: the event's.
    const refund = provider.fetchRefund
      ? await provider.fetchRefund(event.refund.providerRefundId)
      : event.refund;
    if (refund.status !== "succeeded") await warnIfReversed(s, refund);
    statements.push(refundUpsert(s, refund, refund.observedAt ?? Date.now()));
  }
  let refreshed = false;
  if (event.connectedAccountId) {
    // Throws while Stripe is unreachable → 5xx → redelivered; null: not a payout account of ours.
    refreshed = (await refreshPayoutAccount(s, event.connectedAccountId)) !== null;
  }
  const applies = statements.length > 0 || refreshed;
  if (!applies) log("billing webhook: nothing to apply (nothing of ours, or its account is gone)");

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
  log("billing webhook: applied", {
    subscription: event.providerSubscriptionId,
    account: accountId,
    refund: event.refund?.providerRefundId,
    connectedAccount: event.connectedAccountId,
  });

  if (accountId && snapshot?.status === "past_due" && event.invoice && newFailedInvoice) {
    await sendPaymentFailed(s, event, event.invoice.providerInvoiceId, accountId, snapshot, allPlans, now);
  }
  return applies ? "applied" : "ignored";
}

/**
 * A refund the mirror holds as succeeded that the provider now reports otherwise: the mirror keeps
 * it (a succeeded refund is final there, mirror.ts `refundUpsert`), so an operator settles it.
 */
async function warnIfReversed(s: Services, refund: RefundSnapshot): Promise<void> {
  const stored = await s.db
    .select({ status: billingRefunds.status })
    .from(billingRefunds)
    .where(
      and(
        eq(billingRefunds.provider, refund.provider),
        eq(billingRefunds.providerRefundId, refund.providerRefundId),
      ),
    )
    .get();
  if (stored?.status !== "succeeded") return;
  s.log("warn", {
    msg: "billing.refund_reversed_after_success",
    provider: refund.provider,
    refund: refund.providerRefundId,
    status: refund.status,
    amountCents: refund.amountCents,
  });
}

/** Whether the mirror already holds this invoice (an earlier attempt's failure, or paid since). */
async function invoiceKnown(s: Services, invoice: InvoiceSnapshot): Promise<boolean> {
  const row = await s.db
    .select({ id: billingInvoices.id })
    .from(billingInvoices)
    .where(
      and(
        eq(billingInvoices.provider, invoice.provider),
        eq(billingInvoices.providerInvoiceId, invoice.providerInvoiceId),
      ),
    )
    .get();
  return row !== undefined;
}

/**
 * `snapshot` (live) as it should be mirrored: unchanged, unless the account already has a different
 * live subscription mirrored before it, in which case this newcomer would charge the person twice:
 * it is cancelled at the provider now (throws while unreachable → 5xx → redelivered) and mirrored
 * ended. The older one keeps deciding the entitlements. Refunds are left to an operator.
 */
async function endIfDuplicate(
  s: Services,
  provider: BillingProvider,
  accountId: string,
  snapshot: SubscriptionSnapshot,
  log: (msg: string, extra?: Record<string, unknown>) => void,
): Promise<SubscriptionSnapshot> {
  const rows = await s.db
    .select()
    .from(billingSubscriptions)
    .where(eq(billingSubscriptions.accountId, accountId));
  const mine = rows.find(
    (r) => r.provider === snapshot.provider && r.providerSubscriptionId === snapshot.providerSubscriptionId,
  );
  const older = rows.find(
    (r) =>
      r !== mine &&
      RUNNING_STATUSES.includes(r.status) &&
      // The newcomer is the one not live in the mirror yet (new, pending, ended); if both are (two
      // deliveries raced), the one mirrored later, ties broken by id: two never cancel each other.
      (!mine ||
        !RUNNING_STATUSES.includes(mine.status) ||
        r.createdAt < mine.createdAt ||
        (r.createdAt === mine.createdAt && r.id < mine.id)),
  );
  if (!older) return snapshot;
  await provider.cancel(snapshot.providerSubscriptionId, "now");
  s.log("warn", {
    msg: "billing.duplicate_subscription_canceled",
    account: accountId,
    kept: `${older.provider}:${older.providerSubscriptionId}`,
    canceled: `${snapshot.provider}:${snapshot.providerSubscriptionId}`,
  });
  log("billing webhook: duplicate subscription cancelled");
  return { ...snapshot, status: "ended", cancelAtPeriodEnd: false };
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
  invoiceId: string,
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
      // Per failed invoice, not per event: Stripe sends a payment_failed per retry attempt.
      idempotencyKey: `payment-failed:${event.provider}:${invoiceId}`,
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
  const pastDueSince = row?.pastDueSince ?? null;
  return { graceEndsAt: new Date(graceEndsAt({ pastDueSince }, now, await graceMsOf(s))), planName };
}
