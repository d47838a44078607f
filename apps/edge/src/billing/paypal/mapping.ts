/**
 * PayPal objects → the core's normalized snapshots (billing/provider.ts). Pure functions: the provider
 * does the HTTP, these decide what a PayPal state means for entitlements.
 */
import { decimalToCents, MoneyFormatError } from "../../lib/money";
import type {
  InvoiceSnapshot,
  RefundStatus,
  SubscriptionSnapshot,
  SubscriptionStatus,
  VerifiedEvent,
} from "../provider";
import { type PayPalPlan, PayPalRefund, PayPalSale, PayPalSubscription } from "./schemas";

/**
 * PayPal status → ours. ACTIVE with a failed payment outstanding (`failed_payments_count > 0`) is
 * past_due: PayPal keeps a subscription ACTIVE through its retries and only SUSPENDs it after the
 * plan's failure threshold, and the grace period must start at the first failure. PayPal resets the
 * count after a successful payment, which makes it active again.
 */
export function statusOf(sub: PayPalSubscription): SubscriptionStatus {
  switch (sub.status) {
    case "APPROVAL_PENDING":
    case "APPROVED":
      return "pending";
    case "ACTIVE":
      return (sub.billing_info?.failed_payments_count ?? 0) > 0 ? "past_due" : "active";
    case "SUSPENDED":
      return "past_due";
    case "CANCELLED":
      return "canceled";
    case "EXPIRED":
      return "ended";
  }
}

function epochMs(iso: string | undefined): number | null {
  if (!iso) return null;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : null;
}

export type Frequency = PayPalPlan["billing_cycles"][number]["frequency"];

/** The plan's regular (not trial) cycle length. */
export function regularFrequency(plan: PayPalPlan): Frequency | null {
  const regular = plan.billing_cycles.find((c) => c.tenure_type === "REGULAR") ?? plan.billing_cycles.at(-1);
  return regular?.frequency ?? null;
}

/** `from` + one cycle, in UTC; month ends clamp (Jan 31 + 1 month = Feb 28/29, as PayPal bills). */
export function addCycle(from: number, frequency: Frequency): number {
  const count = frequency.interval_count ?? 1;
  const d = new Date(from);
  switch (frequency.interval_unit) {
    case "DAY":
      return from + count * 86_400_000;
    case "WEEK":
      return from + count * 7 * 86_400_000;
    case "MONTH":
    case "YEAR": {
      const months = frequency.interval_unit === "MONTH" ? count : count * 12;
      const target = d.getUTCMonth() + months;
      const year = d.getUTCFullYear() + Math.floor(target / 12);
      const month = ((target % 12) + 12) % 12;
      const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
      return Date.UTC(
        year,
        month,
        Math.min(d.getUTCDate(), lastDay),
        d.getUTCHours(),
        d.getUTCMinutes(),
        d.getUTCSeconds(),
        d.getUTCMilliseconds(),
      );
    }
  }
}

/**
 * The end of what was paid for. `next_billing_time` while PayPal still has one. A CANCELLED
 * subscription usually has none any more: then the last payment + one regular cycle of the plan
 * (`cycle` given by the caller, which reads the plan only in that case). Never paid → null (the
 * entitlements then grant nothing for a canceled subscription).
 */
export function paidThrough(sub: PayPalSubscription, cycle: Frequency | null): number | null {
  const next = epochMs(sub.billing_info?.next_billing_time);
  if (next !== null) return next;
  const lastPaid = epochMs(sub.billing_info?.last_payment?.time);
  if (lastPaid === null || cycle === null) return null;
  return addCycle(lastPaid, cycle);
}

/** True when the snapshot needs the plan's cycle length to know its period end. */
export function needsCycle(sub: PayPalSubscription): boolean {
  return !sub.billing_info?.next_billing_time && Boolean(sub.billing_info?.last_payment?.time);
}

export function toSnapshot(sub: PayPalSubscription, cycle: Frequency | null): SubscriptionSnapshot {
  return {
    provider: "paypal",
    providerSubscriptionId: sub.id,
    providerCustomerId: sub.subscriber?.payer_id ?? null,
    accountId: sub.custom_id ?? null,
    providerPriceId: sub.plan_id,
    status: statusOf(sub),
    // PayPal has no "cancel at period end": a CANCELLED subscription stops renewing and is paid through.
    cancelAtPeriodEnd: sub.status === "CANCELLED",
    currentPeriodEnd: paidThrough(sub, cycle),
  };
}

/** PayPal's reason codes for a failed subscription payment, in words a viewer understands. */
const FAILURE_WORDS: Record<string, string> = {
  PAYMENT_DENIED: "PayPal declined the payment.",
  INSUFFICIENT_FUNDS: "The payment failed: insufficient funds.",
  INTERNAL_SERVER_ERROR: "PayPal could not process the payment.",
  PAYEE_ACCOUNT_RESTRICTED: "The payment could not be received.",
  PAYER_ACCOUNT_RESTRICTED: "Your PayPal account is restricted.",
  PAYER_CANNOT_PAY: "PayPal could not charge your account.",
  SENDING_LIMIT_EXCEEDED: "The payment exceeds your PayPal sending limit.",
  TRANSACTION_RECEIVING_LIMIT_EXCEEDED: "The payment could not be received.",
  CURRENCY_MISMATCH: "The payment's currency is not supported by your account.",
};

function failureWords(reasonCode: string | undefined): string {
  if (!reasonCode) return "PayPal could not collect the payment.";
  return FAILURE_WORDS[reasonCode] ?? `PayPal could not collect the payment (${reasonCode}).`;
}

/**
 * A v1 refund's state: `completed` (or none: PayPal sends PAYMENT.SALE.REFUNDED when the money went
 * back) → succeeded; `failed`, `cancelled` as they are; `pending` or anything unknown → pending, which
 * the payouts do not count until a later event says it completed.
 */
export function refundStatusOf(state: string | undefined): RefundStatus {
  switch (state?.toLowerCase()) {
    case undefined:
    case "completed":
      return "succeeded";
    case "failed":
      return "failed";
    case "cancelled":
    case "canceled":
      return "canceled";
    default:
      return "pending";
  }
}

function cents(value: string, opts: { allowNegative?: boolean } = {}): number {
  try {
    return decimalToCents(value, opts);
  } catch (err) {
    if (err instanceof MoneyFormatError)
      throw new Error(`PayPal amount ${JSON.stringify(value)}: ${err.message}`);
    throw err;
  }
}

const SUBSCRIPTION_EVENTS = new Set([
  "BILLING.SUBSCRIPTION.CREATED",
  "BILLING.SUBSCRIPTION.ACTIVATED",
  "BILLING.SUBSCRIPTION.UPDATED",
  "BILLING.SUBSCRIPTION.RE-ACTIVATED",
  "BILLING.SUBSCRIPTION.SUSPENDED",
  "BILLING.SUBSCRIPTION.CANCELLED",
  "BILLING.SUBSCRIPTION.EXPIRED",
  "BILLING.SUBSCRIPTION.PAYMENT.FAILED",
]);

/**
 * A verified event → what the core applies. The signature check already happened; a resource that
 * does not have the shape its event type promises throws (the caller turns it into a 400: PayPal
 * would be sending us something we do not understand, and a retry will not change that).
 */
export function toVerifiedEvent(event: {
  id: string;
  event_type: string;
  create_time?: string;
  resource: Record<string, unknown>;
}): VerifiedEvent {
  const base: VerifiedEvent = {
    provider: "paypal",
    id: event.id,
    type: event.event_type,
    providerSubscriptionId: null,
    accountId: null,
    invoice: null,
    refund: null,
    connectedAccountId: null,
  };
  const eventTime = epochMs(event.create_time) ?? Date.now();

  if (event.event_type === "PAYMENT.SALE.COMPLETED") {
    const sale = PayPalSale.parse(event.resource);
    // A sale without a billing agreement is not a subscription payment (not ours to mirror).
    if (!sale.billing_agreement_id) return base;
    const invoice: InvoiceSnapshot = {
      provider: "paypal",
      providerInvoiceId: sale.id,
      providerSubscriptionId: sale.billing_agreement_id,
      amountCents: cents(sale.amount.total),
      currency: sale.amount.currency.toLowerCase(),
      status: "paid",
      // A v1 sale carries no service period; the subscription's period comes from the re-read.
      periodStart: null,
      periodEnd: null,
      hostedUrl: null,
      createdAt: epochMs(sale.create_time) ?? eventTime,
      failureMessage: null,
    };
    return { ...base, providerSubscriptionId: sale.billing_agreement_id, invoice };
  }

  if (event.event_type === "PAYMENT.SALE.REFUNDED") {
    const refund = PayPalRefund.parse(event.resource);
    return {
      ...base,
      refund: {
        provider: "paypal",
        providerRefundId: refund.id,
        amountCents: Math.abs(cents(refund.amount.total, { allowNegative: true })),
        currency: refund.amount.currency.toLowerCase(),
        status: refundStatusOf(refund.state),
        // The event's time, not ours: a late redelivery is an old copy and must not beat a newer one.
        observedAt: eventTime,
      },
    };
  }

  if (!SUBSCRIPTION_EVENTS.has(event.event_type)) return base;
  const sub = PayPalSubscription.parse(event.resource);
  const withSub: VerifiedEvent = {
    ...base,
    providerSubscriptionId: sub.id,
    accountId: sub.custom_id ?? null,
  };
  if (event.event_type !== "BILLING.SUBSCRIPTION.PAYMENT.FAILED") return withSub;

  const failed = sub.billing_info?.last_failed_payment;
  const amount = failed?.amount ?? sub.billing_info?.outstanding_balance;
  const failedAt = epochMs(failed?.time) ?? eventTime;
  const invoice: InvoiceSnapshot = {
    provider: "paypal",
    // PayPal gives a failed attempt no id: name it after the subscription and the attempt's time, so
    // two deliveries of one failure (or two events about it) mirror one row, and each retry its own.
    providerInvoiceId: `failed:${sub.id}:${failed?.time ?? event.id}`,
    providerSubscriptionId: sub.id,
    amountCents: amount ? cents(amount.value) : 0,
    currency: (amount?.currency_code ?? "usd").toLowerCase(),
    status: "failed",
    periodStart: null,
    periodEnd: null,
    hostedUrl: null,
    createdAt: failedAt,
    failureMessage: failureWords(failed?.reason_code),
  };
  return { ...withSub, invoice };
}
