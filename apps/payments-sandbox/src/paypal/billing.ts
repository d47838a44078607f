/**
 * PayPal subscription life: approval, renewals on the sandbox clock, failed payments (retried every
 * 5 days; the third failure in a row suspends, PayPal's default `payment_failure_threshold`),
 * cancellation and expiry once a cancelled subscription's paid-through time passes.
 */
import { randomBytes } from "node:crypto";
import { priceByPaypalPlan } from "../catalogue";
import { addInterval, isoTime } from "../clock";
import { centsToDecimal } from "../http";
import type { SandboxState } from "../store";
import { storeSale } from "./sales";
import type { PaypalSale, PaypalStatus, PaypalSubscription } from "./types";

const RETRY_SECONDS = 5 * 24 * 60 * 60;
const FAILURE_THRESHOLD = 3;

export const amountOf = (sub: PaypalSubscription) => {
  const price = priceByPaypalPlan(sub.plan_id);
  return {
    currency_code: "USD",
    value: centsToDecimal(price?.amountCents ?? 0),
    cents: price?.amountCents ?? 0,
  };
};

function setStatus(state: SandboxState, sub: PaypalSubscription, status: PaypalStatus, note?: string): void {
  const now = isoTime(state.clock.now());
  sub.status = status;
  sub.status_update_time = now;
  sub.update_time = now;
  if (note !== undefined) sub.status_change_note = note;
}

function subEvent(state: SandboxState, type: string, sub: PaypalSubscription, summary: string): void {
  state.paypalEvent(type, "subscription", structuredClone(sub), summary, sub.id);
}

/** A successful charge: a completed sale, the paid-through time moves one interval on. */
function charge(state: SandboxState, sub: PaypalSubscription, at: number): void {
  const extras = state.paypalExtras.get(sub.id);
  const price = priceByPaypalPlan(sub.plan_id);
  if (!extras || !price) return;
  const { currency_code, value } = amountOf(sub);
  const time = isoTime(at);
  extras.paidThrough = addInterval(extras.paidThrough, price.interval);
  extras.nextAttempt = extras.paidThrough;
  const cycle = sub.billing_info.cycle_executions[0];
  if (cycle) cycle.cycles_completed += 1;
  sub.billing_info.last_payment = { amount: { currency_code, value }, time };
  sub.billing_info.next_billing_time = isoTime(extras.nextAttempt);
  sub.billing_info.failed_payments_count = 0;
  sub.billing_info.outstanding_balance = { currency_code, value: "0.00" };
  sub.update_time = time;
  const fee = Math.round((price.amountCents * 349) / 10_000) + 49; // 3.49% + 49¢, integer cents
  const saleId = randomBytes(9).toString("hex").toUpperCase().slice(0, 17);
  const sale: PaypalSale = {
    id: saleId,
    state: "completed",
    amount: { total: value, currency: currency_code, details: { subtotal: value } },
    payment_mode: "INSTANT_TRANSFER",
    protection_eligibility: "ELIGIBLE",
    transaction_fee: { value: centsToDecimal(fee), currency: currency_code },
    billing_agreement_id: sub.id,
    custom: sub.custom_id,
    create_time: time,
    update_time: time,
    links: [{ href: `${state.publicUrl}/v1/payments/sale/${saleId}`, rel: "self", method: "GET" }],
  };
  storeSale(state, sale);
  state.paypalEvent("PAYMENT.SALE.COMPLETED", "sale", sale, `Payment completed for $ ${value} USD`, sub.id);
}

/** The approval page's "Pay": the first charge, then ACTIVE. */
export function approve(state: SandboxState, sub: PaypalSubscription): void {
  const now = state.clock.now();
  const extras = state.paypalExtras.get(sub.id);
  if (!extras) return;
  sub.start_time = isoTime(now);
  sub.subscriber.payer_id ??= `PAYER${randomBytes(5).toString("hex").toUpperCase()}`;
  sub.subscriber.email_address ??= "buyer@example.com";
  extras.paidThrough = now;
  setStatus(state, sub, "ACTIVE");
  subEvent(state, "BILLING.SUBSCRIPTION.ACTIVATED", sub, "Subscription activated");
  charge(state, sub, now);
}

export function cancel(state: SandboxState, sub: PaypalSubscription, reason: string): void {
  setStatus(state, sub, "CANCELLED", reason);
  subEvent(state, "BILLING.SUBSCRIPTION.CANCELLED", sub, "Subscription cancelled");
}

export function suspend(state: SandboxState, sub: PaypalSubscription, reason: string): void {
  setStatus(state, sub, "SUSPENDED", reason);
  subEvent(state, "BILLING.SUBSCRIPTION.SUSPENDED", sub, "Subscription suspended");
}

/** Re-activation. Real PayPal names this event BILLING.SUBSCRIPTION.RE-ACTIVATED; see the README. */
export function activate(state: SandboxState, sub: PaypalSubscription, reason: string): void {
  const extras = state.paypalExtras.get(sub.id);
  if (extras) {
    extras.nextAttempt = Math.max(extras.paidThrough, state.clock.now());
    sub.billing_info.next_billing_time = isoTime(extras.nextAttempt);
  }
  sub.billing_info.failed_payments_count = 0;
  setStatus(state, sub, "ACTIVE", reason);
  subEvent(state, "BILLING.SUBSCRIPTION.ACTIVATED", sub, "Subscription re-activated");
}

export function advancePaypal(state: SandboxState): void {
  const now = state.clock.now();
  for (const sub of state.paypalSubscriptions.values()) {
    const extras = state.paypalExtras.get(sub.id);
    if (!extras) continue;
    if (sub.status === "CANCELLED" && extras.paidThrough <= now) {
      setStatus(state, sub, "EXPIRED");
      subEvent(state, "BILLING.SUBSCRIPTION.EXPIRED", sub, "Subscription expired");
      continue;
    }
    while (sub.status === "ACTIVE" && extras.nextAttempt <= now) {
      const at = extras.nextAttempt;
      if (!state.takeFailure(sub.id)) {
        charge(state, sub, at);
        continue;
      }
      const { currency_code, value, cents } = amountOf(sub);
      const info = sub.billing_info;
      info.failed_payments_count += 1;
      info.last_failed_payment = {
        amount: { currency_code, value },
        time: isoTime(at),
        reason_code: "PAYMENT_DENIED",
      };
      // Retries charge the same cycle again, so what is owed is one cycle's amount.
      info.outstanding_balance = { currency_code, value: centsToDecimal(cents) };
      extras.nextAttempt = at + RETRY_SECONDS;
      info.next_billing_time = isoTime(extras.nextAttempt);
      sub.update_time = isoTime(at);
      subEvent(state, "BILLING.SUBSCRIPTION.PAYMENT.FAILED", sub, "Subscription payment failed");
      if (info.failed_payments_count >= FAILURE_THRESHOLD)
        suspend(state, sub, "Payment failure threshold reached");
    }
  }
}
