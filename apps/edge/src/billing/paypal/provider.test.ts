// The PayPal provider against the payments sandbox over real HTTP (workerd → node:http).
import { beforeEach, describe, expect, it } from "vitest";
import { control } from "../test-utils";
import { clearPayPalTokenCache } from "./client";
import { CHECKOUT_KEY_WINDOW_MS, paypalProvider } from "./provider";
import { approveOnSandbox, checkoutFor, countingFetch, rand, sandboxConfig } from "./test-utils";

beforeEach(() => clearPayPalTokenCache());

describe("PayPal provider: checkout, approval, cancel", () => {
  it("create → approve on the sandbox page → fetch is active, for this account and plan", async () => {
    const counter = countingFetch();
    // One clock reading: the request id names its 10-minute window, which may turn mid-test.
    const now = Date.now();
    const provider = paypalProvider(sandboxConfig(), { fetch: counter.fetch, now: () => now });
    const accountId = `acc_${rand()}`;
    const result = await provider.startCheckout(checkoutFor(accountId));
    expect(result.pending).toMatchObject({
      provider: "paypal",
      status: "pending",
      accountId,
      providerPriceId: "P-PREMIUM-MONTH",
    });
    const subId = result.pending?.providerSubscriptionId ?? "";
    expect(counter.calls.find((c) => c.path === "/v1/billing/subscriptions")?.requestId).toBe(
      `sub:${accountId}:P-PREMIUM-MONTH:${Math.floor(now / CHECKOUT_KEY_WINDOW_MS)}`,
    );
    expect(new URL(result.url).pathname).toBe(`/paypal/approve/${subId}`);
    expect((await provider.fetchSubscription(subId)).status).toBe("pending");

    const back = await approveOnSandbox(result.url);
    expect(back.origin + back.pathname).toBe("https://marquee.test/account/billing");
    expect(back.searchParams.get("subscription_id")).toBe(subId);

    const snap = await provider.fetchSubscription(subId);
    expect(snap).toMatchObject({
      providerSubscriptionId: subId,
      accountId,
      providerPriceId: "P-PREMIUM-MONTH",
      status: "active",
      cancelAtPeriodEnd: false,
    });
    expect(snap.providerCustomerId).toMatch(/^PAYER/);
    expect(snap.currentPeriodEnd).toEqual(expect.any(Number));
  });

  it("cancel stops renewals but keeps the paid period; cancelling again (a retry, account deletion) succeeds", async () => {
    const provider = paypalProvider(sandboxConfig());
    const { pending, url } = await provider.startCheckout(checkoutFor(`acc_${rand()}`, "P-STANDARD-YEAR"));
    const subId = pending?.providerSubscriptionId ?? "";
    await approveOnSandbox(url);
    const active = await provider.fetchSubscription(subId);

    await provider.cancel(subId, "period_end");
    const canceled = await provider.fetchSubscription(subId);
    expect(canceled).toMatchObject({ status: "canceled", cancelAtPeriodEnd: true });
    expect(canceled.currentPeriodEnd).toBe(active.currentPeriodEnd);

    await expect(provider.cancel(subId, "period_end")).resolves.toBeUndefined();
    await expect(provider.cancel(subId, "now")).resolves.toBeUndefined();
  });

  it("an unknown subscription is a 404, not a 5xx", async () => {
    await expect(paypalProvider(sandboxConfig()).fetchSubscription(`I-NOPE${rand()}`)).rejects.toMatchObject({
      code: "not_found",
      status: 404,
    });
  });

  it("cancelling a never-approved subscription succeeds and leaves nothing to charge", async () => {
    const provider = paypalProvider(sandboxConfig());
    const { pending, url } = await provider.startCheckout(checkoutFor(`acc_${rand()}`));
    const subId = pending?.providerSubscriptionId ?? "";
    await expect(provider.cancel(subId, "now")).resolves.toBeUndefined();
    expect((await provider.fetchSubscription(subId)).status).toBe("pending");
    expect((await fetch(url)).status).toBe(200);
  });

  it("cancelling an unknown subscription is a 404, not swallowed", async () => {
    await expect(paypalProvider(sandboxConfig()).cancel(`I-NOPE${rand()}`, "now")).rejects.toMatchObject({
      code: "not_found",
      status: 404,
    });
  });
});

describe("PayPal provider: timeouts, 5xx and idempotent retries", () => {
  it("a create whose answer was lost is 503, and the retry returns the same subscription (no second one)", async () => {
    // The lost answer is read by the test before the provider is told "timed out", so the test
    // knows which subscription PayPal created and can check the retry returns that one.
    let lost: { id: string } | undefined;
    let loseNext = true;
    const losing: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (loseNext && new URL(String(input)).pathname === "/v1/billing/subscriptions") {
        loseNext = false;
        lost = (await res.json()) as { id: string };
        throw new DOMException("The operation timed out.", "TimeoutError");
      }
      return res;
    };
    // One clock reading: a retry in the next 10-minute window would be a new request id.
    const now = Date.now();
    const provider = paypalProvider(sandboxConfig(), { fetch: losing, now: () => now });
    const input = checkoutFor(`acc_${rand()}`);

    await expect(provider.startCheckout(input)).rejects.toMatchObject({
      code: "provider_unavailable",
      status: 503,
    });
    const retried = await provider.startCheckout(input);
    expect(lost?.id).toMatch(/^I-/);
    expect(retried.pending?.providerSubscriptionId).toBe(lost?.id);
  });

  it("the sandbox dropping the committed answer → 503; the retry gets the committed subscription", async () => {
    const now = Date.now();
    const provider = paypalProvider(sandboxConfig(), { now: () => now });
    const input = checkoutFor(`acc_${rand()}`);
    await control("drop-next-response", { method: "POST", pathPrefix: "/v1/billing/subscriptions" });
    await expect(provider.startCheckout(input)).rejects.toMatchObject({
      code: "provider_unavailable",
      status: 503,
    });
    const first = await provider.startCheckout(input);
    const again = await provider.startCheckout(input);
    expect(again.pending?.providerSubscriptionId).toBe(first.pending?.providerSubscriptionId);
    // The key is scoped to a 10-minute window: a checkout started later is a new subscription.
    const later = paypalProvider(sandboxConfig(), { now: () => now + CHECKOUT_KEY_WINDOW_MS });
    const next = await later.startCheckout(input);
    expect(next.pending?.providerSubscriptionId).not.toBe(first.pending?.providerSubscriptionId);
  });

  it("a PayPal 5xx is 502 delivery_failed and retrying after it works", async () => {
    const provider = paypalProvider(sandboxConfig());
    const input = checkoutFor(`acc_${rand()}`);
    await control("fail-next-requests", { count: 1, status: 500, pathPrefix: "/v1/billing/subscriptions" });
    await expect(provider.startCheckout(input)).rejects.toMatchObject({
      code: "delivery_failed",
      status: 502,
    });
    const ok = await provider.startCheckout(input);
    expect(ok.pending?.status).toBe("pending");
  });
});
