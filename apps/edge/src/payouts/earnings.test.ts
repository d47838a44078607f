import { monthOf } from "@marquee/shared";
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { api, apiJson, listAll, seedAccount } from "../../test/harness";
import { adImpressions } from "../db/schema";
import { newId } from "../lib/ids";
import { type EarningsJson, earningsOf, insertEarning, insertPayout, insertRun, onboard } from "./test-utils";

interface PayoutJson {
  id: string;
  period: string;
  amountCents: number;
  state: string;
  stripeTransferId: string | null;
  failure: string | null;
}

/** A billed impression before `channelId`'s content, stored now (so in the open month). */
async function impressionNow(channelId: string, priceMillicents: number) {
  const now = Date.now();
  await testDb()
    .insert(adImpressions)
    .values({
      sessionId: newId("ads"),
      campaignId: "cmp_payouts_estimate",
      advertiserAccountId: "acc_payouts_estimate",
      creativeVideoId: "vid_creative",
      videoId: "vid_content",
      channelId,
      priceMillicents,
      servedAt: now,
      day: new Date(now).toISOString().slice(0, 10),
      recordedAt: now,
    });
}

describe("GET /me/earnings", () => {
  it("allocates paid payouts to periods oldest first; failed and submitting ones pay nothing", async () => {
    const creator = await seedAccount({ tag: "poearn", channel: true });
    const ch = creator.channelId as string;
    // Earned: 1000, 2500, 700, 3000 (oldest first). Paid: 1000 + 2000 = 3000.
    await insertEarning(ch, "2026-01", 600, 400);
    await insertEarning(ch, "2026-02", 2000, 500);
    await insertEarning(ch, "2026-03", 0, 700);
    await insertEarning(ch, "2026-04", 3000, 0);
    await insertPayout(ch, "2026-01", 1000, "paid");
    await insertPayout(ch, "2026-02", 2000, "paid");
    await insertPayout(ch, "2026-03", 1200, "failed");
    await insertPayout(ch, "2026-04", 1200, "submitting");

    const all = await earningsOf(creator);
    expect(all.currency).toBe("usd");
    expect(all.account.state).toBe("none");
    expect(all.totals).toEqual({ earnedCents: 7200, paidCents: 3000, pendingCents: 4200 });
    expect(all.estimate).toBeNull();
    expect(all.items).toEqual([
      {
        period: "2026-04",
        adsCents: 3000,
        premiumCents: 0,
        totalCents: 3000,
        paidCents: 0,
        pendingCents: 3000,
      },
      { period: "2026-03", adsCents: 0, premiumCents: 700, totalCents: 700, paidCents: 0, pendingCents: 700 },
      {
        period: "2026-02",
        adsCents: 2000,
        premiumCents: 500,
        totalCents: 2500,
        paidCents: 2000,
        pendingCents: 500,
      },
      {
        period: "2026-01",
        adsCents: 600,
        premiumCents: 400,
        totalCents: 1000,
        paidCents: 1000,
        pendingCents: 0,
      },
    ]);

    // Paged one period at a time, each page allocates exactly as the whole list does.
    const pages: EarningsJson["items"] = [];
    let cursor: string | null = null;
    do {
      const page: EarningsJson = await earningsOf(creator, `?limit=1${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.totals).toEqual(all.totals);
      pages.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages).toEqual(all.items);

    // A later paid payout covers the next period in line, the oldest unpaid.
    await insertPayout(ch, "2026-03", 1200, "paid", { id: `po_later_${ch}` });
    const after = await earningsOf(creator);
    expect(after.items.map((i) => [i.period, i.paidCents, i.pendingCents])).toEqual([
      ["2026-04", 0, 3000],
      ["2026-03", 700, 0],
      ["2026-02", 2500, 0],
      ["2026-01", 1000, 0],
    ]);
    expect(after.totals).toEqual({ earnedCents: 7200, paidCents: 4200, pendingCents: 3000 });
  });

  it("shows each creator their own channel only: two creators, two different statements", async () => {
    const [a, b] = await Promise.all([
      seedAccount({ tag: "poowna", channel: true }),
      seedAccount({ tag: "pownb", channel: true }),
    ]);
    await insertEarning(a.channelId as string, "2026-05", 1111, 0);
    await insertPayout(a.channelId as string, "2026-05", 1111, "paid");
    await insertEarning(b.channelId as string, "2026-05", 0, 2222);
    const [ea, eb] = await Promise.all([earningsOf(a), earningsOf(b)]);
    expect(ea.items).toMatchObject([{ period: "2026-05", adsCents: 1111, premiumCents: 0, paidCents: 1111 }]);
    expect(eb.items).toMatchObject([{ period: "2026-05", adsCents: 0, premiumCents: 2222, paidCents: 0 }]);
    expect(eb.totals).toEqual({ earnedCents: 2222, paidCents: 0, pendingCents: 2222 });
    const pa = await listAll<PayoutJson>("/api/v1/me/payouts", a.accessToken);
    const pb = await listAll<PayoutJson>("/api/v1/me/payouts", b.accessToken);
    expect(pa.map((p) => p.amountCents)).toEqual([1111]);
    expect(pb).toEqual([]);
    // A channel id in the query is no way in (the list takes only limit and cursor).
    const sneaky = await apiJson<EarningsJson>(`/api/v1/me/earnings?channelId=${a.channelId}`, 200, {
      token: b.accessToken,
    });
    expect(sneaky.items).toEqual(eb.items);
  });

  it("estimates the open month from the live facts: the creator's share if it closed now", async () => {
    const creator = await seedAccount({ tag: "poest", channel: true });
    const ch = creator.channelId as string;
    expect((await earningsOf(creator)).estimate).toBeNull();
    // $2.00 of ad revenue before the channel's videos: 55 % is $1.10 (± a cent of rounding shared
    // with the other channels of the month, which other tests may have).
    await impressionNow(ch, 150_000);
    await impressionNow(ch, 50_000);
    const { estimate, items } = await earningsOf(creator);
    expect(estimate?.period).toBe(monthOf(Date.now()).id);
    expect(estimate?.adsCents).toBeGreaterThanOrEqual(109);
    expect(estimate?.adsCents).toBeLessThanOrEqual(111);
    expect(estimate?.premiumCents).toBe(0);
    expect(items).toEqual([]);
  });

  it("estimates on the first page only: a page with a cursor answers estimate null", async () => {
    const creator = await seedAccount({ tag: "poestpg", channel: true });
    const ch = creator.channelId as string;
    await insertEarning(ch, "2026-01", 100, 0);
    await insertEarning(ch, "2026-02", 200, 0);
    await impressionNow(ch, 100_000);
    const first = await earningsOf(creator, "?limit=1");
    expect(first.estimate).toMatchObject({ period: monthOf(Date.now()).id, premiumCents: 0 });
    expect(first.estimate?.adsCents).toBeGreaterThanOrEqual(54);
    expect(first.estimate?.adsCents).toBeLessThanOrEqual(56);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await earningsOf(creator, `?limit=1&cursor=${first.nextCursor}`);
    expect(second.items.map((i) => i.period)).toEqual(["2026-01"]);
    expect(second.estimate).toBeNull();
    // The totals are the channel's, whichever the page.
    expect(second.totals).toEqual(first.totals);
  });

  it("refuses a grown-up without a channel (409) and a kids profile (403)", async () => {
    const viewer = await seedAccount({ tag: "poearnv" });
    const family = await seedAccount({ tag: "poearnk", channel: true, profiles: [{ maturity: "kids" }] });
    for (const path of ["/api/v1/me/earnings", "/api/v1/me/payouts"]) {
      expect((await api(path, { token: viewer.accessToken })).status).toBe(409);
      expect((await api(path, { token: family.profiles[1]?.token as string })).status).toBe(403);
      expect((await api(path, { token: family.accessToken })).status).toBe(200);
    }
  });
});

describe("GET /me/payouts", () => {
  it("lists the channel's payouts newest period first, with their state and transfer", async () => {
    const creator = await seedAccount({ tag: "popay", channel: true });
    const ch = creator.channelId as string;
    await insertPayout(ch, "2026-06", 1500, "paid");
    await insertPayout(ch, "2026-08", 2500, "failed");
    await insertPayout(ch, "2026-07", 1000, "pending");
    const items = await listAll<PayoutJson>("/api/v1/me/payouts", creator.accessToken, 1);
    expect(items.map((p) => [p.period, p.amountCents, p.state])).toEqual([
      ["2026-08", 2500, "failed"],
      ["2026-07", 1000, "pending"],
      ["2026-06", 1500, "paid"],
    ]);
    expect(items[0]?.failure).toBe("insufficient_capabilities_for_transfer");
    expect(items[2]?.stripeTransferId).toMatch(/^tr_/);
  });

  it("tells the onboarding state: none, then pending once the account exists", async () => {
    const creator = await seedAccount({ tag: "postate", channel: true });
    expect((await earningsOf(creator)).account.state).toBe("none");
    await onboard(creator);
    expect((await earningsOf(creator)).account.state).toBe("pending");
  });
});

describe("GET /admin/payouts/runs", () => {
  it("lists runs newest first for admins, with skipped channels and balances parsed; 403 for anyone else", async () => {
    const [admin, creator] = await Promise.all([
      seedAccount({ tag: "poadmin", roles: ["admin"] }),
      seedAccount({ tag: "porunc", channel: true }),
    ]);
    // Other test files share D1 (and the fuzz test publishes runs of its own): find ours in the list.
    const far = Date.now() + 10 * 365 * 86_400_000;
    const older = await insertRun({ startedAt: far, period: "2036-01" });
    const newer = await insertRun({
      startedAt: far + 1000,
      period: "2036-02",
      state: "failed",
      error: "stripe unreachable",
      skippedJson: "not json",
    });
    type RunJson = Record<string, unknown> & { id: string; startedAt: number };
    const all = await listAll<RunJson>("/api/v1/admin/payouts/runs", admin.accessToken, 100);
    const starts = all.map((r) => r.startedAt);
    expect(starts).toEqual([...starts].sort((x, y) => y - x));
    const mine = all.filter((r) => r.id === newer || r.id === older);
    expect(mine.map((r) => r.id)).toEqual([newer, older]);
    expect(mine[1]).toMatchObject({
      period: "2036-01",
      state: "finished",
      paidCount: 1,
      paidCents: 1500,
      skipped: [{ channelId: "ch_small", reason: "below_minimum", balanceCents: 300 }],
      balances: { channel_payable: 300, platform_revenue: 1200 },
      trialBalanceCents: 0,
      error: null,
    });
    // A skipped list the origin wrote broken reads as empty rather than failing the whole list.
    expect(mine[0]).toMatchObject({ state: "failed", error: "stripe unreachable", skipped: [] });
    for (const token of [creator.accessToken, creator.accessToken.slice(0, 0)]) {
      const res = await api("/api/v1/admin/payouts/runs", { token });
      expect(res.status).toBe(token ? 403 : 401);
    }
  });
});
