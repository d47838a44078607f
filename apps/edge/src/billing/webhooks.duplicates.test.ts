/**
 * One paying subscription per account, against the payments sandbox over real HTTP: checkouts
 * opened side by side and both paid, a PayPal approval finished after a card checkout, a checkout
 * while a payment is failing; and cancel → resume → cancel (a fresh idempotency key per intent).
 */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { api, apiJson, seedAccount } from "../../test/harness";
import { billingSubscriptions } from "../db/schema";
import { newId } from "../lib/ids";
import { paypalProvider } from "./paypal/provider";
import { sandboxConfig } from "./paypal/test-utils";
import {
  type BillingStateJson,
  billingOf,
  checkout,
  deliver,
  deliverAll,
  openCheckout,
  payStripe,
  press,
  relayed,
  stripeCall,
  stripeGet,
} from "./test-utils";

const rowsOf = (accountId: string) =>
  testDb().select().from(billingSubscriptions).where(eq(billingSubscriptions.accountId, accountId));

describe("duplicate subscriptions", () => {
  it("two Stripe checkouts paid in two tabs: the second is cancelled at Stripe, the first decides", async () => {
    const viewer = await seedAccount({ tag: "dup2tabs" });
    const first = await openCheckout(viewer, "premium", "month");
    const second = await openCheckout(viewer, "standard", "year");
    const subA = await payStripe(first);
    const subB = await payStripe(second);
    await deliverAll(subA, 3);
    await deliverAll(subB, 3);

    const atStripe = async (id: string) =>
      (await stripeGet<{ status: string }>(`subscriptions/${id}`)).status;
    expect(await atStripe(subA)).toBe("active");
    expect(await atStripe(subB)).toBe("canceled");
    const state = await billingOf(viewer);
    expect(state.entitlements.plan).toBe("premium");
    expect(state.subscription).toMatchObject({ provider: "stripe", planId: "premium", status: "active" });
    const rows = await rowsOf(viewer.accountId);
    expect(rows.find((r) => r.providerSubscriptionId === subB)?.status).toBe("ended");
    // Stripe's own `deleted` for the cancelled one, and redeliveries, keep it so.
    await deliverAll(subB, 4);
    expect((await rowsOf(viewer.accountId)).filter((r) => r.status === "active")).toHaveLength(1);
  });

  it("a pending PayPal approval ends when the person checks out by card; approving it later cancels it", async () => {
    const viewer = await seedAccount({ tag: "duppaypal" });
    const approve = await openCheckout(viewer, "standard", "month", "paypal");
    const paypalId = new URL(approve).pathname.split("/").pop() ?? "";
    const card = await openCheckout(viewer, "premium", "month");
    const mirrored = await rowsOf(viewer.accountId);
    expect(mirrored.find((r) => r.providerSubscriptionId === paypalId)?.status).toBe("ended");

    const subA = await payStripe(card);
    await deliverAll(subA, 3);
    // PayPal cannot cancel a subscription awaiting approval: the person approves the old tab anyway.
    const paid = await press(approve, "Pay");
    expect([302, 303]).toContain(paid.status);
    const [activated] = await relayed(paypalId, 1, ["BILLING.SUBSCRIPTION.ACTIVATED"], "paypal");
    if (!activated) throw new Error("no ACTIVATED event");
    expect((await deliver(activated)).status).toBe(200);

    // PayPal's CANCELLED, as the provider reads it back.
    const atPayPal = await paypalProvider(sandboxConfig()).fetchSubscription(paypalId);
    expect(atPayPal.status).toBe("canceled");
    const state = await billingOf(viewer);
    expect(state.entitlements.plan).toBe("premium");
    expect(state.subscription).toMatchObject({ provider: "stripe", status: "active" });
    // PayPal's CANCELLED (paid through, for a normal cancel) does not revive the duplicate.
    for (const d of await relayed(paypalId, 2, undefined, "paypal"))
      expect((await deliver(d)).status).toBe(200);
    expect((await rowsOf(viewer.accountId)).find((r) => r.providerSubscriptionId === paypalId)?.status).toBe(
      "ended",
    );
    expect((await billingOf(viewer)).entitlements.plan).toBe("premium");
  });

  it("refuses a checkout (409) while any subscription of the account is past due, even after its grace", async () => {
    const viewer = await seedAccount({ tag: "duppastdue" });
    const now = Date.now();
    await testDb()
      .insert(billingSubscriptions)
      .values({
        id: newId("bsub"),
        accountId: viewer.accountId,
        provider: "stripe",
        providerSubscriptionId: `sub_pastdue_${viewer.accountId}`,
        planId: "standard",
        interval: "month",
        status: "past_due",
        pastDueSince: now - 30 * 86_400_000,
        currentPeriodEnd: now,
        createdAt: now - 60 * 86_400_000,
        updatedAt: now,
      });
    expect((await billingOf(viewer)).entitlements.plan).toBe("free");
    const res = await checkout(viewer, { planId: "premium", interval: "month", provider: "stripe" });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { detail: string }).detail).toContain("update your payment method");
  });
});

describe("abandoned checkouts", () => {
  it("a pending row younger than 24 h shows as the subscription; an older one does not", async () => {
    const viewer = await seedAccount({ tag: "pendingold" });
    const insertPending = (ageMs: number) => {
      const at = Date.now() - ageMs;
      return testDb()
        .insert(billingSubscriptions)
        .values({
          id: newId("bsub"),
          accountId: viewer.accountId,
          provider: "paypal",
          providerSubscriptionId: `I-PENDING-${ageMs}-${viewer.accountId}`,
          planId: "premium",
          interval: "month",
          status: "pending",
          createdAt: at,
          updatedAt: at,
        });
    };
    await insertPending(24 * 3_600_000 + 60_000);
    expect((await billingOf(viewer)).subscription).toBeNull();
    await insertPending(60_000);
    expect((await billingOf(viewer)).subscription).toMatchObject({ provider: "paypal", status: "pending" });
  });
});

describe("cancel idempotency", () => {
  it("cancel → resume (at Stripe) → cancel again sets cancel_at_period_end again", async () => {
    const viewer = await seedAccount({ tag: "cancelagain" });
    const url = await openCheckout(viewer, "standard", "month");
    const sub = await payStripe(url);
    await deliverAll(sub, 3);
    const cancel = () =>
      apiJson<BillingStateJson>("/api/v1/me/billing/cancel", 200, {
        method: "POST",
        token: viewer.accessToken,
      });
    const atStripe = async () =>
      (await stripeGet<{ cancel_at_period_end: boolean }>(`subscriptions/${sub}`)).cancel_at_period_end;
    await cancel();
    expect(await atStripe()).toBe(true);
    // "Don't cancel" (the portal's update), and its webhook reaches us.
    await stripeCall("POST", `subscriptions/${sub}`, "cancel_at_period_end=false");
    const resumed = (await relayed(sub, 2, ["customer.subscription.updated"])).at(-1);
    if (!resumed) throw new Error("no updated event");
    expect((await deliver(resumed)).status).toBe(200);
    expect((await billingOf(viewer)).subscription?.cancelAtPeriodEnd).toBe(false);
    const again = await cancel();
    expect(again.subscription?.cancelAtPeriodEnd).toBe(true);
    expect(await atStripe()).toBe(true);
    expect(
      (await api("/api/v1/me/billing/cancel", { method: "POST", token: viewer.accessToken })).status,
    ).toBe(200);
  });
});
