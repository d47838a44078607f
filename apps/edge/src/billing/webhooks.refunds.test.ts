/**
 * Refunds as facts for the payouts (billing_refunds), invoices' `recorded_at`, and Connect's
 * `account.updated`, through the webhook pipeline with the payments sandbox's own signed events.
 */
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { seedAccount } from "../../test/harness";
import { billingInvoices, billingRefunds, billingWebhookEvents, payoutAccounts } from "../db/schema";
import type { Services } from "../services";
import { refundUpsert } from "./mirror";
import { toVerifiedEvent } from "./paypal/mapping";
import type { RefundSnapshot } from "./provider";
import { stripeProvider } from "./stripe/provider";
import {
  checkout,
  control,
  deliver,
  deliverAll,
  eventOf,
  press,
  relayed,
  SANDBOX,
  signedEvent,
  stripeGet,
  stripePost,
  subscribeWithStripe,
} from "./test-utils";

const refundRow = (provider: "stripe" | "paypal", id: string) =>
  testDb()
    .select()
    .from(billingRefunds)
    .where(and(eq(billingRefunds.provider, provider), eq(billingRefunds.providerRefundId, id)))
    .get();
const eventRows = (id: string) =>
  testDb().select().from(billingWebhookEvents).where(eq(billingWebhookEvents.eventId, id));
const invoiceRow = (id: string) =>
  testDb().select().from(billingInvoices).where(eq(billingInvoices.providerInvoiceId, id)).get();

/** A paid premium Stripe subscription, mirrored; its invoice and the PaymentIntent that paid it. */
async function paidStripe(tag: string) {
  const viewer = await seedAccount({ tag });
  const sub = await subscribeWithStripe(viewer, "premium");
  await deliverAll(sub, 3);
  const invoice = (await stripeGet<{ latest_invoice: string }>(`subscriptions/${sub}`)).latest_invoice;
  const payments = await stripeGet<{ data: { payment: { payment_intent: string } }[] }>(
    `invoice_payments?invoice=${invoice}`,
  );
  const intent = payments.data[0]?.payment.payment_intent ?? "";
  return { viewer, sub, invoice, intent };
}

/** The relayed delivery of `type` about `id`, the `nth` one of that type (oldest first). */
async function delivery(id: string, type: string, nth = 0, provider: "stripe" | "paypal" = "stripe") {
  const found = (await relayed(id, nth + 1, [type], provider))[nth];
  if (!found) throw new Error(`no ${type} #${nth} about ${id}`);
  return found;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("refunds", () => {
  it("a Stripe refund.created writes one row stamped by D1; its redelivery and charge.refunded write nothing", async () => {
    const { intent } = await paidStripe("rfone");
    const before = Date.now();
    const refund = await stripePost<{ id: string }>("refunds", `payment_intent=${intent}&amount=500`);
    const created = await delivery(refund.id, "refund.created");
    expect((await deliver(created)).status).toBe(200);
    const row = await refundRow("stripe", refund.id);
    expect(row).toMatchObject({ amountCents: 500, currency: "usd", status: "succeeded" });
    // D1's clock, not the event's: within the test's own run.
    expect(row?.recordedAt).toBeGreaterThanOrEqual(before - 5_000);
    expect(row?.recordedAt).toBeLessThanOrEqual(Date.now() + 5_000);

    expect((await deliver(created)).status).toBe(200);
    expect(await refundRow("stripe", refund.id)).toEqual(row);
    expect(await eventRows(eventOf(created).id)).toHaveLength(1);
    const charge = await stripeGet<{ latest_charge: string }>(`payment_intents/${intent}`);
    const refunded = await delivery(charge.latest_charge, "charge.refunded");
    expect((await deliver(refunded)).status).toBe(200);
    expect(
      await testDb().select().from(billingRefunds).where(eq(billingRefunds.providerRefundId, refund.id)),
    ).toEqual([row]);
  });

  it("refund.updated to failed, then canceled, changes the status and keeps recorded_at; an old event read late reads the current state", async () => {
    const { intent } = await paidStripe("rffail");
    const refund = await stripePost<{ id: string }>("refunds", `payment_intent=${intent}`);
    await control("refunds/update", { refund: refund.id, status: "failed" });
    // Out of order: the update first, then the creation (which re-reads the refund: failed, not succeeded).
    const failed = await delivery(refund.id, "refund.updated");
    expect((await deliver(failed)).status).toBe(200);
    const first = await refundRow("stripe", refund.id);
    expect(first).toMatchObject({ amountCents: 1799, status: "failed" });
    expect((await deliver(await delivery(refund.id, "refund.created"))).status).toBe(200);
    expect((await refundRow("stripe", refund.id))?.status).toBe("failed");
    expect((await deliver(await delivery(refund.id, "refund.failed"))).status).toBe(200);

    await control("refunds/update", { refund: refund.id, status: "canceled" });
    expect((await deliver(await delivery(refund.id, "refund.updated", 1))).status).toBe(200);
    const canceled = await refundRow("stripe", refund.id);
    expect(canceled?.status).toBe("canceled");
    expect(canceled?.recordedAt).toBe(first?.recordedAt);
  });

  it("a pending refund that succeeds later is stamped again when it succeeds", async () => {
    const { intent } = await paidStripe("rfpend");
    const refund = await stripePost<{ id: string }>("refunds", `payment_intent=${intent}&amount=100`);
    await control("refunds/update", { refund: refund.id, status: "pending" });
    expect((await deliver(await delivery(refund.id, "refund.updated"))).status).toBe(200);
    const pending = await refundRow("stripe", refund.id);
    expect(pending?.status).toBe("pending");
    await sleep(20);
    await control("refunds/update", { refund: refund.id, status: "succeeded" });
    expect((await deliver(await delivery(refund.id, "refund.updated", 1))).status).toBe(200);
    const done = await refundRow("stripe", refund.id);
    expect(done?.status).toBe("succeeded");
    expect(done?.recordedAt).toBeGreaterThan(pending?.recordedAt ?? Number.POSITIVE_INFINITY);
  });

  it("a succeeded refund stays succeeded: a refund.updated/refund.failed after it changes nothing", async () => {
    const { intent } = await paidStripe("rfrev");
    const refund = await stripePost<{ id: string }>("refunds", `payment_intent=${intent}&amount=200`);
    expect((await deliver(await delivery(refund.id, "refund.created"))).status).toBe(200);
    const row = await refundRow("stripe", refund.id);
    expect(row?.status).toBe("succeeded");
    await sleep(20);
    // Stripe reverses it (its period may be closed and paid out by now): an operator's matter.
    await control("refunds/update", { refund: refund.id, status: "failed" });
    for (const type of ["refund.updated", "refund.failed"]) {
      const event = await delivery(refund.id, type);
      expect((await deliver(event)).status).toBe(200);
      expect(await eventRows(eventOf(event).id)).toHaveLength(1);
    }
    expect(await refundRow("stripe", refund.id)).toEqual(row);
  });

  it("a PayPal PAYMENT.SALE.REFUNDED writes a succeeded row in cents, once", async () => {
    const viewer = await seedAccount({ tag: "rfpp" });
    const res = await checkout(viewer, {
      planId: "premium",
      interval: "month",
      provider: "paypal",
    });
    const { url } = (await res.json()) as { url: string };
    const subscriptionId = new URL(url).pathname.split("/").pop() ?? "";
    await press(url, "Pay");
    const sale = JSON.parse((await delivery(subscriptionId, "PAYMENT.SALE.COMPLETED", 0, "paypal")).body)
      .resource as { id: string };
    const token = await paypalToken();
    const answer = await fetch(`${SANDBOX()}/v1/payments/sale/${sale.id}/refund`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ amount: { total: "7.50", currency: "USD" } }),
    });
    expect(answer.status).toBe(201);
    const refundId = ((await answer.json()) as { id: string }).id;
    const refunded = await delivery(refundId, "PAYMENT.SALE.REFUNDED", 0, "paypal");
    expect((await deliver(refunded)).status).toBe(200);
    const row = await refundRow("paypal", refundId);
    expect(row).toMatchObject({ amountCents: 750, currency: "usd", status: "succeeded" });
    expect((await deliver(refunded)).status).toBe(200);
    expect(await refundRow("paypal", refundId)).toEqual(row);
  });
});

describe("refundUpsert", () => {
  it("drops a snapshot older than the stored one (two re-reads committing in the other order)", async () => {
    const s = { db: testDb() } as unknown as Services;
    const id = `re_order_${crypto.randomUUID().slice(0, 8)}`;
    const snap = (status: "succeeded" | "failed") =>
      ({ provider: "stripe", providerRefundId: id, amountCents: 300, currency: "usd", status }) as const;
    await testDb().batch([refundUpsert(s, snap("failed"), 2_000)]);
    await testDb().batch([refundUpsert(s, snap("succeeded"), 1_000)]);
    expect(await refundRow("stripe", id)).toMatchObject({ status: "failed", updatedAt: 2_000 });
    await testDb().batch([refundUpsert(s, snap("succeeded"), 3_000)]);
    expect(await refundRow("stripe", id)).toMatchObject({ status: "succeeded", updatedAt: 3_000 });
    // Succeeded is final: a newer snapshot saying otherwise changes nothing.
    await testDb().batch([refundUpsert(s, snap("failed"), 4_000)]);
    expect(await refundRow("stripe", id)).toMatchObject({ status: "succeeded", updatedAt: 3_000 });
  });

  it("takes a PayPal refund's time from the event: a late delivery neither overwrites a newer copy nor a success", async () => {
    const s = { db: testDb() } as unknown as Services;
    const late = (id: string, state: string) =>
      toVerifiedEvent({
        id: `WH-${id}`,
        event_type: "PAYMENT.SALE.REFUNDED",
        create_time: "2026-11-03T10:00:00Z",
        resource: { id, state, amount: { total: "-3.00", currency: "USD" } },
      }).refund;
    const sent = Date.parse("2026-11-03T10:00:00Z");
    const apply = async (refund: RefundSnapshot | null, at?: number) => {
      if (!refund) throw new Error("no refund in the event");
      await testDb().batch([refundUpsert(s, refund, at ?? refund.observedAt ?? Date.now())]);
    };

    // A newer copy says failed; the late event (sent before it) says completed: the newer one stays.
    const failedId = `RF-late-${crypto.randomUUID().slice(0, 8)}`;
    await apply(late(failedId, "failed"), sent + 60_000);
    await apply(late(failedId, "completed"));
    expect(await refundRow("paypal", failedId)).toMatchObject({ status: "failed", updatedAt: sent + 60_000 });

    // A succeeded refund, then a late event in a state PayPal never documented (→ pending).
    const doneId = `RF-done-${crypto.randomUUID().slice(0, 8)}`;
    await apply(late(doneId, "completed"));
    const done = await refundRow("paypal", doneId);
    expect(done).toMatchObject({ status: "succeeded", amountCents: 300, updatedAt: sent });
    const odd = late(doneId, "reversed");
    expect(odd).toMatchObject({ status: "pending", observedAt: sent });
    await apply(odd);
    await apply(odd, sent + 120_000);
    expect(await refundRow("paypal", doneId)).toEqual(done);
  });
});

async function paypalToken(): Promise<string> {
  const res = await fetch(`${SANDBOX()}/v1/oauth2/token`, {
    method: "POST",
    headers: {
      authorization: `Basic ${btoa("marquee-sandbox-client:marquee-sandbox-secret")}`,
      "content-type": "application/x-www-form-urlencoded",
    },
    body: "grant_type=client_credentials",
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

describe("invoices' recorded_at", () => {
  it("is stamped when first stored and kept by a later upsert of the paid invoice", async () => {
    const { invoice } = await paidStripe("invrec");
    const first = await invoiceRow(invoice);
    expect(first?.recordedAt).toEqual(expect.any(Number));
    await sleep(20);
    // The same invoice in a new event (Stripe's invoice.payment_succeeded after invoice.paid, say).
    const object = await stripeGet(`invoices/${invoice}`);
    expect((await deliver(await signedEvent("invoice.paid", object))).status).toBe(200);
    expect((await invoiceRow(invoice))?.recordedAt).toBe(first?.recordedAt);
  });

  it("a failed invoice paid later is stamped again when it turns paid", async () => {
    const { sub, invoice } = await paidStripe("invlate");
    const object = await stripeGet<Record<string, unknown>>(`invoices/${invoice}`);
    const retried = { ...object, id: `in_late_${crypto.randomUUID().slice(0, 8)}` };
    const failed = { ...retried, status: "open", paid: false, amount_paid: 0 };
    expect((await deliver(await signedEvent("invoice.payment_failed", failed))).status).toBe(200);
    const open = await invoiceRow(retried.id);
    expect(open).toMatchObject({ status: "failed", providerSubscriptionId: sub });
    await sleep(20);
    expect((await deliver(await signedEvent("invoice.paid", retried))).status).toBe(200);
    const paid = await invoiceRow(retried.id);
    expect(paid?.status).toBe("paid");
    expect(paid?.recordedAt).toBeGreaterThan(open?.recordedAt ?? Number.POSITIVE_INFINITY);
  });
});

describe("account.updated", () => {
  it("refreshes the channel's payout account from Stripe; an unknown account is a no-op", async () => {
    const creator = await seedAccount({ tag: "acctupd", roles: ["creator"], channel: true });
    const account = await stripePost<{ id: string }>("accounts", "type=express&email=c%40example.com");
    await testDb()
      .insert(payoutAccounts)
      .values({ channelId: creator.channelId ?? "", stripeAccountId: account.id });
    const link = await stripePost<{ url: string }>(
      "account_links",
      `account=${account.id}&type=account_onboarding&return_url=https%3A%2F%2Fmarquee.test%2Fdone&refresh_url=https%3A%2F%2Fmarquee.test%2Fagain`,
    );
    await press(link.url, "Complete onboarding");
    const updated = await delivery(account.id, "account.updated");
    expect((await deliver(updated)).status).toBe(200);
    const row = await testDb()
      .select()
      .from(payoutAccounts)
      .where(eq(payoutAccounts.stripeAccountId, account.id))
      .get();
    expect(row).toMatchObject({ payoutsEnabled: true, detailsSubmitted: true });
    expect((await deliver(updated)).status).toBe(200);
    expect(await eventRows(eventOf(updated).id)).toHaveLength(1);

    const unknown = await signedEvent("account.updated", { id: "acct_not_ours", object: "account" });
    expect((await deliver(unknown)).status).toBe(200);
    expect(
      await testDb().select().from(payoutAccounts).where(eq(payoutAccounts.stripeAccountId, "acct_not_ours")),
    ).toEqual([]);
  });

  it("verifies with any of several comma-separated secrets (the Connect endpoint signs with its own)", async () => {
    const provider = (secret: string) =>
      stripeProvider({ apiUrl: SANDBOX(), secretKey: "sk_test_marquee_sandbox", webhookSecret: secret });
    const event = await signedEvent("account.updated", { id: "acct_two_secrets", object: "account" });
    const headers = new Headers(event.headers);
    const verified = await provider("whsec_connect_other, whsec_marquee_sandbox").verifyWebhook(
      headers,
      event.body,
    );
    expect(verified).toMatchObject({ type: "account.updated", connectedAccountId: "acct_two_secrets" });
    await expect(
      provider("whsec_connect_other,whsec_nope").verifyWebhook(headers, event.body),
    ).rejects.toMatchObject({ code: "bad_request" });
  });

  it("records and ignores every other event on a connected account (its refunds are not ours)", async () => {
    const connected = { account: "acct_connected_creator" };
    // A refund that exists only on the connected account: re-read on the platform it would 404.
    const id = `re_connected_${crypto.randomUUID().slice(0, 8)}`;
    const object = { id, object: "refund", amount: 300, currency: "usd", status: "succeeded" };
    for (const type of ["refund.created", "refund.updated", "invoice.paid"]) {
      const event = await signedEvent(type, object, undefined, connected);
      expect((await deliver(event)).status).toBe(200);
      expect(await eventRows(eventOf(event).id)).toHaveLength(1);
    }
    expect(await refundRow("stripe", id)).toBeUndefined();
    // Its account.updated is still the one it is acted on.
    const provider = stripeProvider({
      apiUrl: SANDBOX(),
      secretKey: "sk_test_marquee_sandbox",
      webhookSecret: "whsec_marquee_sandbox",
    });
    const updated = await signedEvent(
      "account.updated",
      { id: "acct_x", object: "account" },
      undefined,
      connected,
    );
    const verified = await provider.verifyWebhook(new Headers(updated.headers), updated.body);
    expect(verified).toMatchObject({ connectedAccountId: "acct_x", refund: null, invoice: null });
    const refundEvent = await signedEvent("refund.created", object, undefined, connected);
    expect(await provider.verifyWebhook(new Headers(refundEvent.headers), refundEvent.body)).toMatchObject({
      refund: null,
      providerSubscriptionId: null,
    });
  });
});
