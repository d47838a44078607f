/** Account deletion and billing: the provider subscription ends first; a deleted account is never charged. */
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { api, seedAccount } from "../../test/harness";
import {
  control,
  deliver,
  deliverAll,
  relayed,
  signedEvent,
  stripeGet,
  subscribeWithStripe,
} from "../billing/test-utils";
import { accounts } from "../db/schema";

const deleteMe = (who: { accessToken: string; password: string }) =>
  api("/api/v1/me", { method: "DELETE", token: who.accessToken, json: { password: who.password } });
const exists = async (accountId: string) =>
  (await testDb().select().from(accounts).where(eq(accounts.id, accountId))).length === 1;

describe("account deletion with a subscription", () => {
  it("cancels the Stripe subscription at once, then erases the account", async () => {
    const viewer = await seedAccount({ tag: "delsub" });
    const sub = await subscribeWithStripe(viewer, "premium");
    await deliverAll(sub, 3);
    expect((await deleteMe(viewer)).status).toBe(204);
    expect((await stripeGet<{ status: string }>(`subscriptions/${sub}`)).status).toBe("canceled");
    expect(await exists(viewer.accountId)).toBe(false);
    // Stripe's customer.subscription.deleted for the erased account: a 200 no-op.
    const [deleted] = await relayed(sub, 1, ["customer.subscription.deleted"]);
    if (!deleted) throw new Error("no deleted event");
    expect((await deliver(deleted)).status).toBe(200);
  });

  it("while Stripe is unreachable: 503, nothing erased, and the retry succeeds", async () => {
    const viewer = await seedAccount({ tag: "deldown" });
    const sub = await subscribeWithStripe(viewer, "standard");
    await deliverAll(sub, 3);
    await control("fail-next-requests", { count: 3, status: 503, pathPrefix: `/v1/subscriptions/${sub}` });
    const refused = await deleteMe(viewer);
    expect(refused.status).toBe(503);
    expect(await refused.json()).toMatchObject({ code: "provider_unavailable" });
    expect(await exists(viewer.accountId)).toBe(true);
    expect((await stripeGet<{ status: string }>(`subscriptions/${sub}`)).status).toBe("active");
    expect((await api("/api/v1/me", { token: viewer.accessToken })).status).toBe(200);
    expect((await deleteMe(viewer)).status).toBe(204);
    expect((await stripeGet<{ status: string }>(`subscriptions/${sub}`)).status).toBe("canceled");
  });

  it("a checkout that completes after the account was deleted is cancelled when its webhook arrives", async () => {
    const viewer = await seedAccount({ tag: "dellate" });
    const res = await api("/api/v1/me/billing/checkout", {
      method: "POST",
      token: viewer.accessToken,
      json: { planId: "premium", interval: "month", provider: "stripe" },
    });
    const { url } = (await res.json()) as { url: string };
    // Deleted while the checkout page is open (no subscription yet: nothing to cancel)...
    expect((await deleteMe(viewer)).status).toBe(204);
    // ...then the person pays anyway.
    await fetch(`${url}/pay`, { method: "POST", redirect: "manual" });
    const session = await stripeGet<{ subscription: string }>(
      `checkout/sessions/${new URL(url).pathname.split("/").pop()}`,
    );
    const [created] = await relayed(session.subscription, 1, ["customer.subscription.created"]);
    if (!created) throw new Error("no created event");
    expect((await deliver(created)).status).toBe(200);
    expect((await stripeGet<{ status: string }>(`subscriptions/${session.subscription}`)).status).toBe(
      "canceled",
    );
    // A delivery built here for the same subscription is just as harmless now.
    const again = await signedEvent("customer.subscription.updated", {
      id: session.subscription,
      object: "subscription",
    });
    expect((await deliver(again)).status).toBe(200);
  });
});
