/**
 * The local mirror of provider subscriptions and invoices. It is only ever written from a
 * snapshot the provider just answered (a webhook re-reads the subscription; cancel re-reads after
 * cancelling), stamped with when it was answered (`snapshot_at`): a write whose snapshot is older
 * than the row's is dropped, so two events processed concurrently (X re-reads "active", Y re-reads
 * "ended" later and commits first) cannot leave the older state behind.
 */
import { and, eq, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import {
  accounts,
  billingCustomers,
  billingInvoices,
  billingRefunds,
  billingSubscriptions,
} from "../db/schema";
import { AppError } from "../lib/errors";
import { newId } from "../lib/ids";
import type { Services } from "../services";
import type { PlanRow } from "./entitlements";
import { planOfPrice } from "./plans";
import type { InvoiceSnapshot, Provider, RefundSnapshot, SubscriptionSnapshot } from "./provider";

type Statement = BatchItem<"sqlite">;

/**
 * The account a snapshot belongs to: the mirror row's (it never moves), else the id the provider
 * carries for us (set by our checkout), else the provider customer's owner, else `hint` (the
 * event's own reference). `gone` when one was named but that account no longer exists.
 */
export async function resolveAccount(
  s: Services,
  snapshot: Pick<
    SubscriptionSnapshot,
    "provider" | "providerSubscriptionId" | "providerCustomerId" | "accountId"
  >,
  hint: string | null,
): Promise<{ accountId: string | null; gone: boolean }> {
  const [mirrored, customer] = await s.db.batch([
    s.db
      .select({ accountId: billingSubscriptions.accountId })
      .from(billingSubscriptions)
      .where(
        and(
          eq(billingSubscriptions.provider, snapshot.provider),
          eq(billingSubscriptions.providerSubscriptionId, snapshot.providerSubscriptionId),
        ),
      ),
    s.db
      .select({ accountId: billingCustomers.accountId })
      .from(billingCustomers)
      .where(
        and(
          eq(billingCustomers.provider, snapshot.provider),
          eq(billingCustomers.providerCustomerId, snapshot.providerCustomerId ?? ""),
        ),
      ),
  ]);
  const candidate = mirrored[0]?.accountId ?? snapshot.accountId ?? customer[0]?.accountId ?? hint;
  if (!candidate) return { accountId: null, gone: false };
  const live = await s.db.select({ id: accounts.id }).from(accounts).where(eq(accounts.id, candidate)).get();
  return live ? { accountId: live.id, gone: false } : { accountId: null, gone: true };
}

/**
 * The statements that make the mirror row equal `snapshot`. `past_due_since` keeps the first time
 * the mirror saw it past due (the grace period counts from there; the provider re-sending past_due
 * must not restart it) and is cleared on any other status. A payment problem is recorded from a
 * failed invoice and cleared once the subscription is active again.
 */
export function subscriptionUpsert(
  s: Services,
  accountId: string,
  snapshot: SubscriptionSnapshot,
  allPlans: readonly PlanRow[],
  opts: { now: number; snapshotAt: number; paymentProblem: string | null },
): Statement {
  const priced = planOfPrice(allPlans, snapshot.provider, snapshot.providerPriceId);
  if (!priced) {
    // An admin has not entered this price on any plan. Failing makes the provider retry (Stripe
    // for three days) until the plan is fixed, instead of dropping a paying customer's state.
    s.log("error", {
      msg: "billing: unknown provider price",
      provider: snapshot.provider,
      price: snapshot.providerPriceId,
    });
    throw new AppError(
      "misconfigured",
      `No plan sells ${snapshot.provider} price ${snapshot.providerPriceId}`,
    );
  }
  const pastDue = snapshot.status === "past_due";
  const healthy = snapshot.status === "active" || snapshot.status === "trialing";
  const t = billingSubscriptions;
  return s.db
    .insert(t)
    .values({
      id: newId("bsub"),
      accountId,
      provider: snapshot.provider,
      providerSubscriptionId: snapshot.providerSubscriptionId,
      planId: priced.plan.id,
      interval: priced.interval,
      status: snapshot.status,
      cancelAtPeriodEnd: snapshot.cancelAtPeriodEnd,
      currentPeriodEnd: snapshot.currentPeriodEnd,
      pastDueSince: pastDue ? opts.now : null,
      lastPaymentProblem: opts.paymentProblem,
      snapshotAt: opts.snapshotAt,
      createdAt: opts.now,
      updatedAt: opts.now,
    })
    .onConflictDoUpdate({
      target: [t.provider, t.providerSubscriptionId],
      set: {
        planId: priced.plan.id,
        interval: priced.interval,
        // `sql` for a CASE: a row we ended as a duplicate (webhooks.ts) stays ended when PayPal's
        // CANCELLED (mapped to `canceled`, paid through) is re-read later; nothing moves a real
        // subscription from ended back to canceled (a newer snapshot is EXPIRED, an older one dropped).
        status: sql`case when ${t.status} = 'ended' and ${snapshot.status} = 'canceled' then 'ended' else ${snapshot.status} end`,
        cancelAtPeriodEnd: snapshot.cancelAtPeriodEnd,
        currentPeriodEnd: snapshot.currentPeriodEnd,
        // `sql` because drizzle has no COALESCE: keep the first sighting, in the same statement,
        // so two concurrent deliveries cannot move it forward.
        pastDueSince: pastDue ? sql`coalesce(${t.pastDueSince}, ${opts.now})` : null,
        lastPaymentProblem: opts.paymentProblem ?? (healthy ? null : sql`${t.lastPaymentProblem}`),
        snapshotAt: opts.snapshotAt,
        updatedAt: opts.now,
      },
      // `sql` because the guard compares with the incoming row (`excluded`), which drizzle cannot
      // name: an older snapshot than the one already mirrored changes nothing (equal ones apply, so
      // the same answer re-applied is harmless).
      setWhere: sql`${t.snapshotAt} <= excluded.snapshot_at`,
    });
}

/**
 * D1's own clock in the statement (epoch ms): a fact's `recorded_at` decides its payout period
 * (docs/payouts.md), so it is the database's time when the row landed, not the isolate's (which
 * may be behind it, or write long after it read the clock). `sql` because drizzle has no function
 * for it; CAST because unixepoch('subsec') is a real.
 */
const d1Now = () => sql`CAST(unixepoch('subsec') * 1000 AS INTEGER)`;

/**
 * The statement that mirrors an invoice (a later event may turn a failed one paid, never the
 * reverse: a late or retried payment_failed arriving after invoice.paid changes nothing).
 *
 * `recorded_at` (its payout period) is stamped by D1 when the row is inserted and kept by every later
 * upsert, with one exception: a failed invoice that is paid later is stamped again when it turns
 * paid, because only paid invoices count and the payment happened then; keeping the failure's time
 * would add it to a period that may already be closed (facts of a closed period never change).
 */
export function invoiceUpsert(s: Services, accountId: string, invoice: InvoiceSnapshot): Statement {
  const t = billingInvoices;
  return s.db
    .insert(t)
    .values({
      id: newId("binv"),
      accountId,
      provider: invoice.provider,
      providerInvoiceId: invoice.providerInvoiceId,
      providerSubscriptionId: invoice.providerSubscriptionId,
      amountCents: invoice.amountCents,
      currency: invoice.currency,
      status: invoice.status,
      periodStart: invoice.periodStart,
      periodEnd: invoice.periodEnd,
      hostedUrl: invoice.hostedUrl,
      createdAt: invoice.createdAt,
      recordedAt: d1Now(),
    })
    .onConflictDoUpdate({
      target: [t.provider, t.providerInvoiceId],
      set: {
        status: invoice.status,
        amountCents: invoice.amountCents,
        hostedUrl: invoice.hostedUrl,
        // `sql` for a CASE on the stored and the incoming row (see above): re-stamped only on the
        // change failed → paid; coalesce in case a row was ever stored without one.
        recordedAt: sql`case when ${t.status} <> 'paid' and excluded.status = 'paid' then ${d1Now()} else coalesce(${t.recordedAt}, ${d1Now()}) end`,
      },
      // `sql` because the guard reads the incoming row (`excluded`): paid is final for an invoice,
      // so a stale "failed" (delivered late, out of order) must not overwrite it.
      setWhere: sql`not (${t.status} = 'paid' and excluded.status = 'failed')`,
    });
}

/**
 * The statement that records a refund (a fact for the payouts: only `succeeded` ones count, in the
 * period of `recorded_at`). `updated_at` is when the provider answered this snapshot: an older
 * snapshot than the stored one changes nothing (two deliveries re-reading at different times and
 * committing in the other order). `recorded_at` is stamped by D1 on insert and kept, except that a
 * refund turning `succeeded` later (pending → succeeded) is stamped then, so it lands in the open
 * period in which the money went back rather than in one that may be closed.
 *
 * `succeeded` is final here: a later snapshot saying otherwise (Stripe's refund.updated/failed after
 * success, a late PayPal event in an unknown state) changes nothing, since the refund already counts
 * in its period, which may be closed and paid out. Money a provider takes back after a success is
 * the platform's again: an operator matter (webhooks.ts logs `billing.refund_reversed_after_success`).
 */
export function refundUpsert(s: Services, refund: RefundSnapshot, snapshotAt: number): Statement {
  const t = billingRefunds;
  return s.db
    .insert(t)
    .values({
      provider: refund.provider,
      providerRefundId: refund.providerRefundId,
      amountCents: refund.amountCents,
      currency: refund.currency,
      status: refund.status,
      recordedAt: d1Now(),
      createdAt: snapshotAt,
      updatedAt: snapshotAt,
    })
    .onConflictDoUpdate({
      target: [t.provider, t.providerRefundId],
      set: {
        amountCents: refund.amountCents,
        currency: refund.currency,
        status: refund.status,
        // `sql` for a CASE on the stored and the incoming row: see above.
        recordedAt: sql`case when ${t.status} <> 'succeeded' and excluded.status = 'succeeded' then ${d1Now()} else ${t.recordedAt} end`,
        updatedAt: snapshotAt,
      },
      // `sql` because the guard compares with the incoming row (`excluded`), which drizzle cannot
      // name; a succeeded row is never rewritten (see above).
      setWhere: sql`${t.updatedAt} <= excluded.updated_at and ${t.status} <> 'succeeded'`,
    });
}

/** The account's customer id at `provider`, if it has one. */
export async function customerIdOf(
  s: Services,
  accountId: string,
  provider: Provider,
): Promise<string | null> {
  const row = await s.db
    .select({ id: billingCustomers.providerCustomerId })
    .from(billingCustomers)
    .where(and(eq(billingCustomers.accountId, accountId), eq(billingCustomers.provider, provider)))
    .get();
  return row?.id ?? null;
}

/**
 * Records the account's customer; if another request stored one first, the stored one wins (both
 * normally carry the same id: the provider call is idempotent per account).
 */
export async function storeCustomer(
  s: Services,
  accountId: string,
  provider: Provider,
  providerCustomerId: string,
): Promise<string> {
  await s.db
    .insert(billingCustomers)
    .values({ accountId, provider, providerCustomerId })
    .onConflictDoNothing();
  return (await customerIdOf(s, accountId, provider)) ?? providerCustomerId;
}
