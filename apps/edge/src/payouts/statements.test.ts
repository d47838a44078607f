import type { PayoutRecord, PayoutRun, StatementsBody } from "@marquee/shared";
import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { lowerId, testDb } from "../../test/fixtures";
import { creatorEarnings, creatorPayouts, payoutRuns } from "../db/schema";
import { origin, originJson } from "./facts-test-utils";
import { MAX_PAYOUTS_BODY_BYTES } from "./internal-routes";

const publish = (body: Partial<StatementsBody>) =>
  originJson<{ earnings: number; payouts: number; run: boolean }>("/payouts/statements", 200, {
    method: "POST",
    json: { earnings: [], payouts: [], run: null, ...body },
  });

const payout = (row: Partial<PayoutRecord> = {}): PayoutRecord => ({
  id: lowerId("po", "st"),
  channelId: lowerId("ch", "st"),
  period: "2026-10",
  amountCents: 2500,
  currency: "usd",
  state: "pending",
  stripeTransferId: null,
  failure: null,
  updatedAt: 1_000,
  ...row,
});

const run = (row: Partial<PayoutRun> = {}): PayoutRun => ({
  id: lowerId("run", "st"),
  period: "2026-10",
  startedAt: 1_000,
  finishedAt: null,
  state: "running",
  paidCount: 0,
  paidCents: 0,
  failedCount: 0,
  skipped: [],
  trialBalanceCents: 0,
  balances: {},
  error: null,
  ...row,
});

const storedPayout = async (id: string) =>
  (await testDb().select().from(creatorPayouts).where(eq(creatorPayouts.id, id)))[0];

describe("POST /internal/payouts/statements", () => {
  it("writes earnings, payouts and the run once: the same statement again changes nothing", async () => {
    const ch = lowerId("ch", "st");
    const body: StatementsBody = {
      earnings: [
        { channelId: ch, period: "2026-09", adsCents: 120, premiumCents: 30 },
        { channelId: ch, period: "2026-10", adsCents: 0, premiumCents: 999 },
      ],
      payouts: [
        payout({ channelId: ch }),
        payout({ channelId: ch, state: "paid", stripeTransferId: "tr_1" }),
      ],
      run: run({
        state: "finished",
        finishedAt: 2_000,
        skipped: [{ channelId: ch, reason: "below_minimum", balanceCents: 5 }],
        balances: { channel_payable: 5 },
      }),
    };
    expect(await publish(body)).toEqual({ earnings: 2, payouts: 2, run: true });
    const snapshot = async () => ({
      earnings: await testDb().select().from(creatorEarnings).where(eq(creatorEarnings.channelId, ch)),
      payouts: await testDb().select().from(creatorPayouts).where(eq(creatorPayouts.channelId, ch)),
      run: await testDb()
        .select()
        .from(payoutRuns)
        .where(eq(payoutRuns.id, body.run?.id as string)),
    });
    const before = await snapshot();
    expect(before.earnings).toHaveLength(2);
    expect(before.payouts.map((p) => p.state).sort()).toEqual(["paid", "pending"]);
    expect(before.run[0]).toMatchObject({
      state: "finished",
      finishedAt: 2_000,
      skippedJson: JSON.stringify(body.run?.skipped),
      balancesJson: JSON.stringify({ channel_payable: 5 }),
    });

    expect(await publish(body)).toEqual({ earnings: 0, payouts: 0, run: false });
    expect(await snapshot()).toEqual(before);

    // Earnings: the latest statement wins (a recomputed figure replaces the old one).
    expect(
      await publish({ earnings: [{ channelId: ch, period: "2026-09", adsCents: 121, premiumCents: 30 }] }),
    ).toEqual({ earnings: 1, payouts: 0, run: false });
    const [sept] = await testDb()
      .select()
      .from(creatorEarnings)
      .where(and(eq(creatorEarnings.period, "2026-09"), eq(creatorEarnings.channelId, ch)));
    expect(sept?.adsCents).toBe(121);
  });

  it("a payout never goes back: older records and backward states are ignored, failed → submitting is a retry", async () => {
    const p = payout({ state: "submitting", updatedAt: 2_000 });
    await publish({ payouts: [p] });
    // An older record (a delayed publish of the pending state) does not overwrite the newer one.
    expect((await publish({ payouts: [{ ...p, state: "pending", updatedAt: 1_000 }] })).payouts).toBe(0);
    // Not even with the same state and other fields: older is older.
    expect((await publish({ payouts: [{ ...p, failure: "x", updatedAt: 1_999 }] })).payouts).toBe(0);
    expect(await storedPayout(p.id)).toMatchObject({ state: "submitting", updatedAt: 2_000, failure: null });

    // Forward: submitting → paid.
    const paid = { ...p, state: "paid" as const, stripeTransferId: "tr_x", updatedAt: 3_000 };
    expect((await publish({ payouts: [paid] })).payouts).toBe(1);
    // A paid payout is never set back to submitting (or failed, or pending), even by a newer record.
    for (const state of ["submitting", "failed", "pending"] as const) {
      expect((await publish({ payouts: [{ ...paid, state, updatedAt: 9_000 }] })).payouts, state).toBe(0);
    }
    expect(await storedPayout(p.id)).toMatchObject({
      state: "paid",
      stripeTransferId: "tr_x",
      updatedAt: 3_000,
    });

    // failed → submitting: the next run's retry, when newer; an older one is ignored.
    const f = payout({ state: "failed", failure: "account_closed", updatedAt: 5_000 });
    await publish({ payouts: [f] });
    expect(
      (await publish({ payouts: [{ ...f, state: "submitting", failure: null, updatedAt: 4_000 }] })).payouts,
    ).toBe(0);
    expect((await publish({ payouts: [{ ...f, state: "pending", updatedAt: 6_000 }] })).payouts).toBe(0);
    expect(
      (await publish({ payouts: [{ ...f, state: "submitting", failure: null, updatedAt: 6_000 }] })).payouts,
    ).toBe(1);
    expect(await storedPayout(f.id)).toMatchObject({ state: "submitting", failure: null, updatedAt: 6_000 });

    // Out of order in one statement: both land in the order given, the guard keeps the newer.
    const q = payout();
    const out = await publish({
      payouts: [
        { ...q, state: "paid", stripeTransferId: "tr_q", updatedAt: 8_000 },
        { ...q, state: "submitting", updatedAt: 7_000 },
      ],
    });
    expect(out.payouts).toBe(1);
    expect(await storedPayout(q.id)).toMatchObject({ state: "paid", updatedAt: 8_000 });
  });

  it("a run is upserted by id and never goes back to running", async () => {
    const r = run();
    expect((await publish({ run: r })).run).toBe(true);
    const done = { ...r, state: "finished" as const, finishedAt: 5_000, paidCount: 3, paidCents: 4500 };
    expect((await publish({ run: done })).run).toBe(true);
    expect((await publish({ run: r })).run).toBe(false);
    const [row] = await testDb().select().from(payoutRuns).where(eq(payoutRuns.id, r.id));
    expect(row).toMatchObject({ state: "finished", paidCount: 3, paidCents: 4500, finishedAt: 5_000 });
  });

  it("writes a full statement (500 earnings, 500 payouts, a run) in one call", async () => {
    const earnings = Array.from({ length: 500 }, () => ({
      channelId: lowerId("ch", "big"),
      period: "2026-08",
      adsCents: 1,
      premiumCents: 2,
    }));
    const payouts = Array.from({ length: 500 }, () => payout({ stripeTransferId: "tr_0123456789abcdef" }));
    // The contract allows 10,000 skipped channels (~1 MB): /internal/payouts has its own 2 MiB
    // limit, not the jobs router's 256 KiB.
    const big = run({
      skipped: Array.from({ length: 10_000 }, () => ({
        channelId: lowerId("ch", "skip"),
        reason: "below_minimum" as const,
        balanceCents: 999,
      })),
    });
    expect(await publish({ earnings, payouts, run: big })).toEqual({
      earnings: 500,
      payouts: 500,
      run: true,
    });
    const ids = payouts.slice(0, 90).map((p) => p.id);
    expect(await testDb().$count(creatorPayouts, inArray(creatorPayouts.id, ids))).toBe(90);
    const [row] = await testDb().select().from(payoutRuns).where(eq(payoutRuns.id, big.id));
    expect(JSON.parse(row?.skippedJson ?? "[]")).toHaveLength(10_000);
  });

  it("refuses a malformed statement whole (400) and a body over the limit (413)", async () => {
    const ch = lowerId("ch", "bad");
    const good = { channelId: ch, period: "2026-07", adsCents: 1, premiumCents: 1 };
    const cases: unknown[] = [
      { earnings: [good, { ...good, adsCents: -1 }], payouts: [], run: null },
      { earnings: [{ ...good, period: "2026-13" }], payouts: [], run: null },
      { earnings: [], payouts: [payout({ state: "sent" as never })], run: null },
      { earnings: [], payouts: [payout({ amountCents: 1.5 })], run: null },
      { earnings: [], payouts: [payout({ currency: "eur" as never })], run: null },
      { earnings: Array.from({ length: 501 }, () => good), payouts: [], run: null },
      { earnings: [] },
      [],
    ];
    for (const json of cases) {
      const res = await origin("/payouts/statements", { method: "POST", json });
      expect(res.status, JSON.stringify(json).slice(0, 80)).toBe(400);
    }
    // Nothing of a refused statement was written (the good row came with a bad one).
    expect(await testDb().$count(creatorEarnings, eq(creatorEarnings.channelId, ch))).toBe(0);
    const huge = await origin("/payouts/statements", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: `{"earnings":[],"payouts":[],"run":null,"pad":"${"x".repeat(MAX_PAYOUTS_BODY_BYTES)}"}`,
    });
    expect(huge.status).toBe(413);
  });
});
