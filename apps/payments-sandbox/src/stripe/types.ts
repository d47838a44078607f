/** The Stripe objects the sandbox keeps, in (a subset of) their wire shapes. */
export type Metadata = Record<string, string>;

export interface StripeList<T> {
  object: "list";
  data: T[];
  has_more: boolean;
  url: string;
}

export interface StripeCustomer {
  id: string;
  object: "customer";
  created: number;
  email: string | null;
  name: string | null;
  description: string | null;
  metadata: Metadata;
  livemode: false;
  deleted?: true;
}

export interface StripePrice {
  id: string;
  object: "price";
  active: true;
  billing_scheme: "per_unit";
  created: number;
  currency: string;
  livemode: false;
  lookup_key: string;
  metadata: Metadata;
  nickname: string;
  product: string;
  recurring: { interval: "month" | "year"; interval_count: 1; usage_type: "licensed"; meter: null };
  tax_behavior: "unspecified";
  type: "recurring";
  unit_amount: number;
  unit_amount_decimal: string;
}

export interface StripeSubscriptionItem {
  id: string;
  object: "subscription_item";
  created: number;
  current_period_start: number;
  current_period_end: number;
  metadata: Metadata;
  price: StripePrice;
  plan: Record<string, unknown>;
  quantity: number;
  subscription: string;
}

export type SubscriptionStatus =
  | "incomplete"
  | "incomplete_expired"
  | "trialing"
  | "active"
  | "past_due"
  | "canceled"
  | "unpaid"
  | "paused";

export interface StripeSubscription {
  id: string;
  object: "subscription";
  billing_cycle_anchor: number;
  cancel_at: number | null;
  cancel_at_period_end: boolean;
  canceled_at: number | null;
  cancellation_details: { comment: null; feedback: null; reason: string | null };
  collection_method: "charge_automatically";
  created: number;
  currency: string;
  /** Moved to the items in API 2025-03-31.basil; kept here too for older readers. */
  current_period_start: number;
  current_period_end: number;
  customer: string;
  ended_at: number | null;
  items: StripeList<StripeSubscriptionItem>;
  latest_invoice: string | null;
  livemode: false;
  metadata: Metadata;
  plan: Record<string, unknown>;
  quantity: number;
  start_date: number;
  status: SubscriptionStatus;
}

export interface StripeInvoice {
  id: string;
  object: "invoice";
  account_country: "US";
  amount_due: number;
  amount_paid: number;
  amount_remaining: number;
  attempt_count: number;
  attempted: boolean;
  billing_reason: "subscription_create" | "subscription_cycle" | "subscription_update";
  collection_method: "charge_automatically";
  created: number;
  currency: string;
  customer: string;
  customer_email: string | null;
  hosted_invoice_url: string;
  invoice_pdf: string;
  lines: StripeList<Record<string, unknown>>;
  livemode: false;
  metadata: Metadata;
  next_payment_attempt: number | null;
  number: string;
  paid: boolean;
  parent: {
    type: "subscription_details";
    quote_details: null;
    subscription_details: { metadata: Metadata; subscription: string };
  };
  period_start: number;
  period_end: number;
  status: "draft" | "open" | "paid" | "uncollectible" | "void";
  status_transitions: { finalized_at: number | null; paid_at: number | null; voided_at: null };
  /** Moved under `parent.subscription_details` in 2025-03-31.basil; kept here too for older readers. */
  subscription: string;
  subtotal: number;
  total: number;
}

export interface StripeCheckoutSession {
  id: string;
  object: "checkout.session";
  amount_subtotal: number;
  amount_total: number;
  cancel_url: string | null;
  client_reference_id: string | null;
  created: number;
  currency: string;
  customer: string | null;
  customer_creation: "always" | null;
  customer_details: { email: string | null; name: string | null } | null;
  customer_email: string | null;
  expires_at: number;
  invoice: string | null;
  livemode: false;
  metadata: Metadata;
  mode: "subscription";
  payment_status: "paid" | "unpaid" | "no_payment_required";
  status: "open" | "complete" | "expired";
  subscription: string | null;
  success_url: string;
  url: string | null;
}

/** Sandbox-only facts about a checkout session that Stripe keeps off the session object. */
export interface CheckoutExtras {
  price: string;
  quantity: number;
  subscriptionMetadata: Metadata;
}

export interface StripePortalSession {
  id: string;
  object: "billing_portal.session";
  configuration: string;
  created: number;
  customer: string;
  livemode: false;
  return_url: string | null;
  url: string;
}

export interface StripeAccount {
  id: string;
  object: "account";
  business_type: string | null;
  capabilities: Record<string, "active" | "inactive" | "pending">;
  charges_enabled: boolean;
  country: string;
  created: number;
  default_currency: string;
  details_submitted: boolean;
  email: string | null;
  metadata: Metadata;
  payouts_enabled: boolean;
  type: "express" | "standard" | "custom";
}

export interface StripeTransfer {
  id: string;
  object: "transfer";
  amount: number;
  amount_reversed: number;
  created: number;
  currency: string;
  description: string | null;
  destination: string;
  livemode: false;
  metadata: Metadata;
  reversed: boolean;
  transfer_group: string | null;
}

/**
 * What a paid invoice charged. API 2025-03-31.basil took `charge`/`payment_intent` off the invoice:
 * they are reached through its `payments` (InvoicePayment objects, included with `expand[]=payments`
 * or listed by `GET /v1/invoice_payments?invoice=`), each naming a PaymentIntent; the charge is the
 * intent's `latest_charge`.
 */
export interface StripePaymentIntent {
  id: string;
  object: "payment_intent";
  amount: number;
  amount_received: number;
  created: number;
  currency: string;
  customer: string;
  latest_charge: string;
  livemode: false;
  metadata: Metadata;
  status: "succeeded";
}

export interface StripeCharge {
  id: string;
  object: "charge";
  amount: number;
  amount_captured: number;
  amount_refunded: number;
  captured: true;
  created: number;
  currency: string;
  customer: string;
  description: string | null;
  livemode: false;
  metadata: Metadata;
  paid: true;
  payment_intent: string;
  refunded: boolean;
  status: "succeeded";
}

export interface StripeInvoicePayment {
  id: string;
  object: "invoice_payment";
  amount_paid: number;
  amount_requested: number;
  created: number;
  currency: string;
  invoice: string;
  is_default: true;
  livemode: false;
  payment: { type: "payment_intent"; payment_intent: string };
  status: "paid";
  status_transitions: { canceled_at: null; paid_at: number };
}

export type RefundStatus = "pending" | "requires_action" | "succeeded" | "failed" | "canceled";

export interface StripeRefund {
  id: string;
  object: "refund";
  amount: number;
  balance_transaction: null;
  charge: string;
  created: number;
  currency: string;
  failure_reason: string | null;
  metadata: Metadata;
  payment_intent: string;
  reason: "duplicate" | "fraudulent" | "requested_by_customer" | null;
  receipt_number: null;
  source_transfer_reversal: null;
  status: RefundStatus;
  transfer_reversal: null;
}
