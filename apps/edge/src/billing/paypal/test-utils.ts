// Helpers for the PayPal provider tests (run in workerd): reach the payments sandbox that
// test/global-setup.ts starts (apps/payments-sandbox) and the relay its webhooks go to, over real HTTP.
// The sandbox itself (its controls, its pages, the relayed deliveries) is ../test-utils.ts.
import type { CheckoutInput } from "../provider";
import { press, SANDBOX } from "../test-utils";
import type { PayPalConfig } from "./client";

/** The sandbox's fixed PayPal credentials (apps/payments-sandbox/src/credentials.ts). */
export function sandboxConfig(over: Partial<PayPalConfig> = {}): PayPalConfig {
  return {
    apiUrl: SANDBOX(),
    clientId: "marquee-sandbox-client",
    clientSecret: "marquee-sandbox-secret",
    webhookId: "WH-MARQUEE-SANDBOX",
    ...over,
  };
}

/** What the billing core hands the provider for a premium (by default) checkout by `accountId`. */
export function checkoutFor(accountId: string, providerPriceId = "P-PREMIUM-MONTH"): CheckoutInput {
  return {
    account: { id: accountId, email: `${accountId}@example.com` },
    plan: { id: "premium", name: "Premium" },
    interval: "month",
    providerPriceId,
    providerCustomerId: null,
    successUrl: "https://marquee.test/account/billing?checkout=success",
    cancelUrl: "https://marquee.test/plans?checkout=canceled",
  };
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
  const res = await press(approveUrl, "Pay");
  const location = res.headers.get("location");
  if (!location) throw new Error(`Pay answered ${res.status} without a location`);
  return new URL(location);
}

export function rand(): string {
  return crypto.randomUUID().slice(0, 8);
}
