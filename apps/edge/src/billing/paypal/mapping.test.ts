import { describe, expect, it } from "vitest";
import { addCycle, paidThrough, statusOf, toSnapshot, toVerifiedEvent } from "./mapping";
import { PayPalSubscription } from "./schemas";

const sub = (over: Record<string, unknown>) =>
  PayPalSubscription.parse({
    id: "I-1",
    status: "ACTIVE",
    plan_id: "P-PREMIUM-MONTH",
    custom_id: "acc_1",
    ...over,
  });

describe("PayPal subscription → snapshot", () => {
  it("maps every PayPal status to the mirror's status", () => {
    expect(statusOf(sub({ status: "APPROVAL_PENDING" }))).toBe("pending");
    expect(statusOf(sub({ status: "APPROVED" }))).toBe("pending");
    expect(statusOf(sub({ status: "ACTIVE" }))).toBe("active");
    expect(statusOf(sub({ status: "SUSPENDED" }))).toBe("past_due");
    expect(statusOf(sub({ status: "CANCELLED" }))).toBe("canceled");
    expect(statusOf(sub({ status: "EXPIRED" }))).toBe("ended");
  });

  it("treats an ACTIVE subscription with a failed payment outstanding as past_due until a payment succeeds", () => {
    expect(statusOf(sub({ billing_info: { failed_payments_count: 1 } }))).toBe("past_due");
    expect(statusOf(sub({ billing_info: { failed_payments_count: 0 } }))).toBe("active");
  });

  it("is paid through next_billing_time, or the last payment plus one plan cycle once PayPal dropped it", () => {
    const next = "2027-01-06T10:00:00Z";
    expect(paidThrough(sub({ billing_info: { next_billing_time: next } }), null)).toBe(Date.parse(next));
    const cancelled = sub({
      status: "CANCELLED",
      billing_info: { last_payment: { time: "2026-01-31T08:00:00Z" } },
    });
    expect(paidThrough(cancelled, { interval_unit: "MONTH", interval_count: 1 })).toBe(
      Date.parse("2026-02-28T08:00:00Z"),
    );
    expect(paidThrough(cancelled, { interval_unit: "YEAR" })).toBe(Date.parse("2027-01-31T08:00:00Z"));
    // Never paid: nothing to be paid through.
    expect(paidThrough(sub({ status: "CANCELLED" }), { interval_unit: "MONTH" })).toBeNull();
  });

  it("adds calendar cycles in UTC, clamping month ends", () => {
    expect(addCycle(Date.parse("2028-01-31T00:00:00Z"), { interval_unit: "MONTH" })).toBe(
      Date.parse("2028-02-29T00:00:00Z"),
    );
    expect(addCycle(Date.parse("2026-11-15T12:00:00Z"), { interval_unit: "MONTH", interval_count: 3 })).toBe(
      Date.parse("2027-02-15T12:00:00Z"),
    );
    expect(addCycle(0, { interval_unit: "WEEK", interval_count: 2 })).toBe(14 * 86_400_000);
  });

  it("carries custom_id as the account and plan_id as the price; cancelAtPeriodEnd only when CANCELLED", () => {
    const snap = toSnapshot(sub({ status: "CANCELLED", subscriber: { payer_id: "PAYER1" } }), null);
    expect(snap).toMatchObject({
      provider: "paypal",
      providerSubscriptionId: "I-1",
      providerCustomerId: "PAYER1",
      accountId: "acc_1",
      providerPriceId: "P-PREMIUM-MONTH",
      status: "canceled",
      cancelAtPeriodEnd: true,
    });
    expect(toSnapshot(sub({}), null).cancelAtPeriodEnd).toBe(false);
  });
});

describe("PayPal webhook event → VerifiedEvent", () => {
  const envelope = (event_type: string, resource: Record<string, unknown>) => ({
    id: "WH-1",
    event_type,
    create_time: "2026-12-06T04:00:00Z",
    resource,
  });

  it("turns PAYMENT.SALE.REFUNDED into a refund in positive cents, whatever the sign PayPal gives the total", () => {
    for (const total of ["7.50", "-7.50"]) {
      const ev = toVerifiedEvent(
        envelope("PAYMENT.SALE.REFUNDED", {
          id: "RF-1",
          state: "completed",
          sale_id: "S-1",
          amount: { total, currency: "USD" },
        }),
      );
      expect(ev).toMatchObject({ providerSubscriptionId: null, invoice: null, connectedAccountId: null });
      expect(ev.refund).toEqual({
        provider: "paypal",
        providerRefundId: "RF-1",
        amountCents: 750,
        currency: "usd",
        status: "succeeded",
        // The event's create_time is the copy's time (a late delivery must not beat a newer copy).
        observedAt: Date.parse("2026-12-06T04:00:00Z"),
      });
    }
    const states = { completed: "succeeded", pending: "pending", failed: "failed", cancelled: "canceled" };
    for (const [state, status] of Object.entries(states)) {
      const res = { id: "RF-2", state, amount: { total: "1", currency: "USD" } };
      expect(toVerifiedEvent(envelope("PAYMENT.SALE.REFUNDED", res)).refund?.status).toBe(status);
    }
    const noState = { id: "RF-3", amount: { total: "1.00", currency: "USD" } };
    expect(toVerifiedEvent(envelope("PAYMENT.SALE.REFUNDED", noState)).refund?.status).toBe("succeeded");
    const odd = { id: "RF-4", state: "reversed", amount: { total: "1.00", currency: "USD" } };
    expect(toVerifiedEvent(envelope("PAYMENT.SALE.REFUNDED", odd)).refund?.status).toBe("pending");
    const bad = { id: "RF-5", amount: { total: "1.005", currency: "USD" } };
    expect(() => toVerifiedEvent(envelope("PAYMENT.SALE.REFUNDED", bad))).toThrow(/amount/);
  });

  it("names the subscription for BILLING.SUBSCRIPTION.* events", () => {
    for (const type of ["ACTIVATED", "CANCELLED", "SUSPENDED", "EXPIRED", "UPDATED", "CREATED"]) {
      const ev = toVerifiedEvent(envelope(`BILLING.SUBSCRIPTION.${type}`, sub({ id: "I-9" })));
      expect(ev).toMatchObject({
        provider: "paypal",
        id: "WH-1",
        providerSubscriptionId: "I-9",
        invoice: null,
      });
    }
  });

  it("turns PAYMENT.SALE.COMPLETED into a paid invoice in exact cents", () => {
    const ev = toVerifiedEvent(
      envelope("PAYMENT.SALE.COMPLETED", {
        id: "SALE-1",
        state: "completed",
        amount: { total: "17.99", currency: "USD" },
        billing_agreement_id: "I-9",
        create_time: "2026-12-06T03:59:00Z",
      }),
    );
    expect(ev.providerSubscriptionId).toBe("I-9");
    expect(ev.invoice).toMatchObject({
      providerInvoiceId: "SALE-1",
      amountCents: 1799,
      currency: "usd",
      status: "paid",
      createdAt: Date.parse("2026-12-06T03:59:00Z"),
    });
  });

  it("turns BILLING.SUBSCRIPTION.PAYMENT.FAILED into a failed invoice with the reason in words", () => {
    const ev = toVerifiedEvent(
      envelope(
        "BILLING.SUBSCRIPTION.PAYMENT.FAILED",
        sub({
          id: "I-9",
          billing_info: {
            failed_payments_count: 1,
            last_failed_payment: {
              amount: { currency_code: "USD", value: "9.99" },
              time: "2026-12-06T03:00:00Z",
              reason_code: "PAYMENT_DENIED",
            },
          },
        }),
      ),
    );
    expect(ev.invoice).toMatchObject({
      providerInvoiceId: "failed:I-9:2026-12-06T03:00:00Z",
      amountCents: 999,
      status: "failed",
      failureMessage: "PayPal declined the payment.",
    });
  });

  it("passes other event types through with no subscription, and refuses a sale amount with more than two decimals", () => {
    const ev = toVerifiedEvent(envelope("CUSTOMER.DISPUTE.CREATED", { id: "PP-D-1" }));
    expect(ev).toMatchObject({
      type: "CUSTOMER.DISPUTE.CREATED",
      providerSubscriptionId: null,
      invoice: null,
    });
    expect(() =>
      toVerifiedEvent(
        envelope("PAYMENT.SALE.COMPLETED", {
          id: "S",
          amount: { total: "17.999", currency: "USD" },
          billing_agreement_id: "I-9",
        }),
      ),
    ).toThrow();
  });
});
