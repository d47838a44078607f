import Stripe from "stripe";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SANDBOX_CREDENTIALS } from "./credentials";
import { type PaymentsSandbox, startPaymentsSandbox } from "./server";
import { control, formAction, type Receiver, startReceiver, submit, until } from "./testing";

const { stripeSecretKey: KEY, stripeWebhookSecret: SECRET } = SANDBOX_CREDENTIALS;

let sandbox: PaymentsSandbox;
let receiver: Receiver;
let stripe: Stripe;

beforeEach(async () => {
  receiver = await startReceiver();
  sandbox = await startPaymentsSandbox({
    stripeWebhook: { url: receiver.url, secret: SECRET },
    retryDelaysMs: [50],
  });
  const { hostname, port } = new URL(sandbox.url);
  stripe = new Stripe(KEY, {
    host: hostname,
    port: Number(port),
    protocol: "http",
    httpClient: Stripe.createFetchHttpClient(),
    maxNetworkRetries: 0,
  });
});

afterEach(async () => {
  await sandbox.close();
  await receiver.close();
});

/** Checkout paid on the hosted page; the paid invoice and what it charged. */
async function paidInvoice(): Promise<{ invoice: Stripe.Invoice; intent: string; charge: string }> {
  const session = await stripe.checkout.sessions.create({
    mode: "subscription",
    customer_email: "viewer@example.com",
    client_reference_id: "acc_9",
    line_items: [{ price: "price_premium_month", quantity: 1 }],
    success_url: "http://marquee.test/ok",
    cancel_url: "http://marquee.test/no",
  });
  const page = await (await fetch(session.url as string)).text();
  expect((await submit(new URL(formAction(page, "Pay"), sandbox.url).toString())).status).toBe(303);
  await until("the checkout's three events", () => receiver.accepted().length >= 3);
  const done = await stripe.checkout.sessions.retrieve(session.id);
  const invoice = await stripe.invoices.retrieve(done.invoice as string, {
    expand: ["payments.data.payment.payment_intent"],
  });
  const payment = invoice.payments?.data[0]?.payment;
  const intent = payment?.payment_intent as Stripe.PaymentIntent;
  expect(intent).toMatchObject({ object: "payment_intent", amount: 1799, status: "succeeded" });
  return { invoice, intent: intent.id, charge: intent.latest_charge as string };
}

async function eventsAfter(skip: number, count: number): Promise<Stripe.Event[]> {
  await until(`${count} more events`, () => receiver.accepted().length >= skip + count);
  return Promise.all(
    receiver
      .accepted()
      .slice(skip)
      .map((d) => stripe.webhooks.constructEventAsync(d.body, String(d.headers["stripe-signature"]), SECRET)),
  );
}

describe("stripe refunds", () => {
  it("a paid invoice names its payment (invoice_payments, the intent's latest_charge) and an unexpanded invoice has no payments", async () => {
    const { invoice, intent, charge } = await paidInvoice();
    const plain = await stripe.invoices.retrieve(invoice.id as string);
    expect(plain.payments).toBeUndefined();
    const listed = await stripe.invoicePayments.list({ invoice: invoice.id as string });
    expect(listed.data).toHaveLength(1);
    expect(listed.data[0]).toMatchObject({ amount_paid: 1799, status: "paid", invoice: invoice.id });
    expect(listed.data[0]?.payment.payment_intent).toBe(intent);
    const ch = await stripe.charges.retrieve(charge);
    expect(ch).toMatchObject({ amount: 1799, amount_refunded: 0, refunded: false, payment_intent: intent });
  });

  it("POST /v1/refunds by payment_intent refunds the rest at once: refund.created then charge.refunded, retrievable", async () => {
    const { intent, charge } = await paidInvoice();
    const refund = await stripe.refunds.create(
      { payment_intent: intent, reason: "requested_by_customer" },
      { idempotencyKey: "refund-1" },
    );
    expect(refund).toMatchObject({ amount: 1799, currency: "usd", status: "succeeded", charge });
    // The same key replays the refund, not a second one (which would be charge_already_refunded).
    const again = await stripe.refunds.create(
      { payment_intent: intent, reason: "requested_by_customer" },
      { idempotencyKey: "refund-1" },
    );
    expect(again.id).toBe(refund.id);
    const events = await eventsAfter(3, 2);
    expect(events.map((e) => e.type)).toEqual(["refund.created", "charge.refunded"]);
    expect(events[0]?.data.object).toMatchObject({ id: refund.id, status: "succeeded" });
    expect(events[1]?.data.object).toMatchObject({ id: charge, amount_refunded: 1799, refunded: true });
    expect(await stripe.refunds.retrieve(refund.id)).toEqual(refund);
    await expect(stripe.refunds.create({ charge })).rejects.toMatchObject({
      statusCode: 400,
      code: "charge_already_refunded",
    });
  });

  it("partial refunds by charge up to what is left; more is amount_too_large; unknown charges are 404", async () => {
    const { charge } = await paidInvoice();
    const a = await stripe.refunds.create({ charge, amount: 500 });
    expect(a).toMatchObject({ amount: 500, status: "succeeded" });
    await expect(stripe.refunds.create({ charge, amount: 1300 })).rejects.toMatchObject({
      statusCode: 400,
      code: "amount_too_large",
    });
    const b = await stripe.refunds.create({ charge });
    expect(b.amount).toBe(1299);
    expect((await stripe.charges.retrieve(charge)).refunded).toBe(true);
    expect((await stripe.refunds.list({ charge })).data.map((r) => r.amount)).toEqual([1299, 500]);
    await expect(stripe.refunds.create({ charge: "ch_nope" })).rejects.toMatchObject({
      statusCode: 404,
      code: "resource_missing",
    });
    await expect(stripe.refunds.create({})).rejects.toMatchObject({ statusCode: 400 });
  });

  it("the refunds/update control fails a refund: refund.updated and refund.failed, and the charge gets the amount back", async () => {
    const { charge } = await paidInvoice();
    const refund = await stripe.refunds.create({ charge, amount: 700 });
    await eventsAfter(3, 2);
    await control(sandbox.url, "refunds/update", { refund: refund.id, status: "failed" });
    const events = await eventsAfter(5, 2);
    expect(events.map((e) => e.type)).toEqual(["refund.updated", "refund.failed"]);
    expect(events[0]?.data.object).toMatchObject({ id: refund.id, status: "failed" });
    expect(events[0]?.data.previous_attributes).toMatchObject({ status: "succeeded" });
    expect(await stripe.refunds.retrieve(refund.id)).toMatchObject({
      status: "failed",
      failure_reason: "lost_or_stolen_card",
    });
    expect((await stripe.charges.retrieve(charge)).amount_refunded).toBe(0);
    await control(sandbox.url, "refunds/update", { refund: refund.id, status: "canceled" });
    const [canceled] = await eventsAfter(7, 1);
    expect(canceled?.type).toBe("refund.updated");
    await expect(
      control(sandbox.url, "refunds/update", { refund: refund.id, status: "canceled" }),
    ).rejects.toThrow(/already canceled/);
  });
});
