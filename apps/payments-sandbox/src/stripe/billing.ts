/**
 * What happens to Stripe subscriptions when a person pays, changes plan, cancels, or the sandbox
 * clock passes a period end. Every change emits the events Stripe would, in the order listed in the
 * package README; all of one subscription's events share its delivery queue.
 */
import { addInterval } from "../clock";
import { newId } from "../http";
import type { SandboxState } from "../store";
import { findPrice, planObject } from "./objects";
import { recordPayment } from "./payments";
import type { Metadata, StripeInvoice, StripePrice, StripeSubscription } from "./types";

function setPeriod(sub: StripeSubscription, start: number, end: number): void {
  sub.current_period_start = start;
  sub.current_period_end = end;
  for (const item of sub.items.data) {
    item.current_period_start = start;
    item.current_period_end = end;
  }
}

const intervalOf = (sub: StripeSubscription) => sub.items.data[0]?.price.recurring.interval ?? "month";
const amountOf = (sub: StripeSubscription) =>
  sub.items.data.reduce((sum, item) => sum + item.price.unit_amount * item.quantity, 0);

export function createSubscription(
  state: SandboxState,
  customer: string,
  price: StripePrice,
  quantity: number,
  metadata: Metadata,
): StripeSubscription {
  const now = state.clock.now();
  const id = newId("sub");
  const end = addInterval(now, price.recurring.interval);
  const sub: StripeSubscription = {
    id,
    object: "subscription",
    billing_cycle_anchor: now,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, reason: null },
    collection_method: "charge_automatically",
    created: now,
    currency: price.currency,
    current_period_start: now,
    current_period_end: end,
    customer,
    ended_at: null,
    items: {
      object: "list",
      data: [
        {
          id: newId("si"),
          object: "subscription_item",
          created: now,
          current_period_start: now,
          current_period_end: end,
          metadata: {},
          price,
          plan: planObject(price),
          quantity,
          subscription: id,
        },
      ],
      has_more: false,
      url: `/v1/subscription_items?subscription=${id}`,
    },
    latest_invoice: null,
    livemode: false,
    metadata,
    plan: planObject(price),
    quantity,
    start_date: now,
    status: "active",
  };
  state.subscriptions.set(id, sub);
  return sub;
}

let invoiceNumber = 0;

export function createInvoice(
  state: SandboxState,
  sub: StripeSubscription,
  reason: StripeInvoice["billing_reason"],
  paid: boolean,
  /** When it was created and charged: a renewal's is its period boundary, not the advanced clock. */
  now = state.clock.now(),
): StripeInvoice {
  const id = newId("in");
  const amount = amountOf(sub);
  const customer = state.customers.get(sub.customer);
  const invoice: StripeInvoice = {
    id,
    object: "invoice",
    account_country: "US",
    amount_due: amount,
    amount_paid: paid ? amount : 0,
    amount_remaining: paid ? 0 : amount,
    attempt_count: 1,
    attempted: true,
    billing_reason: reason,
    collection_method: "charge_automatically",
    created: now,
    currency: sub.currency,
    customer: sub.customer,
    customer_email: customer?.email ?? null,
    hosted_invoice_url: `${state.publicUrl}/invoice/${id}`,
    invoice_pdf: `${state.publicUrl}/invoice/${id}/pdf`,
    lines: {
      object: "list",
      data: sub.items.data.map((item) => ({
        id: newId("il"),
        object: "line_item",
        amount: item.price.unit_amount * item.quantity,
        currency: item.price.currency,
        description: `${item.quantity} × ${item.price.nickname}`,
        period: { start: sub.current_period_start, end: sub.current_period_end },
        pricing: {
          type: "price_details",
          price_details: { price: item.price.id, product: item.price.product },
        },
        quantity: item.quantity,
      })),
      has_more: false,
      url: `/v1/invoices/${id}/lines`,
    },
    livemode: false,
    metadata: {},
    // The sandbox doesn't retry an open invoice by itself: the next renewal charges afresh.
    next_payment_attempt: null,
    number: `MARQ-${String(++invoiceNumber).padStart(4, "0")}`,
    paid,
    parent: {
      type: "subscription_details",
      quote_details: null,
      subscription_details: { metadata: { ...sub.metadata }, subscription: sub.id },
    },
    // The service period the invoice pays for (Stripe's own top-level period_* can lag a cycle behind
    // on subscription invoices; the lines carry the same period).
    period_start: sub.current_period_start,
    period_end: sub.current_period_end,
    status: paid ? "paid" : "open",
    status_transitions: { finalized_at: now, paid_at: paid ? now : null, voided_at: null },
    subscription: sub.id,
    subtotal: amount,
    total: amount,
  };
  state.invoices.set(id, invoice);
  recordPayment(state, invoice);
  sub.latest_invoice = id;
  return invoice;
}

/** Stripe Checkout's "Pay": customer, active subscription, paid invoice, then three events. */
export function completeCheckout(state: SandboxState, sessionId: string): string | undefined {
  const session = state.sessions.get(sessionId);
  const extras = state.checkoutExtras.get(sessionId);
  if (!session || !extras || session.status !== "open") return undefined;
  const price = findPrice(extras.price);
  if (!price) return undefined;
  let customerId = session.customer;
  if (!customerId) {
    customerId = newId("cus");
    state.customers.set(customerId, {
      id: customerId,
      object: "customer",
      created: state.clock.now(),
      email: session.customer_email,
      name: null,
      description: null,
      metadata: {},
      livemode: false,
    });
  }
  const customer = state.customers.get(customerId);
  const sub = createSubscription(state, customerId, price, extras.quantity, extras.subscriptionMetadata);
  const invoice = createInvoice(state, sub, "subscription_create", true);
  Object.assign(session, {
    customer: customerId,
    customer_details: { email: customer?.email ?? session.customer_email, name: customer?.name ?? null },
    invoice: invoice.id,
    payment_status: "paid",
    status: "complete",
    subscription: sub.id,
    url: null,
  });
  state.stripeEvent("checkout.session.completed", session, sub.id);
  state.stripeEvent("customer.subscription.created", sub, sub.id);
  state.stripeEvent("invoice.paid", invoice, sub.id);
  return session.success_url.replaceAll("{CHECKOUT_SESSION_ID}", session.id);
}

export interface SubscriptionChanges {
  cancelAtPeriodEnd?: boolean;
  price?: StripePrice;
  metadata?: Metadata;
}

/**
 * An update from the API or the portal. A price change starts a new period at once and charges the
 * new price in full (no proration: enough for a sandbox), so it emits `invoice.paid` after `updated`.
 */
export function updateSubscription(
  state: SandboxState,
  sub: StripeSubscription,
  changes: SubscriptionChanges,
): void {
  const now = state.clock.now();
  const previous: Record<string, unknown> = {};
  if (changes.cancelAtPeriodEnd !== undefined && changes.cancelAtPeriodEnd !== sub.cancel_at_period_end) {
    Object.assign(previous, {
      cancel_at_period_end: sub.cancel_at_period_end,
      cancel_at: sub.cancel_at,
      canceled_at: sub.canceled_at,
      cancellation_details: { ...sub.cancellation_details },
    });
    sub.cancel_at_period_end = changes.cancelAtPeriodEnd;
    sub.cancel_at = changes.cancelAtPeriodEnd ? sub.current_period_end : null;
    sub.canceled_at = changes.cancelAtPeriodEnd ? now : null;
    sub.cancellation_details.reason = changes.cancelAtPeriodEnd ? "cancellation_requested" : null;
  }
  if (changes.metadata) {
    previous.metadata = { ...sub.metadata };
    sub.metadata = changes.metadata;
  }
  let invoicePaid: StripeInvoice | undefined;
  const item = sub.items.data[0];
  if (changes.price && item && changes.price.id !== item.price.id) {
    previous.items = structuredClone(sub.items);
    previous.plan = sub.plan;
    Object.assign(previous, {
      current_period_start: sub.current_period_start,
      current_period_end: sub.current_period_end,
      latest_invoice: sub.latest_invoice,
    });
    item.price = changes.price;
    item.plan = planObject(changes.price);
    sub.plan = item.plan;
    setPeriod(sub, now, addInterval(now, changes.price.recurring.interval));
    if (sub.cancel_at_period_end) sub.cancel_at = sub.current_period_end;
    if (sub.status === "past_due") {
      previous.status = sub.status;
      sub.status = "active";
    }
    invoicePaid = createInvoice(state, sub, "subscription_update", true);
  }
  if (Object.keys(previous).length === 0) return;
  state.stripeEvent("customer.subscription.updated", sub, sub.id, previous);
  if (invoicePaid) state.stripeEvent("invoice.paid", invoicePaid, sub.id);
}

/** `DELETE /v1/subscriptions/{id}`: ends it now. */
export function cancelNow(state: SandboxState, sub: StripeSubscription): void {
  if (sub.status === "canceled") return;
  const now = state.clock.now();
  sub.status = "canceled";
  sub.canceled_at ??= now;
  sub.ended_at = now;
  sub.cancel_at = null;
  sub.cancellation_details.reason ??= "cancellation_requested";
  state.stripeEvent("customer.subscription.deleted", sub, sub.id);
}

/** The clock moved: end, renew or fail every subscription whose period end it passed. */
export function advanceStripe(state: SandboxState): void {
  const now = state.clock.now();
  for (const sub of state.subscriptions.values()) {
    while (sub.status !== "canceled" && sub.current_period_end <= now) {
      const end = sub.current_period_end;
      if (sub.cancel_at_period_end) {
        sub.status = "canceled";
        sub.ended_at = end;
        sub.canceled_at ??= end;
        state.stripeEvent("customer.subscription.deleted", sub, sub.id);
        break;
      }
      const previous = {
        current_period_start: sub.current_period_start,
        current_period_end: sub.current_period_end,
        latest_invoice: sub.latest_invoice,
        status: sub.status,
      };
      setPeriod(sub, end, addInterval(end, intervalOf(sub)));
      const failed = state.takeFailure(sub.id);
      const invoice = createInvoice(state, sub, "subscription_cycle", !failed, end);
      sub.status = failed ? "past_due" : "active";
      if (previous.status === sub.status) delete (previous as Partial<typeof previous>).status;
      state.stripeEvent(failed ? "invoice.payment_failed" : "invoice.paid", invoice, sub.id);
      state.stripeEvent("customer.subscription.updated", sub, sub.id, previous);
    }
  }
}
