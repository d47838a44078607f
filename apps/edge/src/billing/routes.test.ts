import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, apiJson, seedAccount } from "../../test/harness";
import { billingOf, checkout, control, deliverAll, stripeGet, subscribeWithStripe } from "./test-utils";

interface PlanJson {
  id: string;
  maxHeight: number;
  streams: number;
  adFree: boolean;
  premiumContent: boolean;
  prices: { month: { amountCents: number; currency: string } | null; year: { amountCents: number } | null };
  providers: string[];
}

describe("plans", () => {
  it("lists the three seeded plans publicly, with their limits, cent prices and the configured providers", async () => {
    const { items } = await apiJson<{ items: PlanJson[] }>("/api/v1/plans", 200);
    const byId = Object.fromEntries(items.map((p) => [p.id, p]));
    expect(items.map((p) => p.id).slice(0, 3)).toEqual(["free", "standard", "premium"]);
    expect(byId.free).toMatchObject({
      maxHeight: 720,
      streams: 1,
      adFree: false,
      premiumContent: false,
      providers: [],
    });
    expect(byId.standard).toMatchObject({ maxHeight: 1080, streams: 2, adFree: true, premiumContent: false });
    expect(byId.standard?.prices.month).toEqual({ amountCents: 999, currency: "usd" });
    expect(byId.premium).toMatchObject({ maxHeight: 2160, streams: 4, adFree: true, premiumContent: true });
    expect(byId.premium?.prices.year?.amountCents).toBe(17990);
    expect(byId.premium?.providers).toEqual(["stripe", "paypal"]);
  });

  it("lets only admins edit a plan, validates the edit, and 404s an unknown plan", async () => {
    const [admin, viewer] = await Promise.all([
      seedAccount({ tag: "pladmin", roles: ["admin"] }),
      seedAccount({ tag: "plviewer" }),
    ]);
    const patch = (token: string, planId: string, json: unknown) =>
      api(`/api/v1/admin/plans/${planId}`, { method: "PATCH", token, json });
    expect((await patch(viewer.accessToken, "standard", { streams: 3 })).status).toBe(403);
    expect(
      (await api("/api/v1/admin/plans/standard", { method: "PATCH", json: { streams: 3 } })).status,
    ).toBe(401);
    for (const bad of [
      {},
      { streams: 0 },
      { monthlyCents: 9.99 },
      { currency: "USD" },
      { plan: "x" },
      { maxHeight: "1080" },
    ]) {
      expect((await patch(admin.accessToken, "standard", bad)).status, JSON.stringify(bad)).toBe(400);
    }
    expect((await patch(admin.accessToken, "nosuchplan", { streams: 3 })).status).toBe(404);
    // A provider id another plan (or the other interval) already sells: 409, nothing changed.
    for (const shared of [
      { stripeMonthPriceId: "price_premium_month" },
      { stripeYearPriceId: "price_standard_month" },
      { paypalMonthPlanId: "P-PREMIUM-YEAR" },
    ]) {
      const res = await patch(admin.accessToken, "standard", shared);
      expect(res.status, JSON.stringify(shared)).toBe(409);
    }
    const plansNow = await apiJson<{ items: PlanJson[] }>("/api/v1/plans", 200);
    expect(plansNow.items.find((p) => p.id === "standard")?.providers).toEqual(["stripe", "paypal"]);
    // A real edit applies at once (then put back: other tests read the seeded limits).
    const edited = await apiJson<PlanJson>("/api/v1/admin/plans/standard", 200, {
      method: "PATCH",
      token: admin.accessToken,
      json: { streams: 3, yearlyCents: 9900 },
    });
    expect(edited).toMatchObject({ streams: 3, prices: { year: { amountCents: 9900, currency: "usd" } } });
    await apiJson("/api/v1/admin/plans/standard", 200, {
      method: "PATCH",
      token: admin.accessToken,
      json: { streams: 2, yearlyCents: 9990 },
    });
  });
});

describe("checkout", () => {
  it("answers a Stripe Checkout URL on the sandbox for the token's account, with return URLs on PUBLIC_URL", async () => {
    const viewer = await seedAccount({ tag: "coviewer" });
    const res = await checkout(viewer, { planId: "premium", interval: "month", provider: "stripe" });
    expect(res.status).toBe(200);
    const { url } = (await res.json()) as { url: string };
    expect(url.startsWith(`${env.PAYMENTS_SANDBOX_URL}/checkout/`)).toBe(true);
    const sessionId = new URL(url).pathname.split("/").pop() ?? "";
    const session = await stripeGet<Record<string, unknown>>(`checkout/sessions/${sessionId}`);
    expect(session).toMatchObject({
      mode: "subscription",
      client_reference_id: viewer.accountId,
      success_url: "http://127.0.0.1:8787/account/billing?checkout=success",
      cancel_url: "http://127.0.0.1:8787/plans?checkout=canceled",
    });
    // One Customer per account: a second checkout reuses it.
    const again = await checkout(viewer, { planId: "standard", interval: "year", provider: "stripe" });
    const second = await stripeGet<{ customer: string }>(
      `checkout/sessions/${new URL(((await again.json()) as { url: string }).url).pathname.split("/").pop()}`,
    );
    expect(second.customer).toBe(session.customer);
    expect(typeof session.customer).toBe("string");
  });

  it("refuses: unknown plan 404, free 400, a body naming an account 400, no token 401", async () => {
    const viewer = await seedAccount({ tag: "corefuse" });
    const other = await seedAccount({ tag: "coother" });
    expect((await checkout(viewer, { planId: "gold", interval: "month", provider: "stripe" })).status).toBe(
      404,
    );
    const free = await checkout(viewer, { planId: "free", interval: "month", provider: "stripe" });
    expect(free.status).toBe(400);
    // The account comes from the token only: naming one is an unknown field, refused whole.
    const named = await checkout(viewer, {
      planId: "premium",
      interval: "month",
      provider: "stripe",
      accountId: other.accountId,
    });
    expect(named.status).toBe(400);
    expect(await named.text()).toContain("accountId");
    expect(
      (
        await api("/api/v1/me/billing/checkout", {
          method: "POST",
          json: { planId: "premium", interval: "month", provider: "stripe" },
        })
      ).status,
    ).toBe(401);
  });

  it("refuses a plan the account already has, or a second paid plan (409)", async () => {
    const viewer = await seedAccount({ tag: "cohave" });
    const sub = await subscribeWithStripe(viewer, "premium");
    await deliverAll(sub, 3);
    expect((await billingOf(viewer)).entitlements.plan).toBe("premium");
    const same = await checkout(viewer, { planId: "premium", interval: "month", provider: "stripe" });
    expect(same.status).toBe(409);
    expect(((await same.json()) as { detail: string }).detail).toContain("already have Premium");
    const other = await checkout(viewer, { planId: "standard", interval: "year", provider: "paypal" });
    expect(other.status).toBe(409);
    expect(((await other.json()) as { detail: string }).detail).toContain("billing portal");
  });

  it("answers 503/502 problems when Stripe is unreachable or failing, and works once it is back", async () => {
    const viewer = await seedAccount({ tag: "codown" });
    // More failures than the SDK's two retries: the call gives up.
    await control("fail-next-requests", { count: 3, status: 500, pathPrefix: "/v1/customers" });
    const failing = await checkout(viewer, { planId: "premium", interval: "month", provider: "stripe" });
    expect(failing.status).toBe(502);
    expect(await failing.json()).toMatchObject({ code: "delivery_failed" });
    await control("fail-next-requests", { count: 0 });
    const ok = await checkout(viewer, { planId: "premium", interval: "month", provider: "stripe" });
    expect(ok.status).toBe(200);
  });
});

describe("provider failures and the portal", () => {
  it("answers 503 provider_unavailable when Stripe's answers are lost (connection dropped after commit)", async () => {
    const viewer = await seedAccount({ tag: "codrop" });
    // Three drops: the first try and both SDK retries (same idempotency key) lose their answer.
    for (let i = 0; i < 3; i++)
      await control("drop-next-response", { method: "POST", pathPrefix: "/v1/customers" });
    const lost = await checkout(viewer, { planId: "standard", interval: "month", provider: "stripe" });
    expect(lost.status).toBe(503);
    expect(await lost.json()).toMatchObject({ code: "provider_unavailable" });
    // The retry replays the committed customer (idempotency key customer:<account>): still one customer.
    const ok = await checkout(viewer, { planId: "standard", interval: "month", provider: "stripe" });
    expect(ok.status).toBe(200);
    const customers = await stripeGet<{ data: { metadata: { accountId?: string } }[] }>(
      "customers?limit=100",
    );
    expect(customers.data.filter((c) => c.metadata.accountId === viewer.accountId)).toHaveLength(1);
  });

  it("opens the Stripe billing portal for the account's own customer, returning to PUBLIC_URL", async () => {
    const viewer = await seedAccount({ tag: "coportal" });
    const sub = await subscribeWithStripe(viewer, "standard");
    await deliverAll(sub, 3);
    const { url } = await apiJson<{ url: string }>("/api/v1/me/billing/portal", 200, {
      method: "POST",
      token: viewer.accessToken,
    });
    expect(url.startsWith(`${env.PAYMENTS_SANDBOX_URL}/portal/`)).toBe(true);
    const page = await (await fetch(url)).text();
    expect(page).toContain("Cancel plan");
  });
});

describe("billing state", () => {
  it("shows free for a new account, and the portal is 409 until there is Stripe billing", async () => {
    const viewer = await seedAccount({ tag: "bsnew" });
    expect(await billingOf(viewer)).toEqual({
      entitlements: { plan: "free", maxHeight: 720, adFree: false, streams: 1, premiumContent: false },
      subscription: null,
      lastPaymentProblem: null,
    });
    expect(
      (await api("/api/v1/me/billing/portal", { method: "POST", token: viewer.accessToken })).status,
    ).toBe(409);
    expect(
      (await api("/api/v1/me/billing/cancel", { method: "POST", token: viewer.accessToken })).status,
    ).toBe(409);
    expect((await apiJson<{ plan: string }>("/api/v1/me", 200, { token: viewer.accessToken })).plan).toBe(
      "free",
    );
  });
});
