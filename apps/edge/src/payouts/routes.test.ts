import { env, SELF } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { seedAccount } from "../../test/harness";
import { deliver, press, relayed, stripeGet } from "../billing/test-utils";
import { payoutAccounts } from "../db/schema";
import type { Services } from "../services";
import type { Actor } from "../types";
import { ONBOARDING_LIMIT, refreshPayoutAccount, startOnboarding } from "./accounts";
import { earningsOf, onboard, onboardingOf, testServices } from "./test-utils";

interface SandboxAccount {
  id: string;
  email: string | null;
  type: string;
  metadata: Record<string, string>;
  payouts_enabled: boolean;
}

const publicUrl = () => testServices().config.publicUrl;

describe("POST /me/payouts/onboarding", () => {
  it("creates the channel's Express account once and answers a fresh link back to the studio", async () => {
    const creator = await seedAccount({ tag: "poonb", channel: true });
    const sandboxNow = async () =>
      ((await (await fetch(`${env.PAYMENTS_SANDBOX_URL}/__control/clock`)).json()) as { now: number }).now;
    const before = await sandboxNow();
    const first = await onboard(creator);
    const after = await sandboxNow();
    expect(first.stripeAccountId).toMatch(/^acct_/);
    expect(first.payoutsEnabled).toBe(false);
    expect(first.url).toContain(`${env.PAYMENTS_SANDBOX_URL}/connect/onboard/`);
    // The link expires minutes after it was made, by the sandbox's clock. Other test files move that
    // clock forward at any moment, so it is read before and after: the expiry lies within both.
    expect(first.expiresAt).toBeGreaterThan(before * 1000);
    expect(first.expiresAt).toBeLessThan(after * 1000 + 3_600_000);

    const account = await stripeGet<SandboxAccount>(`accounts/${first.stripeAccountId}`);
    expect(account).toMatchObject({
      type: "express",
      email: creator.email,
      metadata: { channelId: creator.channelId, accountId: creator.accountId },
      payouts_enabled: false,
    });

    // Again: the same account, a new (single-use) link.
    const second = await onboard(creator);
    expect(second.stripeAccountId).toBe(first.stripeAccountId);
    expect(second.url).not.toBe(first.url);
    const rows = await testDb()
      .select()
      .from(payoutAccounts)
      .where(eq(payoutAccounts.channelId, creator.channelId as string));
    expect(rows).toMatchObject([{ stripeAccountId: first.stripeAccountId, payoutsEnabled: false }]);
    expect((await earningsOf(creator)).account.state).toBe("pending");
  });

  it("gives two racing requests the same account (one idempotency key per channel, the channel as key)", async () => {
    const creator = await seedAccount({ tag: "porace", channel: true });
    const answers = await Promise.all([onboard(creator), onboard(creator), onboard(creator)]);
    expect(new Set(answers.map((a) => a.stripeAccountId)).size).toBe(1);
    const rows = await testDb()
      .select()
      .from(payoutAccounts)
      .where(eq(payoutAccounts.channelId, creator.channelId as string));
    expect(rows.map((r) => r.stripeAccountId)).toEqual([answers[0]?.stripeAccountId]);
  });

  it("returns to PUBLIC_URL's studio page whatever Host the request named", async () => {
    const creator = await seedAccount({ tag: "pohost", channel: true });
    const res = await SELF.fetch("http://evil.example/api/v1/me/payouts/onboarding", {
      method: "POST",
      headers: {
        authorization: `Bearer ${creator.accessToken}`,
        "x-forwarded-host": "evil.example",
        "cf-connecting-ip": "10.9.9.9",
      },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const { url } = (await res.json()) as { url: string };
    const done = await press(url, "Complete onboarding");
    expect(done.headers.get("location")).toBe(`${publicUrl()}/studio/earnings?onboarding=done`);
  });

  it("enables payouts once onboarding is complete: account.updated re-reads the account from Stripe", async () => {
    const creator = await seedAccount({ tag: "podone", channel: true });
    const { url, stripeAccountId } = await onboard(creator);
    expect((await earningsOf(creator)).account.state).toBe("pending");
    await press(url, "Complete onboarding");
    expect((await stripeGet<SandboxAccount>(`accounts/${stripeAccountId}`)).payouts_enabled).toBe(true);
    const [event] = await relayed(stripeAccountId, 1, ["account.updated"]);
    expect(event, "the sandbox sent account.updated").toBeDefined();

    const row = await refreshPayoutAccount(testServices(), stripeAccountId);
    expect(row).toMatchObject({ channelId: creator.channelId, payoutsEnabled: true, detailsSubmitted: true });
    expect((await earningsOf(creator)).account.state).toBe("enabled");
    // Replayed: the same truth again.
    expect(await refreshPayoutAccount(testServices(), stripeAccountId)).toMatchObject({
      payoutsEnabled: true,
    });
    // A later onboarding call says so (a new link, for changing the account's details).
    expect(await onboard(creator)).toMatchObject({ stripeAccountId, payoutsEnabled: true });
  });

  it("enables payouts from the sandbox's own signed account.updated, delivered to the Stripe webhook", async () => {
    const creator = await seedAccount({ tag: "pohook", channel: true });
    const { url, stripeAccountId } = await onboard(creator);
    await press(url, "Complete onboarding");
    const deliveries = await relayed(stripeAccountId, 1, ["account.updated"]);
    expect(deliveries).toHaveLength(1);
    expect((await earningsOf(creator)).account.state, "nothing told the edge yet").toBe("pending");
    for (const d of [...deliveries, ...deliveries]) {
      // Twice: a replayed delivery is acknowledged and changes nothing.
      const res = await deliver(d);
      expect(res.status, await res.clone().text()).toBe(200);
    }
    expect((await earningsOf(creator)).account.state).toBe("enabled");
  });

  it("ignores an account that is not one of ours", async () => {
    expect(await refreshPayoutAccount(testServices(), "acct_notours000000")).toBeNull();
  });

  it("disables payouts of an account Stripe no longer has (deleted or disconnected)", async () => {
    const creator = await seedAccount({ tag: "pogone", channel: true });
    const gone = `acct_gone${creator.channelId}`.slice(0, 40);
    await testDb()
      .insert(payoutAccounts)
      .values({ channelId: creator.channelId as string, stripeAccountId: gone, payoutsEnabled: true });
    expect((await earningsOf(creator)).account.state).toBe("enabled");
    expect(await refreshPayoutAccount(testServices(), gone)).toMatchObject({ payoutsEnabled: false });
    expect((await earningsOf(creator)).account.state).toBe("pending");
  });

  it("refuses a grown-up without a channel (409, nothing made) and a kids profile (403)", async () => {
    const viewer = await seedAccount({ tag: "ponochan" });
    const res = await onboardingOf(viewer);
    expect(res.status).toBe(409);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/create a channel first/);
    const family = await seedAccount({
      tag: "pokids",
      channel: true,
      profiles: [{ name: "Kid", maturity: "kids" }],
    });
    expect((await onboardingOf(family.profiles[1]?.token as string)).status).toBe(403);
    const rows = await testDb()
      .select()
      .from(payoutAccounts)
      .where(eq(payoutAccounts.channelId, family.channelId as string));
    expect(rows).toEqual([]);
    expect((await onboardingOf("")).status).toBe(401);
  });

  it("limits onboarding links per account (429 with retry-after)", async () => {
    const creator = await seedAccount({ tag: "polimit", channel: true });
    const statuses: number[] = [];
    for (let i = 0; i < ONBOARDING_LIMIT.limit; i++) statuses.push((await onboardingOf(creator)).status);
    expect(statuses).toEqual(Array(ONBOARDING_LIMIT.limit).fill(200));
    const refused = await onboardingOf(creator);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("answers 503 when Stripe is not configured, before calling anyone", async () => {
    const creator = await seedAccount({ tag: "pononstripe", channel: true });
    const base = testServices();
    const stripe = { ...base.config.billing.stripe, secretKey: "" };
    const s = {
      ...base,
      env,
      config: { ...base.config, billing: { ...base.config.billing, stripe } },
    } as unknown as Services;
    const actor: Actor = {
      accountId: creator.accountId,
      sessionId: "s",
      email: creator.email,
      emailVerified: true,
      roles: ["viewer", "creator"],
      profileId: creator.profileId,
      profileMaturity: "adult",
    };
    await expect(startOnboarding(s, actor)).rejects.toMatchObject({ code: "provider_unavailable" });
    const rows = await testDb()
      .select()
      .from(payoutAccounts)
      .where(eq(payoutAccounts.channelId, creator.channelId as string));
    expect(rows).toEqual([]);
  });
});
