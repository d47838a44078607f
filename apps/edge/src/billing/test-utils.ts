/**
 * Billing test helpers: the payments sandbox over real HTTP (its /__control test controls and
 * hosted pages), the relay that keeps its signed webhooks (test/payments-relay.ts), and Stripe
 * events signed here with the SDK for the deliveries a test builds itself.
 */
import { env } from "cloudflare:test";
import type { z } from "@hono/zod-openapi";
import Stripe from "stripe";
import * as sandbox from "../../../payments-sandbox/src/client";
import { api, apiJson, type SeededAccount } from "../../test/harness";
import type { BillingState } from "./schemas";

export const SANDBOX = () => env.PAYMENTS_SANDBOX_URL;
export const STRIPE_SECRET = "whsec_marquee_sandbox";
const stripe = new Stripe("sk_test_marquee_sandbox", { httpClient: Stripe.createFetchHttpClient() });

/** A /__control call on the sandbox (apps/payments-sandbox/src/client.ts). */
export const control = (path: string, body?: unknown) => sandbox.control(SANDBOX(), path, body);

/** Clicks `label` on one of the sandbox's hosted pages, as a person would; answers the redirect. */
export async function press(pageUrl: string, label: string): Promise<Response> {
  const res = await sandbox.press(pageUrl, label);
  if (res.status < 300 || res.status >= 400) throw new Error(`${label}: ${res.status} ${await res.text()}`);
  return res;
}

/** A GET on the sandbox's Stripe API (what the provider state really is). */
export async function stripeGet<T = Record<string, unknown>>(path: string): Promise<T> {
  const res = await fetch(`${SANDBOX()}/v1/${path}`, {
    headers: { authorization: "Bearer sk_test_marquee_sandbox" },
  });
  if (!res.ok) throw new Error(`sandbox GET ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A mutating call on the sandbox's Stripe API, as a person's action elsewhere (the portal, Stripe itself). */
export async function stripeCall(method: "POST" | "DELETE", path: string, form = ""): Promise<void> {
  const res = await fetch(`${SANDBOX()}/v1/${path}`, {
    method,
    headers: {
      authorization: "Bearer sk_test_marquee_sandbox",
      "content-type": "application/x-www-form-urlencoded",
    },
    ...(method === "POST" ? { body: form } : {}),
  });
  if (!res.ok) throw new Error(`sandbox ${method} ${path}: ${res.status} ${await res.text()}`);
}

/** A POST on the sandbox's Stripe API that answers the object (a refund, an account, a link). */
export async function stripePost<T = Record<string, unknown>>(path: string, form: string): Promise<T> {
  const res = await fetch(`${SANDBOX()}/v1/${path}`, {
    method: "POST",
    headers: {
      authorization: "Bearer sk_test_marquee_sandbox",
      "content-type": "application/x-www-form-urlencoded",
    },
    body: form,
  });
  if (!res.ok) throw new Error(`sandbox POST ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export type BillingStateJson = z.infer<typeof BillingState>;

export const billingOf = (who: SeededAccount) =>
  apiJson<BillingStateJson>("/api/v1/me/billing", 200, { token: who.accessToken });

export function checkout(who: SeededAccount, body: Record<string, unknown>) {
  return api("/api/v1/me/billing/checkout", { method: "POST", token: who.accessToken, json: body });
}

/** Opens a checkout (not paid yet) and answers its hosted URL (Stripe Checkout or PayPal approval). */
export async function openCheckout(
  who: SeededAccount,
  planId: string,
  interval: "month" | "year",
  provider: "stripe" | "paypal" = "stripe",
): Promise<string> {
  const res = await checkout(who, { planId, interval, provider });
  if (res.status !== 200) throw new Error(`checkout: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { url: string }).url;
}

/** Clicks "Pay" on a Stripe Checkout page; answers the subscription it created. */
export async function payStripe(url: string): Promise<string> {
  await press(url, "Pay");
  const sessionId = new URL(url).pathname.split("/").pop() ?? "";
  return (await stripeGet<{ subscription: string }>(`checkout/sessions/${sessionId}`)).subscription;
}

/**
 * Checkout through the sandbox's hosted page ("Pay"): answers the new Stripe subscription's id. The
 * sandbox's webhooks go to the relay; deliver them with `deliverAll`.
 */
export async function subscribeWithStripe(
  who: SeededAccount,
  planId = "premium",
  interval: "month" | "year" = "month",
): Promise<string> {
  return payStripe(await openCheckout(who, planId, interval));
}

export interface Relayed {
  provider: string;
  headers: Record<string, string>;
  body: string;
}

/** The sandbox's deliveries that mention `needle` (a subscription id), oldest first; waits for `min`. */
export async function relayed(
  needle: string,
  min = 1,
  types?: string[],
  provider: "stripe" | "paypal" = "stripe",
): Promise<Relayed[]> {
  const deadline = Date.now() + 5_000;
  const typeOf = (d: Relayed) => {
    const event = JSON.parse(d.body) as { type?: string; event_type?: string };
    return event.type ?? event.event_type ?? "";
  };
  for (;;) {
    const url = `${env.PAYMENTS_RELAY_URL}/deliveries?provider=${provider}`;
    const all = (await (await fetch(url)).json()) as Relayed[];
    const mine = all.filter((d) => d.body.includes(needle) && (!types || types.includes(typeOf(d))));
    if (mine.length >= min || Date.now() > deadline) return mine;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const eventOf = (d: Relayed) =>
  JSON.parse(d.body) as { id: string; type: string; data: { object: { id: string } } };

/** Hands a relayed delivery to the edge exactly as the sandbox sent it (body and signature headers). */
export function deliver(d: Relayed) {
  const signing = Object.fromEntries(
    Object.entries(d.headers).filter(([k]) => k === "stripe-signature" || k.startsWith("paypal-")),
  );
  return api(`/api/v1/webhooks/${d.provider === "paypal" ? "paypal" : "stripe"}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...signing },
    body: d.body,
  });
}

/** Every relayed delivery about `subscriptionId`, in order; each must answer 200. */
export async function deliverAll(subscriptionId: string, min = 1): Promise<void> {
  for (const d of await relayed(subscriptionId, min)) {
    const res = await deliver(d);
    if (res.status !== 200) throw new Error(`delivery ${eventOf(d).type}: ${res.status} ${await res.text()}`);
  }
}

/** A Stripe event built here around `object`, signed with the webhook secret by the SDK. */
export async function signedEvent(
  type: string,
  object: unknown,
  id = `evt_test_${crypto.randomUUID()}`,
  /** More top-level event fields (`account` for an event on a connected account). */
  extra: Record<string, unknown> = {},
) {
  const body = JSON.stringify({
    ...extra,
    id,
    object: "event",
    api_version: "2026-11-18.endive",
    created: Math.floor(Date.now() / 1000),
    type,
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
  });
  const header = await stripe.webhooks.generateTestHeaderStringAsync({
    payload: body,
    secret: STRIPE_SECRET,
    cryptoProvider: Stripe.createSubtleCryptoProvider(),
  });
  return { provider: "stripe", headers: { "stripe-signature": header }, body } satisfies Relayed;
}

/** The dev mailbox's emails to `to`. */
export async function mailTo(to: string) {
  return (
    await apiJson<{ email: { subject: string; text: string }[] }>(
      `/dev/mailbox?to=${encodeURIComponent(to)}`,
      200,
    )
  ).email;
}
