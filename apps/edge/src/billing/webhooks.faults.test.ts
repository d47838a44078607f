// A Stripe webhook applied under D1 faults (docs/faults.md): the event id and the mirror writes are
// one batch, so after a 503 either both are there or neither is (the event is not "seen" without
// its effect, nor the effect recorded without the event), and Stripe's redelivery applies it once.
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { type SeededAccount, seedAccount } from "../../test/harness";
import { callWithFaults, failEachStatementInTurn } from "../../test/harness/faults";
import { billingSubscriptions, billingWebhookEvents } from "../db/schema";
import { eventOf, type Relayed, relayed, subscribeWithStripe } from "./test-utils";

interface Scene {
  viewer: SeededAccount;
  delivery: Relayed;
}

/** A paid Stripe checkout whose `customer.subscription.created` delivery has not reached the edge. */
async function paidCheckout(): Promise<Scene> {
  const viewer = await seedAccount({ tag: "whfault" });
  const subscriptionId = await subscribeWithStripe(viewer, "premium");
  const [delivery] = await relayed(subscriptionId, 1, ["customer.subscription.created"]);
  if (!delivery) throw new Error("the sandbox sent no customer.subscription.created");
  return { viewer, delivery };
}

function deliverWithFaults(scene: Scene, faults: Parameters<typeof callWithFaults>[0]) {
  const signing = Object.fromEntries(
    Object.entries(scene.delivery.headers).filter(([k]) => k === "stripe-signature"),
  );
  return callWithFaults(faults, "/api/v1/webhooks/stripe", {
    method: "POST",
    headers: { "content-type": "application/json", ...signing },
    body: scene.delivery.body,
  });
}

/** The event's record and the account's mirrored subscriptions. */
async function mirror(scene: Scene) {
  const db = testDb();
  const events = await db
    .select()
    .from(billingWebhookEvents)
    .where(
      and(
        eq(billingWebhookEvents.provider, "stripe"),
        eq(billingWebhookEvents.eventId, eventOf(scene.delivery).id),
      ),
    );
  const subscriptions = await db
    .select({ status: billingSubscriptions.status, planId: billingSubscriptions.planId })
    .from(billingSubscriptions)
    .where(eq(billingSubscriptions.accountId, scene.viewer.accountId));
  return { events: events.length, subscriptions };
}

describe("a Stripe webhook under D1 faults", () => {
  it("each failing statement: 503 with the event and its mirror writes both there or neither; the redelivery applies it once", async () => {
    const statements = await failEachStatementInTurn<Scene>({
      scene: paidCheckout,
      act: deliverWithFaults,
      okStatus: 200,
      afterFailure: async (scene) => {
        const now = await mirror(scene);
        expect([0, 1]).toContain(now.events);
        expect(now.subscriptions).toHaveLength(now.events);
      },
      afterRetry: async (scene) => {
        expect(await mirror(scene)).toEqual({
          events: 1,
          subscriptions: [{ status: "active", planId: "premium" }],
        });
      },
    });
    expect(statements.some((sql) => /insert into "billing_webhook_events"/i.test(sql))).toBe(true);
  });
});
