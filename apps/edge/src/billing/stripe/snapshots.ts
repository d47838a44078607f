/** Stripe's objects as the core's normalized snapshots (billing/provider.ts). */
import type Stripe from "stripe";
import type {
  InvoiceSnapshot,
  RefundSnapshot,
  RefundStatus,
  SubscriptionSnapshot,
  SubscriptionStatus,
} from "../provider";

const ms = (seconds: number | null | undefined) => (seconds == null ? null : seconds * 1000);
const idOf = (x: string | { id: string } | null | undefined) =>
  x == null ? null : typeof x === "string" ? x : x.id;

/**
 * incomplete → pending (not paid yet), trialing/active as they are, past_due → past_due,
 * unpaid/canceled/incomplete_expired → ended (Stripe's "canceled" is final: no paid-through time
 * left to keep; a cancel at period end stays `active` with cancel_at_period_end until then).
 * paused (a trial without a payment method) gives nothing → ended.
 */
export function statusOf(status: Stripe.Subscription.Status): SubscriptionStatus {
  switch (status) {
    case "incomplete":
      return "pending";
    case "trialing":
      return "trialing";
    case "active":
      return "active";
    case "past_due":
      return "past_due";
    default:
      return "ended";
  }
}

export function subscriptionSnapshot(sub: Stripe.Subscription): SubscriptionSnapshot {
  const item = sub.items.data[0];
  // API 2025-03-31 moved the period to the items; older objects (and the sandbox) still carry it on top.
  const legacyEnd = (sub as unknown as { current_period_end?: number }).current_period_end;
  return {
    provider: "stripe",
    providerSubscriptionId: sub.id,
    providerCustomerId: idOf(sub.customer),
    accountId: sub.metadata?.accountId || null,
    providerPriceId: item?.price.id ?? "",
    status: statusOf(sub.status),
    cancelAtPeriodEnd: sub.cancel_at_period_end,
    currentPeriodEnd: ms(item?.current_period_end ?? legacyEnd),
  };
}

/** The subscription an invoice bills (API 2025-03-31: under parent.subscription_details). */
export function invoiceSubscriptionId(invoice: Stripe.Invoice): string | null {
  const legacy = (invoice as unknown as { subscription?: string | { id: string } | null }).subscription;
  return idOf(invoice.parent?.subscription_details?.subscription) ?? idOf(legacy);
}

export function invoiceSnapshot(invoice: Stripe.Invoice, failed: boolean): InvoiceSnapshot | null {
  if (!invoice.id) return null;
  return {
    provider: "stripe",
    providerInvoiceId: invoice.id,
    providerSubscriptionId: invoiceSubscriptionId(invoice),
    // Stripe amounts are already integer minor units.
    amountCents: failed ? invoice.amount_due : invoice.amount_paid,
    currency: invoice.currency.toLowerCase(),
    status: failed ? "failed" : "paid",
    periodStart: ms(invoice.period_start),
    periodEnd: ms(invoice.period_end),
    hostedUrl: invoice.hosted_invoice_url ?? null,
    createdAt: invoice.created * 1000,
    failureMessage: failed
      ? (invoice.last_finalization_error?.message ?? "Your payment method was declined.")
      : null,
  };
}

/** `requires_action` (the customer must act before the money moves) is still pending. */
export function refundStatusOf(status: string | null): RefundStatus {
  switch (status) {
    case "succeeded":
      return "succeeded";
    case "failed":
      return "failed";
    case "canceled":
      return "canceled";
    default:
      return "pending";
  }
}

export function refundSnapshot(refund: Stripe.Refund): RefundSnapshot {
  return {
    provider: "stripe",
    providerRefundId: refund.id,
    // Stripe amounts are already integer minor units.
    amountCents: refund.amount,
    currency: refund.currency.toLowerCase(),
    status: refundStatusOf(refund.status),
  };
}
