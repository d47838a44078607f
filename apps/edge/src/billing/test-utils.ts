/**
 * Billing test helpers: the payments sandbox over real HTTP (its /__control test controls and
 * hosted pages), the relay that keeps its signed webhooks (test/payments-relay.ts), and Stripe
 * events signed here with the SDK for the deliveries a test builds itself.
 */
import { env } from "cloudflare:test";
import Stripe from "stripe";
import { api, apiJson, type SeededAccount } from "../../test/harness";

export const SANDBOX = () => env.PAYMENTS_SANDBOX_URL;
export const STRIPE_SECRET = "whsec_marquee_sandbox";
const stripe = new Stripe("sk_test_marquee_sandbox", { httpClient: Stripe.createFetchHttpClient() });

export async function control(path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${SANDBOX()}/__control/${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`sandbox control ${path}: ${res.status} ${await res.text()}`);
  return res.json();
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

export interface BillingStateJson {
  entitlements: {
    plan: string;
    maxHeight: number;
    adFree: boolean;
    streams: number;
    premiumContent: boolean;
  };
  subscription: null | {
    provider: string;
    planId: string;
    interval: string;
    status: string;
    cancelAtPeriodEnd: boolean;
    currentPeriodEnd: string | null;
    graceEndsAt: string | null;
    accessEndsAt: string | null;
  };
  lastPaymentProblem: string | null;
}

export const billingOf = (who: SeededAccount) =>
  apiJson<BillingStateJson>("/api/v1/me/billing", 200, { token: who.accessToken });

export function checkout(who: SeededAccount, body: Record<string, unknown>) {
  return api("/api/v1/me/billing/checkout", { method: "POST", token: who.accessToken, json: body });
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
  const res = await checkout(who, { planId, interval, provider: "stripe" });
  if (res.status !== 200) throw new Error(`checkout: ${res.status} ${await res.text()}`);
  const { url } = (await res.json()) as { url: string };
  const paid = await fetch(`${url}/pay`, { method: "POST", redirect: "manual" });
  if (paid.status !== 302 && paid.status !== 303) throw new Error(`pay: ${paid.status} ${await paid.text()}`);
  const sessionId = new URL(url).pathname.split("/").pop() ?? "";
  const session = await stripeGet<{ subscription: string }>(`checkout/sessions/${sessionId}`);
  return session.subscription;
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
export async function signedEvent(type: string, object: unknown, id = `evt_test_${crypto.randomUUID()}`) {
  const body = JSON.stringify({
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
