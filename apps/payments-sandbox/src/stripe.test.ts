import Stripe from "stripe";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SANDBOX_CREDENTIALS } from "./credentials";
import { type PaymentsSandbox, startPaymentsSandbox } from "./server";
import { control, formAction, type Receiver, startReceiver, submit, until } from "./testing";

const { stripeSecretKey: KEY, stripeWebhookSecret: SECRET } = SANDBOX_CREDENTIALS;

let sandbox: PaymentsSandbox;
let receiver: Receiver;
let stripe: Stripe;

function client(key: string = KEY, extra: Partial<Stripe.StripeConfig> = {}): Stripe {
  const { hostname, port } = new URL(sandbox.url);
  return new Stripe(key, {
    host: hostname,
    port: Number(port),
    protocol: "http",
    httpClient: Stripe.createFetchHttpClient(),
    maxNetworkRetries: 0,
    ...extra,
  });
}

beforeEach(async () => {
  receiver = await startReceiver();
  sandbox = await startPaymentsSandbox({
    stripeWebhook: { url: receiver.url, secret: SECRET },
    retryDelaysMs: [50, 100, 200],
  });
  stripe = client();
});

afterEach(async () => {
  await sandbox.close();
  await receiver.close();
});

/** Verifies a delivery the way the edge does: the raw body against the Stripe-Signature header. */
async function verified(i: number): Promise<Stripe.Event> {
  const d = receiver.accepted()[i];
  if (!d) throw new Error(`no accepted delivery #${i}`);
  return stripe.webhooks.constructEventAsync(d.body, String(d.headers["stripe-signature"]), SECRET);
}

/** A form POST as stripe-node sends it, for what the SDK doesn't expose (response headers). */
function rawPost(path: string, body: string, idempotencyKey: string): Promise<Response> {
  return fetch(`${sandbox.url}${path}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${KEY}`,
      "content-type": "application/x-www-form-urlencoded",
      "idempotency-key": idempotencyKey,
    },
    body,
  });
}

async function checkoutAndPay(price = "price_premium_month", accountId = "acc_1") {
  const customer = await stripe.customers.create({ email: "viewer@example.com", metadata: { accountId } });
  const session = await stripe.checkout.sessions.create({
    mode: "subscription",
    customer: customer.id,
    client_reference_id: accountId,
    line_items: [{ price, quantity: 1 }],
    subscription_data: { metadata: { accountId } },
    success_url: "http://marquee.test/account/billing?checkout=success&session={CHECKOUT_SESSION_ID}",
    cancel_url: "http://marquee.test/plans?checkout=canceled",
  });
  const page = await (await fetch(session.url as string)).text();
  const paid = await submit(new URL(formAction(page, "Pay"), sandbox.url).toString());
  return { customer, session, page, paid };
}

describe("stripe checkout", () => {
  it("paying on the hosted checkout page activates a subscription, pays an invoice and sends three signed webhooks in order", async () => {
    const { session, page, paid } = await checkoutAndPay();
    expect(session.url).toBe(`${sandbox.url}/checkout/${session.id}`);
    expect(page).toContain("<h1>Subscribe to Premium</h1>");
    expect(page).toContain("$17.99 per month");
    expect(paid.status).toBe(303);
    expect(paid.headers.get("location")).toBe(
      `http://marquee.test/account/billing?checkout=success&session=${session.id}`,
    );

    const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ["subscription"] });
    expect(done).toMatchObject({ status: "complete", payment_status: "paid", client_reference_id: "acc_1" });
    const sub = done.subscription as Stripe.Subscription;
    expect(sub.status).toBe("active");
    expect(sub.metadata).toEqual({ accountId: "acc_1" });
    const item = sub.items.data[0] as Stripe.SubscriptionItem;
    expect(item.price.id).toBe("price_premium_month");
    const monthSeconds = item.current_period_end - item.current_period_start;
    expect(monthSeconds).toBeGreaterThanOrEqual(28 * 86_400);
    expect(monthSeconds).toBeLessThanOrEqual(31 * 86_400);

    const invoices = await stripe.invoices.list({ subscription: sub.id });
    expect(invoices.data).toHaveLength(1);
    expect(invoices.data[0]).toMatchObject({ status: "paid", amount_paid: 1799, currency: "usd" });
    expect(invoices.data[0]?.parent?.subscription_details?.subscription).toBe(sub.id);

    await until("three deliveries", () => receiver.accepted().length >= 3);
    const events = await Promise.all([0, 1, 2].map(verified));
    expect(events.map((e) => e.type)).toEqual([
      "checkout.session.completed",
      "customer.subscription.created",
      "invoice.paid",
    ]);
    expect((events[0]?.data.object as Stripe.Checkout.Session | undefined)?.subscription).toBe(sub.id);
    expect(events.every((e) => e.id.startsWith("evt_") && e.object === "event" && !e.livemode)).toBe(true);
  });

  it("a forged signature does not verify against the sandbox's deliveries", async () => {
    await checkoutAndPay();
    await until("a delivery", () => receiver.accepted()[0]);
    const d = receiver.accepted()[0] as NonNullable<ReturnType<Receiver["accepted"]>[0]>;
    const tampered = d.body.replace('"livemode":false', '"livemode":true');
    await expect(
      stripe.webhooks.constructEventAsync(tampered, String(d.headers["stripe-signature"]), SECRET),
    ).rejects.toThrow(/signature/i);
  });

  it("Decline on the checkout page says the card was declined and creates nothing", async () => {
    const session = await stripe.checkout.sessions.create({
      mode: "subscription",
      customer_email: "someone@example.com",
      line_items: [{ price: "price_standard_year", quantity: 1 }],
      success_url: "http://marquee.test/ok",
      cancel_url: "http://marquee.test/no",
    });
    const page = await (await fetch(session.url as string)).text();
    const declined = await submit(new URL(formAction(page, "Decline"), sandbox.url).toString());
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain("Your card was declined");
    expect((await stripe.checkout.sessions.retrieve(session.id)).status).toBe("open");
    expect((await stripe.subscriptions.list({ status: "all" })).data).toHaveLength(0);
    expect((await stripe.customers.list()).data).toHaveLength(0);
    await new Promise((r) => setTimeout(r, 100));
    expect(receiver.deliveries).toHaveLength(0);
  });
});

describe("stripe webhooks", () => {
  it("a delivery the receiver answers 500 is retried with the same event id until accepted, and logged", async () => {
    receiver.failNext(2);
    await checkoutAndPay();
    await until("three accepted", () => receiver.accepted().length >= 3);
    const first = receiver.deliveries.slice(0, 3).map((d) => d.event.id);
    expect(receiver.deliveries.slice(0, 2).map((d) => d.answered)).toEqual([500, 500]);
    expect(first[0]).toBe(first[1]);
    expect(first[1]).toBe(first[2]);
    // Order holds per subscription: nothing after the failing event arrived before it.
    expect(receiver.accepted().map((d) => d.event.type)[0]).toBe("checkout.session.completed");
    const log = (await control(sandbox.url, "webhooks")) as {
      items: { eventId: string; status: string; attempts: { status: number }[] }[];
    };
    const entry = log.items.find((i) => i.eventId === first[0]);
    expect(entry?.status).toBe("delivered");
    expect(entry?.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
  });

  it("redeliver sends the same event again with a fresh valid signature", async () => {
    await checkoutAndPay();
    await until("three accepted", () => receiver.accepted().length >= 3);
    const original = await verified(0);
    await control(sandbox.url, "webhooks/redeliver", { eventId: original.id });
    await until("the redelivery", () => receiver.accepted().length >= 4);
    const again = await verified(3);
    expect(again.id).toBe(original.id);
  });
});

describe("stripe API semantics", () => {
  it("answers 401 in Stripe's error shape without the sandbox key", async () => {
    const res = await fetch(`${sandbox.url}/v1/customers`, {
      headers: { authorization: "Bearer sk_test_wrong" },
    });
    expect(res.status).toBe(401);
    const body = (await res.json()) as { error: { type: string; message: string } };
    expect(body.error.type).toBe("invalid_request_error");
    await expect(client("sk_test_wrong").customers.create({})).rejects.toBeInstanceOf(
      Stripe.errors.StripeAuthenticationError,
    );
  });

  it("the same Idempotency-Key replays the first object, and other parameters with it are a 400 idempotency_error", async () => {
    const key = "idem-create-customer-1";
    const a = await stripe.customers.create({ email: "a@example.com" }, { idempotencyKey: key });
    const b = await stripe.customers.create({ email: "a@example.com" }, { idempotencyKey: key });
    expect(b.id).toBe(a.id);
    const replayed = await rawPost("/v1/customers", "email=a%40example.com", key);
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
    expect(((await replayed.json()) as { id: string }).id).toBe(a.id);
    expect((await stripe.customers.list()).data).toHaveLength(1);
    const other = stripe.customers.create({ email: "b@example.com" }, { idempotencyKey: key });
    await expect(other).rejects.toMatchObject({ type: "StripeIdempotencyError", statusCode: 400 });
  });

  it("idempotency/forget ends every key's window: the same key then runs the request again", async () => {
    const key = "idem-forget-1";
    const a = await stripe.customers.create({ email: "f@example.com" }, { idempotencyKey: key });
    expect((await stripe.customers.create({ email: "f@example.com" }, { idempotencyKey: key })).id).toBe(
      a.id,
    );
    const forgot = await control(sandbox.url, "idempotency/forget", {});
    expect(forgot).toEqual({ forgotten: 1 });
    const b = await stripe.customers.create({ email: "f@example.com" }, { idempotencyKey: key });
    expect(b.id).not.toBe(a.id);
    expect((await stripe.customers.list({ email: "f@example.com" })).data).toHaveLength(2);
    // Another body with the old key is no longer a conflict either: the key is new to the sandbox.
    await control(sandbox.url, "idempotency/forget", {});
    const c = await stripe.customers.create({ email: "g@example.com" }, { idempotencyKey: key });
    expect(c.email).toBe("g@example.com");
  });

  it("drop-next-response commits the request but the SDK call fails; a retry with the same key replays the object", async () => {
    await control(sandbox.url, "drop-next-response", { method: "POST", pathPrefix: "/v1/customers" });
    const key = "idem-dropped";
    const create = () => stripe.customers.create({ email: "dropped@example.com" }, { idempotencyKey: key });
    await expect(create()).rejects.toBeInstanceOf(Stripe.errors.StripeConnectionError);
    const committed = (await stripe.customers.list({ email: "dropped@example.com" })).data;
    expect(committed).toHaveLength(1);
    const retried = await create();
    expect(retried.id).toBe(committed[0]?.id);
    expect((await stripe.customers.list()).data).toHaveLength(1);
    const replayed = await rawPost("/v1/customers", "email=dropped%40example.com", key);
    expect(replayed.headers.get("idempotent-replayed")).toBe("true");
  });

  it("fail-next-requests answers 5xx without committing, and the SDK surfaces an API error", async () => {
    await control(sandbox.url, "fail-next-requests", { count: 1, status: 503, pathPrefix: "/v1/customers" });
    await expect(stripe.customers.create({ email: "x@example.com" })).rejects.toMatchObject({
      statusCode: 503,
    });
    expect((await stripe.customers.list()).data).toHaveLength(0);
    const ok = await stripe.customers.create({ email: "x@example.com" });
    expect(ok.email).toBe("x@example.com");
  });

  it("unknown ids are 404 resource_missing and the catalogue prices are retrievable", async () => {
    await expect(stripe.subscriptions.retrieve("sub_nope")).rejects.toMatchObject({
      statusCode: 404,
      code: "resource_missing",
    });
    const price = await stripe.prices.retrieve("price_standard_year", { expand: ["product"] });
    expect(price).toMatchObject({ unit_amount: 9990, currency: "usd", recurring: { interval: "year" } });
    expect((price.product as Stripe.Product).name).toBe("Standard");
  });
});
