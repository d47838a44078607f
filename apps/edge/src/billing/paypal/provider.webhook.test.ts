// verifyWebhook against genuine sandbox deliveries: the sandbox signs each PayPal webhook and sends it
// to test/payments-relay.ts, which keeps headers and raw body; verification asks the sandbox's
// verify-webhook-signature, as production asks PayPal.
import { beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../../lib/errors";
import { relayed } from "../test-utils";
import { clearPayPalTokenCache } from "./client";
import { checkSignatureHeaders, PAYPAL_SIGNATURE_HEADERS, paypalProvider } from "./provider";
import { approveOnSandbox, checkoutFor, countingFetch, rand, sandboxConfig } from "./test-utils";

/** A delivery as the relay kept it: the signing headers, the raw body, and that body parsed. */
interface Delivery {
  headers: Record<string, string>;
  rawBody: string;
  body: { id: string; event_type: string; resource: Record<string, unknown> };
}

/** Subscribes a fresh account through the approval page and returns what PayPal delivered about it. */
async function genuineDeliveries(): Promise<{ subId: string; accountId: string; deliveries: Delivery[] }> {
  const provider = paypalProvider(sandboxConfig());
  const accountId = `acc_${rand()}`;
  const { pending, url } = await provider.startCheckout(checkoutFor(accountId));
  const subId = pending?.providerSubscriptionId ?? "";
  await approveOnSandbox(url);
  const kept = await relayed(
    subId,
    2,
    ["BILLING.SUBSCRIPTION.ACTIVATED", "PAYMENT.SALE.COMPLETED"],
    "paypal",
  );
  const deliveries = kept.map((d) => ({ headers: d.headers, rawBody: d.body, body: JSON.parse(d.body) }));
  if (deliveries.length >= 2) return { subId, accountId, deliveries };
  throw new Error(`the sandbox delivered no PayPal webhooks about ${subId} to the relay`);
}

function of(deliveries: Delivery[], type: string): Delivery {
  const d = deliveries.find((x) => x.body.event_type === type);
  if (!d) throw new Error(`no ${type} delivery among ${deliveries.map((x) => x.body.event_type).join(", ")}`);
  return d;
}

function headersOf(d: Delivery, over: Record<string, string | null> = {}): Headers {
  const h = new Headers();
  for (const name of Object.values(PAYPAL_SIGNATURE_HEADERS)) h.set(name, d.headers[name] ?? "");
  h.set("content-type", "application/json");
  for (const [k, v] of Object.entries(over)) {
    if (v === null) h.delete(k);
    else h.set(k, v);
  }
  return h;
}

beforeEach(() => clearPayPalTokenCache());

describe("PayPal webhooks", () => {
  it("accepts genuine deliveries: ACTIVATED names the subscription, PAYMENT.SALE.COMPLETED is a paid invoice in cents", async () => {
    const { subId, accountId, deliveries } = await genuineDeliveries();
    const provider = paypalProvider(sandboxConfig());
    const activated = of(deliveries, "BILLING.SUBSCRIPTION.ACTIVATED");
    expect(await provider.verifyWebhook(headersOf(activated), activated.rawBody)).toEqual({
      provider: "paypal",
      id: activated.body.id,
      type: "BILLING.SUBSCRIPTION.ACTIVATED",
      providerSubscriptionId: subId,
      accountId,
      invoice: null,
      refund: null,
      connectedAccountId: null,
    });
    const sale = of(deliveries, "PAYMENT.SALE.COMPLETED");
    const event = await provider.verifyWebhook(headersOf(sale), sale.rawBody);
    expect(event.providerSubscriptionId).toBe(subId);
    expect(event.invoice).toMatchObject({
      provider: "paypal",
      providerInvoiceId: sale.body.resource.id,
      providerSubscriptionId: subId,
      amountCents: 1799,
      currency: "usd",
      status: "paid",
      failureMessage: null,
    });
  });

  it("refuses an edited body, a wrong signature, another event's signature and another app's webhook id", async () => {
    const { deliveries } = await genuineDeliveries();
    const counter = countingFetch();
    const provider = paypalProvider(sandboxConfig(), { fetch: counter.fetch });
    const sale = of(deliveries, "PAYMENT.SALE.COMPLETED");
    const activated = of(deliveries, "BILLING.SUBSCRIPTION.ACTIVATED");
    // Sanity: this exact delivery verifies, so each refusal below is caused by its one change.
    await expect(provider.verifyWebhook(headersOf(sale), sale.rawBody)).resolves.toBeTruthy();

    const cheaper = sale.rawBody.replace('"total":"17.99"', '"total":"0.01"');
    expect(cheaper).not.toBe(sale.rawBody);
    const forged = [
      provider.verifyWebhook(headersOf(sale), cheaper),
      provider.verifyWebhook(headersOf(sale, { "paypal-transmission-sig": "AAAA" }), sale.rawBody),
      provider.verifyWebhook(headersOf(activated), sale.rawBody),
      paypalProvider(sandboxConfig({ webhookId: "WH-SOMEONE-ELSE" })).verifyWebhook(
        headersOf(sale),
        sale.rawBody,
      ),
    ];
    for (const attempt of forged)
      await expect(attempt).rejects.toMatchObject({ code: "bad_request", status: 400 });
    // PayPal-Request-Id of a verification covers the whole request: the genuine delivery and its
    // edited copy (same transmission id) never share a key, so an idempotent replay of the genuine
    // SUCCESS can never answer for the edit.
    const keys = counter.calls
      .filter((c) => c.path.endsWith("/verify-webhook-signature"))
      .map((c) => c.requestId);
    expect(keys).toHaveLength(4); // the sanity check + the three forgeries made with this provider
    expect(new Set(keys).size).toBe(4);
  });

  it("refuses a delivery missing any of the five PAYPAL-* headers without asking PayPal", async () => {
    const { deliveries } = await genuineDeliveries();
    const sale = of(deliveries, "PAYMENT.SALE.COMPLETED");
    for (const header of Object.values(PAYPAL_SIGNATURE_HEADERS)) {
      const counter = countingFetch();
      const provider = paypalProvider(sandboxConfig(), { fetch: counter.fetch });
      await expect(
        provider.verifyWebhook(headersOf(sale, { [header]: null }), sale.rawBody),
        header,
      ).rejects.toMatchObject({
        code: "bad_request",
        status: 400,
        detail: expect.stringContaining(header.toUpperCase()),
      });
      expect(counter.calls).toEqual([]);
    }
  });

  it("refuses an old transmission time, a foreign cert host or an unknown algorithm without asking PayPal", async () => {
    const { deliveries } = await genuineDeliveries();
    const sale = of(deliveries, "PAYMENT.SALE.COMPLETED");
    const sentAt = Date.parse(sale.headers["paypal-transmission-time"] ?? "");
    const certUrl = new URL(sale.headers["paypal-cert-url"] ?? "");
    const forged: Record<string, string>[] = [
      // Older than PayPal's 3-day retry period plus a day; from beyond the clock skew allowed.
      { "paypal-transmission-time": new Date(sentAt - 4 * 24 * 3600_000 - 60_000).toISOString() },
      { "paypal-transmission-time": new Date(sentAt + 6 * 60_000).toISOString() },
      { "paypal-transmission-time": "yesterday" },
      { "paypal-cert-url": `https://attacker.example${certUrl.pathname}` },
      { "paypal-auth-algo": "SHA1withRSA" },
    ];
    for (const over of forged) {
      const counter = countingFetch();
      const provider = paypalProvider(sandboxConfig(), { fetch: counter.fetch, now: () => sentAt });
      await expect(
        provider.verifyWebhook(headersOf(sale, over), sale.rawBody),
        JSON.stringify(over),
      ).rejects.toMatchObject({ code: "bad_request", status: 400 });
      expect(counter.calls, JSON.stringify(over)).toEqual([]);
    }
  });

  it("against PayPal itself, trusts only https cert URLs on a paypal.com host", () => {
    const now = Date.parse("2026-12-06T05:00:00Z");
    const headers = (cert_url: string) => ({
      transmission_time: "2026-12-06T04:58:00Z",
      auth_algo: "SHA256withRSA",
      cert_url,
    });
    const api = "https://api-m.paypal.com";
    expect(() => checkSignatureHeaders(headers("https://api.paypal.com/v1/certs/x"), api, now)).not.toThrow();
    for (const bad of [
      "http://api.paypal.com/v1/certs/x",
      "https://paypal.com.attacker.example/x",
      "https://attackerpaypal.com/x",
    ]) {
      expect(() => checkSignatureHeaders(headers(bad), api, now), bad).toThrow(AppError);
    }
  });

  it("refuses a body that is not JSON or not an event", async () => {
    const { deliveries } = await genuineDeliveries();
    const sale = of(deliveries, "PAYMENT.SALE.COMPLETED");
    const provider = paypalProvider(sandboxConfig());
    for (const body of ["{not json", "[]", JSON.stringify({ id: "WH-1" })]) {
      await expect(provider.verifyWebhook(headersOf(sale), body), body).rejects.toMatchObject({
        code: "bad_request",
        status: 400,
      });
    }
  });

  it("a redelivered event verifies again with the same event id (the core's dedupe key)", async () => {
    const { deliveries } = await genuineDeliveries();
    const activated = of(deliveries, "BILLING.SUBSCRIPTION.ACTIVATED");
    const provider = paypalProvider(sandboxConfig());
    const first = await provider.verifyWebhook(headersOf(activated), activated.rawBody);
    const second = await provider.verifyWebhook(headersOf(activated), activated.rawBody);
    expect(second.id).toBe(first.id);
    expect(second.id).toBe(activated.body.id);
  });
});
