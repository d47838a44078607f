import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SANDBOX_CREDENTIALS } from "./credentials";
import { type PaymentsSandbox, startPaymentsSandbox } from "./server";
import { control, formAction, type Receiver, startReceiver, submit, until } from "./testing";

const { paypalClientId, paypalClientSecret, paypalWebhookId } = SANDBOX_CREDENTIALS;
const DAY = 86_400;

let sandbox: PaymentsSandbox;
let receiver: Receiver;
let token: string;

beforeEach(async () => {
  receiver = await startReceiver();
  sandbox = await startPaymentsSandbox({
    paypalWebhook: { url: receiver.url, webhookId: paypalWebhookId },
    retryDelaysMs: [50],
  });
  token = await getToken();
});

afterEach(async () => {
  await sandbox.close();
  await receiver.close();
});

async function getToken(id: string = paypalClientId, secret: string = paypalClientSecret): Promise<string> {
  const res = await fetch(`${sandbox.url}/v1/oauth2/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: "grant_type=client_credentials",
  });
  const body = (await res.json()) as { access_token?: string; token_type?: string; expires_in?: number };
  if (res.status !== 200) return "";
  expect(body).toMatchObject({ token_type: "Bearer" });
  expect(body.expires_in).toBeGreaterThan(0);
  return body.access_token as string;
}

// biome-ignore lint/suspicious/noExplicitAny: PayPal JSON read loosely in tests
type Json = any;

async function api(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Json }> {
  const res = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const createBody = {
  plan_id: "P-PREMIUM-MONTH",
  custom_id: "acc_42",
  subscriber: { email_address: "viewer@example.com" },
  application_context: {
    brand_name: "Marquee",
    user_action: "SUBSCRIBE_NOW",
    return_url: "http://marquee.test/account/billing?checkout=success",
    cancel_url: "http://marquee.test/plans?checkout=canceled",
  },
};

async function createAndApprove() {
  const created = await api("POST", "/v1/billing/subscriptions", createBody, {
    "PayPal-Request-Id": "req-1",
  });
  expect(created.status).toBe(201);
  const approveUrl = created.body.links.find((l: { rel: string }) => l.rel === "approve").href as string;
  const page = await (await fetch(approveUrl)).text();
  const paid = await submit(new URL(formAction(page, "Pay"), sandbox.url).toString());
  return { id: created.body.id as string, created: created.body, paid };
}

/** Asks the sandbox's verify-webhook-signature about one delivery, optionally edited first. */
async function verify(i: number, edit: (event: Record<string, unknown>) => void = () => {}) {
  const d = receiver.accepted()[i];
  if (!d) throw new Error(`no delivery #${i}`);
  const event = JSON.parse(d.body);
  edit(event);
  const h = (name: string) => String(d.headers[name]);
  const res = await api("POST", "/v1/notifications/verify-webhook-signature", {
    auth_algo: h("paypal-auth-algo"),
    cert_url: h("paypal-cert-url"),
    transmission_id: h("paypal-transmission-id"),
    transmission_sig: h("paypal-transmission-sig"),
    transmission_time: h("paypal-transmission-time"),
    webhook_id: paypalWebhookId,
    webhook_event: event,
  });
  return res.body.verification_status as string;
}

const types = () => receiver.accepted().map((d) => d.event.event_type as string);
const advance = (seconds: number) => control(sandbox.url, "clock/advance", { seconds });

describe("paypal", () => {
  it("oauth needs the sandbox client credentials and the API needs its bearer token", async () => {
    expect(await getToken(paypalClientId, "wrong")).toBe("");
    const denied = await fetch(`${sandbox.url}/v1/billing/plans/P-STANDARD-MONTH`);
    expect(denied.status).toBe(401);
    expect(await denied.json()).toMatchObject({ name: "AUTHENTICATION_FAILURE", details: [] });
    const plan = await api("GET", "/v1/billing/plans/P-STANDARD-YEAR");
    expect(plan.body.billing_cycles[0].pricing_scheme.fixed_price).toEqual({
      currency_code: "USD",
      value: "99.90",
    });
  });

  it("create → approve page Pay → ACTIVE, ACTIVATED and SALE.COMPLETED delivered and verified SUCCESS", async () => {
    const { id, created, paid } = await createAndApprove();
    expect(created).toMatchObject({
      status: "APPROVAL_PENDING",
      plan_id: "P-PREMIUM-MONTH",
      custom_id: "acc_42",
    });
    expect(created.links[0]).toEqual({
      href: `${sandbox.url}/paypal/approve/${id}`,
      rel: "approve",
      method: "GET",
    });
    const back = new URL(paid.headers.get("location") as string);
    expect(back.origin + back.pathname).toBe("http://marquee.test/account/billing");
    expect(back.searchParams.get("subscription_id")).toBe(id);
    expect(back.searchParams.get("ba_token")).toBeTruthy();
    const sub = (await api("GET", `/v1/billing/subscriptions/${id}`)).body;
    expect(sub.status).toBe("ACTIVE");
    expect(sub.billing_info.last_payment.amount).toEqual({ currency_code: "USD", value: "17.99" });
    expect(Date.parse(sub.billing_info.next_billing_time) - Date.parse(sub.start_time)).toBeGreaterThan(
      27 * DAY * 1000,
    );
    await until("two deliveries", () => receiver.accepted().length >= 2);
    expect(types()).toEqual(["BILLING.SUBSCRIPTION.ACTIVATED", "PAYMENT.SALE.COMPLETED"]);
    const sale = receiver.accepted()[1]?.event.resource;
    expect(sale).toMatchObject({
      state: "completed",
      amount: { total: "17.99", currency: "USD" },
      billing_agreement_id: id,
    });
    expect(await verify(0)).toBe("SUCCESS");
    expect(await verify(1)).toBe("SUCCESS");
  });

  it("verify-webhook-signature answers FAILURE for an edited event or another webhook id", async () => {
    await createAndApprove();
    await until("a delivery", () => receiver.accepted()[1]);
    expect(
      await verify(1, (e) => ((e.resource as { amount: { total: string } }).amount.total = "0.01")),
    ).toBe("FAILURE");
    const d = receiver.accepted()[0];
    const other = await api("POST", "/v1/notifications/verify-webhook-signature", {
      auth_algo: String(d?.headers["paypal-auth-algo"]),
      cert_url: String(d?.headers["paypal-cert-url"]),
      transmission_id: String(d?.headers["paypal-transmission-id"]),
      transmission_sig: String(d?.headers["paypal-transmission-sig"]),
      transmission_time: String(d?.headers["paypal-transmission-time"]),
      webhook_id: "WH-SOMEONE-ELSE",
      webhook_event: d?.event,
    });
    expect(other.body.verification_status).toBe("FAILURE");
  });

  it("the same PayPal-Request-Id returns the first subscription", async () => {
    const a = await api("POST", "/v1/billing/subscriptions", createBody, { "PayPal-Request-Id": "same" });
    const b = await api("POST", "/v1/billing/subscriptions", createBody, { "PayPal-Request-Id": "same" });
    const c = await api("POST", "/v1/billing/subscriptions", createBody, { "PayPal-Request-Id": "other" });
    expect(b.body.id).toBe(a.body.id);
    expect(c.body.id).not.toBe(a.body.id);
  });

  it("Decline on the approval page returns to cancel_url and activates nothing", async () => {
    const created = await api("POST", "/v1/billing/subscriptions", createBody);
    const page = await (await fetch(created.body.links[0].href)).text();
    const declined = await submit(new URL(formAction(page, "Decline"), sandbox.url).toString());
    expect(declined.headers.get("location")).toMatch(/^http:\/\/marquee\.test\/plans\?checkout=canceled&/);
    expect((await api("GET", `/v1/billing/subscriptions/${created.body.id}`)).body.status).toBe(
      "APPROVAL_PENDING",
    );
  });

  it("cancel → CANCELLED (204, replayed for its PayPal-Request-Id), paid through its billing time; the clock passing that → EXPIRED", async () => {
    const { id } = await createAndApprove();
    const cancel = () =>
      api(
        "POST",
        `/v1/billing/subscriptions/${id}/cancel`,
        { reason: "Not watching" },
        { "PayPal-Request-Id": "c-1" },
      );
    expect((await cancel()).status).toBe(204);
    // A retry with the same PayPal-Request-Id (after a lost answer) is answered the same, not 422.
    expect((await cancel()).status).toBe(204);
    const sub = (await api("GET", `/v1/billing/subscriptions/${id}`)).body;
    expect(sub.status).toBe("CANCELLED");
    await advance(10 * DAY);
    expect((await api("GET", `/v1/billing/subscriptions/${id}`)).body.status).toBe("CANCELLED");
    await advance(25 * DAY);
    expect((await api("GET", `/v1/billing/subscriptions/${id}`)).body.status).toBe("EXPIRED");
    await until("four deliveries", () => receiver.accepted().length >= 4);
    expect(types().slice(2)).toEqual(["BILLING.SUBSCRIPTION.CANCELLED", "BILLING.SUBSCRIPTION.EXPIRED"]);
    expect((await api("POST", `/v1/billing/subscriptions/${id}/cancel`, {})).status).toBe(422);
  });

  it("renewals send PAYMENT.SALE.COMPLETED; three failed payments in a row suspend the subscription", async () => {
    const { id } = await createAndApprove();
    await advance(32 * DAY);
    await until("the renewal", () => receiver.accepted().length >= 3);
    expect(types()[2]).toBe("PAYMENT.SALE.COMPLETED");
    await control(sandbox.url, "fail-next-payment", { subscription: id, count: 3 });
    await advance(45 * DAY);
    await until("failures and suspension", () => receiver.accepted().length >= 7);
    expect(types().slice(3)).toEqual([
      "BILLING.SUBSCRIPTION.PAYMENT.FAILED",
      "BILLING.SUBSCRIPTION.PAYMENT.FAILED",
      "BILLING.SUBSCRIPTION.PAYMENT.FAILED",
      "BILLING.SUBSCRIPTION.SUSPENDED",
    ]);
    const sub = (await api("GET", `/v1/billing/subscriptions/${id}`)).body;
    expect(sub.status).toBe("SUSPENDED");
    expect(sub.billing_info).toMatchObject({
      failed_payments_count: 3,
      outstanding_balance: { value: "17.99" },
    });
  });

  it("a completed sale refunds in part and then in full (v1 sale refund): 201 completed, PAYMENT.SALE.REFUNDED each, then refused", async () => {
    await createAndApprove();
    await until("the sale", () => types().includes("PAYMENT.SALE.COMPLETED"));
    const sale = receiver.accepted().find((d) => d.event.event_type === "PAYMENT.SALE.COMPLETED")
      ?.event.resource;
    expect((await api("GET", `/v1/payments/sale/${sale.id}`)).body).toMatchObject({
      id: sale.id,
      state: "completed",
    });
    const part = await api(
      "POST",
      `/v1/payments/sale/${sale.id}/refund`,
      { amount: { total: "5.00", currency: "USD" }, invoice_number: "INV-1" },
      { "PayPal-Request-Id": "refund-1" },
    );
    expect(part.status).toBe(201);
    expect(part.body).toMatchObject({
      state: "completed",
      amount: { total: "5.00", currency: "USD" },
      sale_id: sale.id,
      billing_agreement_id: sale.billing_agreement_id,
      custom: "acc_42",
    });
    // A retried request (same PayPal-Request-Id) answers the same refund and refunds nothing more.
    const retried = await api(
      "POST",
      `/v1/payments/sale/${sale.id}/refund`,
      {},
      { "PayPal-Request-Id": "refund-1" },
    );
    expect(retried.body.id).toBe(part.body.id);
    const tooMuch = await api("POST", `/v1/payments/sale/${sale.id}/refund`, {
      amount: { total: "13.00", currency: "USD" },
    });
    expect(tooMuch).toMatchObject({ status: 400, body: { name: "REFUND_EXCEEDED_TRANSACTION_AMOUNT" } });
    const rest = await api("POST", `/v1/payments/sale/${sale.id}/refund`, {});
    expect(rest.body).toMatchObject({
      amount: { total: "12.99" },
      total_refunded_amount: { value: "17.99" },
    });
    expect((await api("GET", `/v1/payments/sale/${sale.id}`)).body.state).toBe("refunded");
    expect((await api("GET", `/v1/payments/refund/${rest.body.id}`)).body).toEqual(rest.body);
    expect((await api("POST", `/v1/payments/sale/${sale.id}/refund`, {})).body.name).toBe(
      "TRANSACTION_REFUSED",
    );
    expect((await api("POST", "/v1/payments/sale/NOPE/refund", {})).status).toBe(404);
    await until("two refund events", () => types().filter((t) => t === "PAYMENT.SALE.REFUNDED").length === 2);
    const events = receiver.accepted().filter((d) => d.event.event_type === "PAYMENT.SALE.REFUNDED");
    expect(events.map((d) => d.event.resource.id)).toEqual([part.body.id, rest.body.id]);
    expect(events[0]?.event.resource_type).toBe("refund");
    expect(await verify(receiver.accepted().indexOf(events[1] as (typeof events)[number]))).toBe("SUCCESS");
  });
});
