/**
 * Late, repeated and racing webhook work: a payment_failed after the invoice was paid, Stripe's
 * retry attempts of one failed invoice, and a write from an older provider snapshot. The sandbox
 * over real HTTP; this file moves the sandbox's clock.
 */
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { seedAccount } from "../../test/harness";
import { billingInvoices, billingSubscriptions, plans } from "../db/schema";
import type { Services } from "../services";
import { subscriptionUpsert } from "./mirror";
import type { SubscriptionSnapshot } from "./provider";
import {
  billingOf,
  control,
  deliver,
  deliverAll,
  mailTo,
  relayed,
  signedEvent,
  subscribeWithStripe,
} from "./test-utils";

const DAY_S = 86_400;
const paymentMails = async (email: string) =>
  (await mailTo(email)).filter((m) => m.subject.includes("payment"));
const objectOf = (body: string) => (JSON.parse(body) as { data: { object: { id: string } } }).data.object;

describe("stale and repeated payment events", () => {
  it("a payment_failed arriving after invoice.paid for the same invoice: stays paid, no problem, no email", async () => {
    const viewer = await seedAccount({ tag: "stalefail" });
    const sub = await subscribeWithStripe(viewer, "standard");
    await deliverAll(sub, 3);
    const [paid] = await relayed(sub, 1, ["invoice.paid"]);
    if (!paid) throw new Error("no invoice.paid");
    const invoice = objectOf(paid.body);
    const late = await signedEvent("invoice.payment_failed", invoice);
    expect((await deliver(late)).status).toBe(200);

    const row = await testDb()
      .select()
      .from(billingInvoices)
      .where(and(eq(billingInvoices.provider, "stripe"), eq(billingInvoices.providerInvoiceId, invoice.id)))
      .get();
    expect(row?.status).toBe("paid");
    const state = await billingOf(viewer);
    expect(state.subscription?.status).toBe("active");
    expect(state.lastPaymentProblem).toBeNull();
    expect(await paymentMails(viewer.email)).toEqual([]);
  });

  it("Stripe's retry attempts of one failed invoice send one email, not one per attempt", async () => {
    const viewer = await seedAccount({ tag: "retrymail" });
    const sub = await subscribeWithStripe(viewer, "premium");
    await deliverAll(sub, 3);
    await control("fail-next-payment", { subscription: sub });
    await control("clock/advance", { seconds: 32 * DAY_S });
    const [failed] = await relayed(sub, 1, ["invoice.payment_failed"]);
    if (!failed) throw new Error("no payment_failed event");
    expect((await deliver(failed)).status).toBe(200);
    // The next attempts on the same invoice: new events (new ids), same invoice, still past due.
    for (let attempt = 0; attempt < 2; attempt++) {
      const retry = await signedEvent("invoice.payment_failed", objectOf(failed.body));
      expect((await deliver(retry)).status).toBe(200);
    }
    const state = await billingOf(viewer);
    expect(state.subscription?.status).toBe("past_due");
    expect(state.lastPaymentProblem).toBeTruthy();
    expect(await paymentMails(viewer.email)).toHaveLength(1);
  });
});

describe("snapshot order", () => {
  it("a write from an older snapshot leaves the newer state; an equal or newer one applies", async () => {
    const viewer = await seedAccount({ tag: "snaporder" });
    const db = testDb();
    const s = { db, log: () => {} } as unknown as Services;
    const allPlans = await db.select().from(plans);
    const snap = (status: SubscriptionSnapshot["status"]): SubscriptionSnapshot => ({
      provider: "stripe",
      providerSubscriptionId: `sub_order_${viewer.accountId}`,
      providerCustomerId: null,
      accountId: viewer.accountId,
      providerPriceId: "price_premium_month",
      status,
      cancelAtPeriodEnd: false,
      currentPeriodEnd: Date.now() + 30 * DAY_S * 1000,
    });
    const write = (status: SubscriptionSnapshot["status"], snapshotAt: number) =>
      db.batch([
        subscriptionUpsert(s, viewer.accountId, snap(status), allPlans, {
          now: Date.now(),
          snapshotAt,
          paymentProblem: null,
        }),
      ]);
    const row = () =>
      db
        .select()
        .from(billingSubscriptions)
        .where(eq(billingSubscriptions.providerSubscriptionId, `sub_order_${viewer.accountId}`))
        .get();
    // Y (read "ended" at t2) commits first; X (read "active" at t1 < t2) commits after it.
    await write("ended", 2_000);
    await write("active", 1_000);
    expect(await row()).toMatchObject({ status: "ended", snapshotAt: 2_000 });
    expect((await billingOf(viewer)).entitlements.plan).toBe("free");
    // The same answer again, then a newer one, apply.
    await write("ended", 2_000);
    await write("active", 3_000);
    expect(await row()).toMatchObject({ status: "active", snapshotAt: 3_000 });
    expect((await billingOf(viewer)).entitlements.plan).toBe("premium");
  });
});
