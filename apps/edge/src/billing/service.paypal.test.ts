/**
 * PayPal through the billing core: checkout (a pending mirror row and the sandbox's approval page),
 * the sandbox's own verified webhooks through the shared pipeline, cancel, and the once-only rule.
 */
import { describe, expect, it } from "vitest";
import { api, apiJson, seedAccount } from "../../test/harness";
import { type BillingStateJson, billingOf, checkout, deliver, press, relayed } from "./test-utils";

describe("paypal through the billing core", () => {
  it("approval → premium; a forged delivery is 400; cancel keeps it paid through; redelivery is a no-op", async () => {
    const viewer = await seedAccount({ tag: "ppflow" });
    const res = await checkout(viewer, { planId: "premium", interval: "month", provider: "paypal" });
    expect(res.status).toBe(200);
    const { url } = (await res.json()) as { url: string };
    const subscriptionId = new URL(url).pathname.split("/").pop() ?? "";
    expect(url).toContain("/paypal/approve/");
    // Mirrored as pending: no access before the person approves.
    const pending = await billingOf(viewer);
    expect(pending.subscription).toMatchObject({ provider: "paypal", status: "pending" });
    expect(pending.entitlements.plan).toBe("free");

    const paid = await press(url, "Pay");
    expect([302, 303]).toContain(paid.status);
    const [activated] = await relayed(subscriptionId, 1, ["BILLING.SUBSCRIPTION.ACTIVATED"], "paypal");
    if (!activated) throw new Error("no ACTIVATED event");
    const forged = { ...activated, body: activated.body.replace("ACTIVE", "ACTIVATED_BY_ME") };
    expect((await deliver(forged)).status).toBe(400);
    expect((await billingOf(viewer)).entitlements.plan).toBe("free");
    expect((await deliver(activated)).status).toBe(200);
    const active = await billingOf(viewer);
    expect(active.entitlements.plan).toBe("premium");
    expect(active.subscription).toMatchObject({ provider: "paypal", planId: "premium", status: "active" });
    for (const d of await relayed(subscriptionId, 1, ["PAYMENT.SALE.COMPLETED"], "paypal")) {
      expect((await deliver(d)).status).toBe(200);
      expect((await deliver(d)).status).toBe(200);
    }
    const invoices = await apiJson<{ items: { provider: string; amountCents: number }[] }>(
      "/api/v1/me/billing/invoices",
      200,
      { token: viewer.accessToken },
    );
    expect(invoices.items).toEqual([expect.objectContaining({ provider: "paypal", amountCents: 1799 })]);

    // The portal is Stripe's; PayPal plans are managed at PayPal.
    expect(
      (await api("/api/v1/me/billing/portal", { method: "POST", token: viewer.accessToken })).status,
    ).toBe(409);
    const canceled = await apiJson<BillingStateJson>("/api/v1/me/billing/cancel", 200, {
      method: "POST",
      token: viewer.accessToken,
    });
    expect(canceled.entitlements.plan).toBe("premium");
    expect(canceled.subscription?.accessEndsAt).not.toBeNull();
  });
});
