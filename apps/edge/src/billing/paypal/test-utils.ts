// Helpers for the PayPal provider tests (run in workerd): reach the payments sandbox that
// test/global-setup.ts starts (apps/payments-sandbox) and the relay its webhooks go to, over real HTTP.
import { env } from "cloudflare:test";
import type { PayPalConfig } from "./client";

export function sandboxUrl(): string {
  const url = env.PAYMENTS_SANDBOX_URL;
  if (!url) throw new Error("PAYMENTS_SANDBOX_URL binding missing: is the sandbox in test/global-setup.ts?");
  return url;
}

export interface RelayedPayPalDelivery {
  headers: Record<string, string>;
  rawBody: string;
  body: { id: string; event_type: string; resource: Record<string, unknown> };
}

/** The PayPal webhooks the sandbox delivered to test/payments-relay.ts, as signed, oldest first. */
export async function relayedPayPalDeliveries(): Promise<RelayedPayPalDelivery[]> {
  await control("webhooks?settle=1");
  const res = await fetch(`${env.PAYMENTS_RELAY_URL}/deliveries?provider=paypal`);
  const kept = (await res.json()) as { headers: Record<string, string>; body: string }[];
  return kept.map((d) => ({
    headers: d.headers,
    rawBody: d.body,
    body: JSON.parse(d.body) as RelayedPayPalDelivery["body"],
  }));
}

/** The sandbox's fixed PayPal credentials (apps/payments-sandbox/src/credentials.ts). */
export function sandboxConfig(over: Partial<PayPalConfig> = {}): PayPalConfig {
  return {
    apiUrl: sandboxUrl(),
    clientId: "marquee-sandbox-client",
    clientSecret: "marquee-sandbox-secret",
    webhookId: "WH-MARQUEE-SANDBOX",
    ...over,
  };
}

export async function control(path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${sandboxUrl()}/__control/${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`sandbox control ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** A fetch that records each request's method and path (what the provider really sent). */
export function countingFetch(): {
  fetch: typeof fetch;
  calls: { method: string; path: string; requestId: string | null }[];
} {
  const calls: { method: string; path: string; requestId: string | null }[] = [];
  return {
    calls,
    fetch: (input, init) => {
      const url = new URL(input instanceof Request ? input.url : String(input));
      const requestId = new Headers(init?.headers).get("paypal-request-id");
      calls.push({ method: init?.method ?? "GET", path: url.pathname, requestId });
      return fetch(input, init);
    },
  };
}

/** Clicks "Pay" on the sandbox's approval page, as a person would; returns where it redirects. */
export async function approveOnSandbox(approveUrl: string): Promise<URL> {
  const page = await fetch(approveUrl);
  const html = await page.text();
  if (!page.ok || !html.includes("Pay"))
    throw new Error(`approval page ${page.status}: ${html.slice(0, 200)}`);
  const action = /<form method="post" action="([^"]+\/pay)"/.exec(html)?.[1];
  if (!action) throw new Error("approval page has no Pay form");
  const res = await fetch(new URL(action, approveUrl), { method: "POST", redirect: "manual" });
  const location = res.headers.get("location");
  if (res.status < 300 || res.status >= 400 || !location) throw new Error(`Pay answered ${res.status}`);
  return new URL(location);
}

export function rand(): string {
  return crypto.randomUUID().slice(0, 8);
}
