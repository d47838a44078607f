// The PayPal REST client against the payments sandbox over real HTTP (workerd → node:http).
import { beforeEach, describe, expect, it } from "vitest";
import { clearPayPalTokenCache, PayPalClient } from "./client";
import { PayPalPlan } from "./schemas";
import { countingFetch, sandboxConfig } from "./test-utils";

beforeEach(() => clearPayPalTokenCache());

describe("PayPal client", () => {
  it("caches the OAuth token: two API calls cost one token request", async () => {
    const counter = countingFetch();
    const client = new PayPalClient(sandboxConfig(), { fetch: counter.fetch });
    const path = "/v1/billing/plans/P-STANDARD-MONTH";
    const [a, b] = [
      await client.request({ method: "GET", path, schema: PayPalPlan }),
      await client.request({ method: "GET", path, schema: PayPalPlan }),
    ];
    expect(a.id).toBe("P-STANDARD-MONTH");
    expect(b.id).toBe("P-STANDARD-MONTH");
    expect(counter.calls.filter((c) => c.path === "/v1/oauth2/token")).toHaveLength(1);
    expect(counter.calls.filter((c) => c.path === path)).toHaveLength(2);
  });

  it("concurrent first calls share one token request", async () => {
    const counter = countingFetch();
    const client = new PayPalClient(sandboxConfig(), { fetch: counter.fetch });
    const path = "/v1/billing/plans/P-STANDARD-YEAR";
    await Promise.all([1, 2, 3].map(() => client.request({ method: "GET", path, schema: PayPalPlan })));
    expect(counter.calls.filter((c) => c.path === "/v1/oauth2/token")).toHaveLength(1);
  });

  it("fetches a new token once the cached one nears its expiry", async () => {
    const counter = countingFetch();
    let clock = Date.now();
    const client = new PayPalClient(sandboxConfig(), { fetch: counter.fetch, now: () => clock });
    const path = "/v1/billing/plans/P-PREMIUM-YEAR";
    await client.request({ method: "GET", path, schema: PayPalPlan });
    clock += 9 * 60 * 60 * 1000; // the sandbox's tokens live 9 h (like PayPal's); we renew a minute early
    await client.request({ method: "GET", path, schema: PayPalPlan });
    expect(counter.calls.filter((c) => c.path === "/v1/oauth2/token")).toHaveLength(2);
  });

  it("a token PayPal rejects before its expiry is dropped and the call retried once with a new one", async () => {
    const counter = countingFetch();
    let spoil = true;
    const spoiling: typeof fetch = (input, init) => {
      const path = new URL(String(input)).pathname;
      if (spoil && path.startsWith("/v1/billing/")) {
        spoil = false;
        // As if PayPal had revoked the cached token: the sandbox answers this one 401.
        init = {
          ...init,
          headers: { ...(init?.headers as Record<string, string>), authorization: "Bearer revoked" },
        };
      }
      return counter.fetch(input, init);
    };
    const client = new PayPalClient(sandboxConfig(), { fetch: spoiling });
    const plan = await client.request({
      method: "GET",
      path: "/v1/billing/plans/P-PREMIUM-YEAR",
      schema: PayPalPlan,
    });
    expect(plan.id).toBe("P-PREMIUM-YEAR");
    expect(counter.calls.map((c) => c.path)).toEqual([
      "/v1/oauth2/token",
      "/v1/billing/plans/P-PREMIUM-YEAR",
      "/v1/oauth2/token",
      "/v1/billing/plans/P-PREMIUM-YEAR",
    ]);
  });

  it("wrong client credentials are our misconfiguration (500), not the caller's fault", async () => {
    const client = new PayPalClient(sandboxConfig({ clientSecret: "wrong" }));
    await expect(
      client.request({ method: "GET", path: "/v1/billing/plans/P-STANDARD-MONTH", schema: PayPalPlan }),
    ).rejects.toMatchObject({ code: "misconfigured", status: 500 });
  });

  it("refuses to send a mutating call without a PayPal-Request-Id", async () => {
    const client = new PayPalClient(sandboxConfig());
    await expect(
      client.request({ method: "POST", path: "/v1/billing/subscriptions", body: {} }),
    ).rejects.toMatchObject({ code: "internal", status: 500 });
  });

  it("no answer within the timeout is 503 provider_unavailable", async () => {
    const never: typeof fetch = (_input, init) =>
      new Promise((_resolve, reject) => {
        init?.signal?.addEventListener("abort", () => reject(init.signal?.reason));
      });
    const client = new PayPalClient(sandboxConfig(), { fetch: never, timeoutMs: 50 });
    await expect(
      client.request({ method: "GET", path: "/v1/billing/plans/P-STANDARD-MONTH" }),
    ).rejects.toMatchObject({
      code: "provider_unavailable",
      status: 503,
      detail: expect.stringMatching(/within 0.05 s/),
    });
  });
});
