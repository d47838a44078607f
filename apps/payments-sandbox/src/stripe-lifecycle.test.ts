import Stripe from "stripe";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SANDBOX_CREDENTIALS } from "./credentials";
import { type PaymentsSandbox, startPaymentsSandbox } from "./server";
import { control, formAction, type Receiver, startReceiver, submit, until } from "./testing";

const { stripeSecretKey: KEY, stripeWebhookSecret: SECRET } = SANDBOX_CREDENTIALS;
const DAY = 86_400;

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

async function subscribe(
  price = "price_standard_month",
): Promise<{ sub: Stripe.Subscription; customer: string }> {
  const session = await stripe.checkout.sessions.create({
    mode: "subscription",
    customer_email: "viewer@example.com",
    client_reference_id: "acc_9",
    line_items: [{ price, quantity: 1 }],
    success_url: "http://marquee.test/ok",
    cancel_url: "http://marquee.test/no",
  });
  const page = await (await fetch(session.url as string)).text();
  expect((await submit(new URL(formAction(page, "Pay"), sandbox.url).toString())).status).toBe(303);
  const done = await stripe.checkout.sessions.retrieve(session.id);
  const sub = await stripe.subscriptions.retrieve(done.subscription as string);
  await until("the checkout's three events", () => receiver.accepted().length >= 3);
  return { sub, customer: done.customer as string };
}

/** Event types delivered after the first `skip`, once `count` more arrived, each signature verified. */
async function eventsAfter(skip: number, count: number): Promise<Stripe.Event[]> {
  await until(`${count} more events`, () => receiver.accepted().length >= skip + count);
  return Promise.all(
    receiver
      .accepted()
      .slice(skip)
      .map((d) => stripe.webhooks.constructEventAsync(d.body, String(d.headers["stripe-signature"]), SECRET)),
  );
}

const advance = (seconds: number) => control(sandbox.url, "clock/advance", { seconds });

describe("stripe clock", () => {
  it("advancing past the period end renews: a new paid invoice, invoice.paid, then customer.subscription.updated", async () => {
    const { sub } = await subscribe();
    const end = sub.items.data[0]?.current_period_end as number;
    await advance(32 * DAY);
    const events = await eventsAfter(3, 2);
    expect(events.map((e) => e.type)).toEqual(["invoice.paid", "customer.subscription.updated"]);
    const renewed = await stripe.subscriptions.retrieve(sub.id);
    expect(renewed.status).toBe("active");
    expect(renewed.items.data[0]?.current_period_start).toBe(end);
    const invoices = await stripe.invoices.list({ subscription: sub.id });
    expect(invoices.data.map((i) => [i.status, i.amount_paid, i.billing_reason])).toEqual([
      ["paid", 999, "subscription_cycle"],
      ["paid", 999, "subscription_create"],
    ]);
    expect(events[1]?.data.previous_attributes).toMatchObject({ current_period_end: end });
  });

  it("an armed payment failure makes the renewal invoice open and the subscription past_due", async () => {
    const { sub } = await subscribe();
    await control(sandbox.url, "fail-next-payment", { subscription: sub.id });
    await advance(32 * DAY);
    const events = await eventsAfter(3, 2);
    expect(events.map((e) => e.type)).toEqual(["invoice.payment_failed", "customer.subscription.updated"]);
    expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe("past_due");
    const failed = events[0]?.data.object as Stripe.Invoice;
    expect(failed).toMatchObject({ status: "open", amount_paid: 0, amount_due: 999 });
    expect(events[1]?.data.previous_attributes).toMatchObject({ status: "active" });
  });

  it("a subscription set to cancel at period end is deleted once the clock passes its end, not before", async () => {
    const { sub } = await subscribe();
    const updated = await stripe.subscriptions.update(sub.id, { cancel_at_period_end: true });
    expect(updated).toMatchObject({ cancel_at_period_end: true, status: "active" });
    await advance(10 * DAY);
    expect((await stripe.subscriptions.retrieve(sub.id)).status).toBe("active");
    await advance(25 * DAY);
    const events = await eventsAfter(3, 2);
    expect(events.map((e) => e.type)).toEqual([
      "customer.subscription.updated",
      "customer.subscription.deleted",
    ]);
    const ended = await stripe.subscriptions.retrieve(sub.id);
    expect(ended.status).toBe("canceled");
    expect(ended.ended_at).toBe(sub.items.data[0]?.current_period_end);
    expect((await stripe.invoices.list({ subscription: sub.id })).data).toHaveLength(1);
  });
});

describe("stripe subscriptions API", () => {
  it("DELETE cancels at once and sends customer.subscription.deleted", async () => {
    const { sub } = await subscribe();
    const canceled = await stripe.subscriptions.cancel(sub.id);
    expect(canceled.status).toBe("canceled");
    const events = await eventsAfter(3, 1);
    expect(events.map((e) => e.type)).toEqual(["customer.subscription.deleted"]);
  });

  it("an items price swap changes the plan, starts a new period and pays its invoice", async () => {
    const { sub } = await subscribe();
    const item = sub.items.data[0] as Stripe.SubscriptionItem;
    const swapped = await stripe.subscriptions.update(sub.id, {
      items: [{ id: item.id, price: "price_premium_year" }],
      proration_behavior: "none",
      metadata: { accountId: "acc_9" },
    });
    expect(swapped.items.data[0]?.price.id).toBe("price_premium_year");
    expect(swapped.metadata).toEqual({ accountId: "acc_9" });
    const events = await eventsAfter(3, 2);
    expect(events.map((e) => e.type)).toEqual(["customer.subscription.updated", "invoice.paid"]);
    expect((events[1]?.data.object as Stripe.Invoice | undefined)?.amount_paid).toBe(17990);
  });
});

describe("stripe billing portal", () => {
  it("the portal page cancels, un-cancels and switches plan, each with customer.subscription.updated", async () => {
    const { sub, customer } = await subscribe();
    const portal = await stripe.billingPortal.sessions.create({
      customer,
      return_url: "http://marquee.test/account",
    });
    let page = await (await fetch(portal.url)).text();
    expect(page).toContain("Your plan: Standard");
    expect(page).toContain('<a href="http://marquee.test/account">Return to Marquee</a>');
    await submit(new URL(formAction(page, "Cancel plan"), sandbox.url).toString());
    expect((await stripe.subscriptions.retrieve(sub.id)).cancel_at_period_end).toBe(true);
    page = await (await fetch(portal.url)).text();
    expect(page).toContain("Your plan ends on");
    await submit(new URL(formAction(page, "Don't cancel"), sandbox.url).toString());
    expect((await stripe.subscriptions.retrieve(sub.id)).cancel_at_period_end).toBe(false);
    page = await (await fetch(portal.url)).text();
    const label = "Switch to Premium (monthly) · $17.99 per month";
    const action = new URL(formAction(page, label), sandbox.url).toString();
    await submit(action, { price: "price_premium_month" });
    expect((await stripe.subscriptions.retrieve(sub.id)).items.data[0]?.price.id).toBe("price_premium_month");
    const events = await eventsAfter(3, 4);
    expect(events.map((e) => e.type)).toEqual([
      "customer.subscription.updated",
      "customer.subscription.updated",
      "customer.subscription.updated",
      "invoice.paid",
    ]);
  });
});

describe("stripe connect", () => {
  it("an express account onboards through its link page (account.updated) and takes idempotent transfers", async () => {
    const account = await stripe.accounts.create({ type: "express", email: "creator@example.com" });
    expect(account.payouts_enabled).toBe(false);
    await expect(
      stripe.transfers.create({ amount: 500, currency: "usd", destination: account.id }),
    ).rejects.toMatchObject({ statusCode: 400 });
    const link = await stripe.accountLinks.create({
      account: account.id,
      type: "account_onboarding",
      refresh_url: "http://marquee.test/refresh",
      return_url: "http://marquee.test/done",
    });
    const page = await (await fetch(link.url)).text();
    const done = await submit(new URL(formAction(page, "Complete onboarding"), sandbox.url).toString());
    expect(done.headers.get("location")).toBe("http://marquee.test/done");
    expect((await stripe.accounts.retrieve(account.id)).payouts_enabled).toBe(true);
    const events = await eventsAfter(0, 1);
    expect(events[0]?.type).toBe("account.updated");
    const params = {
      amount: 1234,
      currency: "usd",
      destination: account.id,
      transfer_group: "payout_2026_12",
    };
    const t1 = await stripe.transfers.create(params, { idempotencyKey: "payout-1" });
    const t2 = await stripe.transfers.create(params, { idempotencyKey: "payout-1" });
    expect(t2.id).toBe(t1.id);
    const listed = await stripe.transfers.list({ transfer_group: "payout_2026_12" });
    expect(listed.data.map((t) => t.id)).toEqual([t1.id]);
  });
});
