/**
 * The webhook pipeline against the payments sandbox over real HTTP: the sandbox's own signed events
 * (kept by the relay) handed to the edge in the order each test chooses, and events signed here.
 * These tests move the sandbox's clock; they run one after another in this file.
 */
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { api, apiJson, seedAccount } from "../../test/harness";
import { billingInvoices, billingSubscriptions, billingWebhookEvents, plans } from "../db/schema";
import { entitlementsOf } from "./entitlements";
import {
  billingOf,
  control,
  deliver,
  deliverAll,
  eventOf,
  mailTo,
  relayed,
  signedEvent,
  stripeCall,
  stripeGet,
  subscribeWithStripe,
} from "./test-utils";

const DAY_S = 86_400;
const mirrorOf = (subId: string) =>
  testDb()
    .select()
    .from(billingSubscriptions)
    .where(
      and(
        eq(billingSubscriptions.provider, "stripe"),
        eq(billingSubscriptions.providerSubscriptionId, subId),
      ),
    )
    .get();
const invoiceRows = (accountId: string) =>
  testDb().select().from(billingInvoices).where(eq(billingInvoices.accountId, accountId));

describe("stripe webhooks", () => {
  it("a paid checkout makes the account premium; the same events delivered twice have one effect", async () => {
    const viewer = await seedAccount({ tag: "whpaid" });
    const sub = await subscribeWithStripe(viewer, "premium");
    const deliveries = await relayed(sub, 3);
    expect(deliveries.map((d) => eventOf(d).type)).toEqual([
      "checkout.session.completed",
      "customer.subscription.created",
      "invoice.paid",
    ]);
    for (const d of deliveries) expect((await deliver(d)).status).toBe(200);
    const state = await billingOf(viewer);
    expect(state.entitlements).toEqual({
      plan: "premium",
      maxHeight: 2160,
      adFree: true,
      streams: 4,
      premiumContent: true,
    });
    expect(state.subscription).toMatchObject({
      provider: "stripe",
      planId: "premium",
      interval: "month",
      status: "active",
    });
    expect(state.subscription?.accessEndsAt).toBeNull();
    const invoices = await apiJson<{ items: { amountCents: number; status: string }[] }>(
      "/api/v1/me/billing/invoices",
      200,
      { token: viewer.accessToken },
    );
    expect(invoices.items).toEqual([
      expect.objectContaining({ amountCents: 1799, status: "paid", currency: "usd" }),
    ]);

    // Every event again (a provider retry after a lost 200): answered 200, nothing applied twice.
    const before = await mirrorOf(sub);
    for (const d of deliveries) expect((await deliver(d)).status).toBe(200);
    expect(await invoiceRows(viewer.accountId)).toHaveLength(1);
    expect((await mirrorOf(sub))?.updatedAt).toBe(before?.updatedAt);
    const recorded = await testDb()
      .select()
      .from(billingWebhookEvents)
      .where(eq(billingWebhookEvents.eventId, eventOf(deliveries[2] as (typeof deliveries)[number]).id));
    expect(recorded).toHaveLength(1);
  });

  it("a forged, tampered, unsigned or foreign-secret delivery is 400 and changes nothing", async () => {
    const viewer = await seedAccount({ tag: "whforged" });
    const sub = await subscribeWithStripe(viewer, "standard");
    const [completed] = await relayed(sub, 1, ["checkout.session.completed"]);
    if (!completed) throw new Error("no checkout event");
    const tampered = { ...completed, body: completed.body.replace(viewer.accountId, "acc_someoneelse") };
    const unsigned = { ...completed, headers: {} };
    const stale = {
      ...completed,
      headers: {
        "stripe-signature": completed.headers["stripe-signature"]?.replace(/t=\d+/, "t=1000000000") ?? "",
      },
    };
    const foreign = await (async () => {
      const own = await signedEvent("customer.subscription.created", { id: sub, object: "subscription" });
      // Re-signed with a secret that is not ours: same shape, wrong key.
      return {
        ...own,
        headers: {
          "stripe-signature": own.headers["stripe-signature"].replace(/v1=[0-9a-f]+/, `v1=${"0".repeat(64)}`),
        },
      };
    })();
    for (const bad of [tampered, unsigned, stale, foreign]) {
      const res = await deliver(bad);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ code: "bad_request" });
    }
    expect(await mirrorOf(sub)).toBeUndefined();
    expect((await billingOf(viewer)).entitlements.plan).toBe("free");
    expect(
      await testDb()
        .select()
        .from(billingWebhookEvents)
        .where(eq(billingWebhookEvents.eventId, eventOf(completed).id)),
    ).toHaveLength(0);
    // The genuine one still applies afterwards.
    expect((await deliver(completed)).status).toBe(200);
    expect((await billingOf(viewer)).entitlements.plan).toBe("standard");
  });

  it("updated before created, and deleted before updated, end in the provider's final state", async () => {
    const viewer = await seedAccount({ tag: "whorder" });
    const sub = await subscribeWithStripe(viewer, "premium");
    // The person cancels at period end (the portal's update), then Stripe ends it at once.
    await stripeCall("POST", `subscriptions/${sub}`, "cancel_at_period_end=true");
    const [created] = await relayed(sub, 1, ["customer.subscription.created"]);
    const [updated] = await relayed(sub, 1, ["customer.subscription.updated"]);
    if (!created || !updated) throw new Error("missing events");
    // updated first, then created (whose payload is older): the mirror shows the cancellation.
    expect((await deliver(updated)).status).toBe(200);
    expect((await deliver(created)).status).toBe(200);
    let state = await billingOf(viewer);
    expect(state.subscription).toMatchObject({ status: "active", cancelAtPeriodEnd: true });
    expect(state.entitlements.plan).toBe("premium");
    expect(state.subscription?.accessEndsAt).toBe(state.subscription?.currentPeriodEnd);

    await stripeCall("DELETE", `subscriptions/${sub}`);
    const [deleted] = await relayed(sub, 1, ["customer.subscription.deleted"]);
    if (!deleted) throw new Error("no deleted event");
    expect((await deliver(deleted)).status).toBe(200);
    // A stale "updated" (built from the active object) arriving last changes nothing back.
    const staleUpdate = await signedEvent(
      "customer.subscription.updated",
      JSON.parse(updated.body).data.object,
    );
    expect((await deliver(staleUpdate)).status).toBe(200);
    const provider = await stripeGet<{ status: string }>(`subscriptions/${sub}`);
    expect(provider.status).toBe("canceled");
    state = await billingOf(viewer);
    expect(state.subscription?.status).toBe("ended");
    expect(state.entitlements.plan).toBe("free");
  });

  it("a handler failure (the re-read fails) is a 5xx with nothing applied; the redelivery applies it once", async () => {
    const viewer = await seedAccount({ tag: "whretry" });
    const sub = await subscribeWithStripe(viewer, "standard");
    const deliveries = await relayed(sub, 3);
    // More failures than the SDK retries, on this subscription's path only.
    await control("fail-next-requests", { count: 3, status: 503, pathPrefix: `/v1/subscriptions/${sub}` });
    const failed = await deliver(deliveries[0] as (typeof deliveries)[number]);
    expect(failed.status).toBe(503);
    expect(await failed.json()).toMatchObject({ code: "provider_unavailable" });
    expect(await mirrorOf(sub)).toBeUndefined();
    expect(
      await testDb()
        .select()
        .from(billingWebhookEvents)
        .where(eq(billingWebhookEvents.eventId, eventOf(deliveries[0] as (typeof deliveries)[number]).id)),
    ).toHaveLength(0);
    // The provider retries: everything applies, once.
    for (const d of deliveries) expect((await deliver(d)).status).toBe(200);
    for (const d of deliveries) expect((await deliver(d)).status).toBe(200);
    expect((await billingOf(viewer)).subscription).toMatchObject({ planId: "standard", status: "active" });
    expect(await invoiceRows(viewer.accountId)).toHaveLength(1);
  });

  it("a failed renewal: past_due with the grace period, one email, free once the grace has passed", async () => {
    const viewer = await seedAccount({ tag: "whpastdue" });
    const sub = await subscribeWithStripe(viewer, "premium");
    await deliverAll(sub, 3);
    await control("fail-next-payment", { subscription: sub });
    await control("clock/advance", { seconds: 32 * DAY_S });
    const failedEvents = await relayed(sub, 1, ["invoice.payment_failed"]);
    const [failed] = failedEvents;
    if (!failed) throw new Error("no payment_failed event");
    // The failure, twice (a retried delivery): one email.
    expect((await deliver(failed)).status).toBe(200);
    expect((await deliver(failed)).status).toBe(200);
    const state = await billingOf(viewer);
    expect(state.subscription?.status).toBe("past_due");
    expect(state.entitlements.plan).toBe("premium");
    expect(state.lastPaymentProblem).toBeTruthy();
    const row = await mirrorOf(sub);
    if (!row?.pastDueSince) throw new Error("past_due_since not set");
    const graceMs = 3 * DAY_S * 1000;
    expect(state.subscription?.graceEndsAt).toBe(new Date(row.pastDueSince + graceMs).toISOString());
    const mails = (await mailTo(viewer.email)).filter((m) => m.subject.includes("payment"));
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toBe("Your payment for Marquee Premium failed");
    expect(mails[0]?.text).toContain("update your payment method by");

    // The provider re-sending past_due later does not restart the grace period.
    const again = await signedEvent("customer.subscription.updated", { id: sub, object: "subscription" });
    expect((await deliver(again)).status).toBe(200);
    expect((await mirrorOf(sub))?.pastDueSince).toBe(row.pastDueSince);

    // The same rule, at the grace boundary, on the mirrored row: premium just before, free at it.
    const allPlans = await testDb().select().from(plans);
    expect(entitlementsOf(row, allPlans, row.pastDueSince + graceMs - 1, graceMs).plan).toBe("premium");
    expect(entitlementsOf(row, allPlans, row.pastDueSince + graceMs, graceMs).plan).toBe("free");

    // The customer pays (a price change pays at once in the sandbox): active again, problem cleared.
    await stripeCall("POST", `subscriptions/${sub}`, "items[0][price]=price_premium_year");
    const paid = (await relayed(sub, 2, ["invoice.paid"])).at(-1);
    if (!paid) throw new Error("no second invoice.paid");
    expect((await deliver(paid)).status).toBe(200);
    const healed = await billingOf(viewer);
    expect(healed.subscription).toMatchObject({ status: "active", interval: "year", graceEndsAt: null });
    expect(healed.lastPaymentProblem).toBeNull();
    expect((await mirrorOf(sub))?.pastDueSince).toBeNull();
  });

  it("cancel keeps the plan until the period ends; once the provider ends it, the account is free", async () => {
    const viewer = await seedAccount({ tag: "whcancel" });
    const sub = await subscribeWithStripe(viewer, "premium");
    await deliverAll(sub, 3);
    const canceled = await apiJson<Awaited<ReturnType<typeof billingOf>>>("/api/v1/me/billing/cancel", 200, {
      method: "POST",
      token: viewer.accessToken,
    });
    // Mirrored from the provider's answer at once, before any webhook.
    expect(canceled.subscription).toMatchObject({ status: "active", cancelAtPeriodEnd: true });
    expect(canceled.subscription?.accessEndsAt).toBe(canceled.subscription?.currentPeriodEnd);
    expect(canceled.entitlements.plan).toBe("premium");
    expect(
      (await stripeGet<{ cancel_at_period_end: boolean }>(`subscriptions/${sub}`)).cancel_at_period_end,
    ).toBe(true);
    // Again: idempotent, same state.
    expect(
      (
        await apiJson<Awaited<ReturnType<typeof billingOf>>>("/api/v1/me/billing/cancel", 200, {
          method: "POST",
          token: viewer.accessToken,
        })
      ).subscription,
    ).toEqual(canceled.subscription);
    // The sandbox clock passes the period end: Stripe ends it and says so.
    await control("clock/advance", { seconds: 32 * DAY_S });
    const [deleted] = await relayed(sub, 1, ["customer.subscription.deleted"]);
    if (!deleted) throw new Error("no deleted event");
    expect((await deliver(deleted)).status).toBe(200);
    const after = await billingOf(viewer);
    expect(after.subscription?.status).toBe("ended");
    expect(after.entitlements.plan).toBe("free");
    expect(
      (await api("/api/v1/me/billing/cancel", { method: "POST", token: viewer.accessToken })).status,
    ).toBe(409);
  });

  it("events for a subscription of no account, or of unknown kinds, are recorded and change nothing", async () => {
    const unrelated = await signedEvent("customer.created", { id: "cus_nobody", object: "customer" });
    const res = await deliver(unrelated);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: true });
  });

  it("refuses bodies over 256 kB with 413", async () => {
    const res = await api("/api/v1/webhooks/stripe", {
      method: "POST",
      headers: { "content-type": "application/json", "stripe-signature": "t=1,v1=00" },
      body: "x".repeat(300 * 1024),
    });
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(await res.json()).toMatchObject({ code: "payload_too_large", status: 413 });
  });
});
