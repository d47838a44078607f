/**
 * What the billing core needs from a payment provider (Stripe: billing/stripe/, PayPal:
 * billing/paypal/). The core owns the mirror, the entitlements and the webhook pipeline; a
 * provider only talks its own API and turns its objects into these normalized snapshots.
 *
 * Every mutating call carries an idempotency key (Stripe `Idempotency-Key`, PayPal
 * `PayPal-Request-Id`) derived from what it does, so a retried call never does it twice.
 * Timeouts/unreachable → AppError("provider_unavailable") (503); a provider 5xx →
 * AppError("delivery_failed") (502); a provider 4xx caused by the client's input → a 4xx AppError.
 */

export const PROVIDERS = ["stripe", "paypal"] as const;
export type Provider = (typeof PROVIDERS)[number];

export type BillingInterval = "month" | "year";

/**
 * The mirror's normalized status:
 * - pending: created, not paid yet (PayPal APPROVAL_PENDING, Stripe incomplete): no access;
 * - trialing, active: the plan (also while `cancelAtPeriodEnd`);
 * - past_due: a payment failed (Stripe past_due, PayPal PAYMENT.FAILED/SUSPENDED): the plan for the
 *   grace period, counted from when the mirror first saw it past due;
 * - canceled: no more renewals, paid through `currentPeriodEnd` (PayPal CANCELLED): the plan until then;
 * - ended: over (Stripe canceled/unpaid/incomplete_expired, PayPal EXPIRED): no access.
 */
export type SubscriptionStatus = "pending" | "trialing" | "active" | "past_due" | "canceled" | "ended";

/** Statuses the provider may still charge: account deletion and cancel act on these. */
export const CHARGEABLE_STATUSES: readonly SubscriptionStatus[] = [
  "pending",
  "trialing",
  "active",
  "past_due",
];
/** Statuses of a subscription that is running (paid or being dunned): an account has at most one. */
export const RUNNING_STATUSES: readonly SubscriptionStatus[] = ["trialing", "active", "past_due"];

export interface SubscriptionSnapshot {
  provider: Provider;
  providerSubscriptionId: string;
  providerCustomerId: string | null;
  /** Ours, as the provider carries it (Stripe metadata.accountId, PayPal custom_id); null if absent. */
  accountId: string | null;
  /** Stripe Price id / PayPal Plan id; the core maps it to (plan, interval) through the plans table. */
  providerPriceId: string;
  status: SubscriptionStatus;
  cancelAtPeriodEnd: boolean;
  /** Epoch ms the paid period ends (Stripe current_period_end, PayPal billing_info.next_billing_time). */
  currentPeriodEnd: number | null;
}

export interface InvoiceSnapshot {
  provider: Provider;
  /** Stripe invoice id / PayPal sale or transaction id. */
  providerInvoiceId: string;
  providerSubscriptionId: string | null;
  /** Integer cents (lib/money.ts turns provider decimals into cents exactly). */
  amountCents: number;
  /** ISO 4217, lower case. */
  currency: string;
  status: "paid" | "failed";
  periodStart: number | null;
  periodEnd: number | null;
  hostedUrl: string | null;
  /** Epoch ms. */
  createdAt: number;
  /** The provider's words for a failed payment ("Your card was declined."). */
  failureMessage: string | null;
}

/**
 * A refund of a payment, as a fact for the payouts: only `succeeded` ones reduce the period's premium
 * revenue (Stripe `requires_action` is still `pending`; PayPal's v1 refunds are `completed` →
 * `succeeded` when PayPal tells us about them).
 */
export type RefundStatus = "pending" | "succeeded" | "failed" | "canceled";

export interface RefundSnapshot {
  provider: Provider;
  /** Stripe `re_…` / PayPal refund id. */
  providerRefundId: string;
  /** Integer cents, positive. */
  amountCents: number;
  /** ISO 4217, lower case. */
  currency: string;
  status: RefundStatus;
  /**
   * When this copy was the provider's state (epoch ms), if the provider says: PayPal's event
   * `create_time` (a late delivery is an old copy). Absent: read just now (Stripe's re-read).
   */
  observedAt?: number;
}

/** A webhook delivery after its signature was verified, reduced to what the core acts on. */
export interface VerifiedEvent {
  provider: Provider;
  /** The provider's event id: each is applied once. */
  id: string;
  type: string;
  /** The subscription this event is about (re-read from the provider before applying), if any. */
  providerSubscriptionId: string | null;
  /** Stripe checkout.session.completed: the account it was for (client_reference_id). */
  accountId: string | null;
  /** An invoice or payment to mirror, if the event carries one. */
  invoice: InvoiceSnapshot | null;
  /**
   * A refund the event is about. With `fetchRefund` (Stripe) only its id matters: the refund is
   * re-read before applying, like a subscription; otherwise (PayPal) the verified event's own copy
   * is the fact.
   */
  refund: RefundSnapshot | null;
  /** Stripe Connect `account.updated`: the connected account to refresh (payouts/accounts.ts). */
  connectedAccountId: string | null;
}

export interface CheckoutInput {
  account: { id: string; email: string };
  plan: { id: string; name: string };
  interval: BillingInterval;
  providerPriceId: string;
  /** The provider's customer id for this account, if one exists (Stripe). */
  providerCustomerId: string | null;
  successUrl: string;
  cancelUrl: string;
}

export interface CheckoutResult {
  url: string;
  /** Set when the provider creates the customer during checkout (Stripe): the core stores it. */
  providerCustomerId?: string;
  /** Set when the subscription exists before approval (PayPal): the core mirrors it as pending. */
  pending?: SubscriptionSnapshot;
}

export interface BillingProvider {
  readonly name: Provider;
  /** Throws AppError("bad_request") when the signature or body is not genuine. */
  verifyWebhook(headers: Headers, rawBody: string): Promise<VerifiedEvent>;
  fetchSubscription(providerSubscriptionId: string): Promise<SubscriptionSnapshot>;
  /** Providers whose refunds can be read back (Stripe): the refund as the provider holds it now. */
  fetchRefund?(providerRefundId: string): Promise<RefundSnapshot>;
  startCheckout(input: CheckoutInput): Promise<CheckoutResult>;
  /**
   * `period_end`: no renewal, access kept until the period ends; `now`: ended at once (account
   * deletion, a duplicate). `intent` tells this cancel apart from an earlier one of the same
   * subscription (the mirror row's updatedAt), so cancel → resume → cancel is not an idempotent replay.
   */
  cancel(providerSubscriptionId: string, mode: "period_end" | "now", intent?: string): Promise<void>;
  /**
   * Providers with a customer object (Stripe): create the account's customer (idempotent per
   * account) before the first checkout, so the core stores it once and every checkout reuses it.
   */
  createCustomer?(account: { id: string; email: string }): Promise<string>;
  /** Providers with a hosted self-service portal (Stripe): its URL for the customer. */
  openPortal?(input: { providerCustomerId: string; returnUrl: string }): Promise<{ url: string }>;
}
