// Payout runs against the real payments sandbox (its transfer list is the judge) and a real SQLite
// ledger file; the edge is the HTTP stand-in of testing.ts, the facts a stored period snapshot.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type PayoutRun, PayoutRunSchema, parsePeriod } from "@marquee/shared";
import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { control } from "../../../payments-sandbox/src/client";
import { type PaymentsSandbox, startPaymentsSandbox } from "../../../payments-sandbox/src/server";
import type { Logger } from "../log";
import type { CrashPoint } from "./crash";
import { type Ledger, openLedger } from "./db";
import { EdgePayouts, PeriodNotClosed } from "./edge";
import { LeaseHeld, renewLease, takeLease } from "./lease";
import { channelBalances, trialBalance } from "./ledger";
import { runPayouts } from "./run";
import { payoutEvents, payoutRuns, payouts, periodSnapshots } from "./schema";
import {
  adsWorth,
  allTransfers,
  connectAccount,
  type FakePayoutsEdge,
  onboard,
  sandboxStripe,
  snapshotOf,
  startFakePayoutsEdge,
  storeSnapshot,
  TEST_ORIGIN_TOKEN,
} from "./testing";
import { StripeCredentialsError, stripeClient, stripeTransfers } from "./transfers";

let dir: string;
let ledger: Ledger;
let sandbox: PaymentsSandbox;
let edge: FakePayoutsEdge;
let stripe: Stripe;
let logs: { level: string; msg: string; fields?: Record<string, unknown> }[];
const log: Logger = (level, msg, fields) => logs.push({ level, msg, fields });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "payouts-run-"));
  ledger = await openLedger(`file:${join(dir, "ledger.sqlite")}`);
  sandbox = await startPaymentsSandbox();
  edge = await startFakePayoutsEdge();
  stripe = sandboxStripe(sandbox.url);
  logs = [];
});

afterEach(async () => {
  ledger.close();
  await Promise.all([sandbox.close(), edge.close()]);
  await rm(dir, { recursive: true, force: true });
});

class Crash extends Error {}

async function run(
  periodId: string,
  opts: { crashAt?: CrashPoint; l?: Ledger; stripe?: Stripe } = {},
): Promise<PayoutRun> {
  const l = opts.l ?? ledger;
  let crashed = false;
  try {
    const summary = await runPayouts({
      ledger: l,
      edge: new EdgePayouts({ baseUrl: edge.url, token: TEST_ORIGIN_TOKEN, retries: 1, baseDelayMs: 5 }),
      transfers: stripeTransfers(opts.stripe ?? stripe),
      period: parsePeriod(periodId) ?? (null as never),
      minimumCents: 1000,
      log,
      crash: (point) => {
        if (point === opts.crashAt && !crashed) {
          crashed = true;
          throw new Crash(point);
        }
      },
    });
    PayoutRunSchema.parse(summary);
    return summary;
  } finally {
    // The books balance after every run, whatever happened in it.
    expect(await trialBalance(l)).toBe(0);
  }
}

const transfers = async () =>
  (await allTransfers(stripe)).map((t) => ({ destination: t.destination, amount: t.amount }));

const stateOf = async (channelId: string, period: string) =>
  (await ledger.db.select().from(payouts).where(eq(payouts.channelId, channelId))).find(
    (p) => p.period === period,
  );

const owed = async (channelId: string) =>
  // `|| 0`: a settled payable reads -0.
  (await channelBalances(ledger)).find((b) => b.channelId === channelId)?.cents || 0;

describe("payout run", () => {
  it("pays each eligible channel once, skips and reports the others, and a rerun pays nothing more", async () => {
    const a = await connectAccount(stripe);
    const b = await connectAccount(stripe);
    const d = await connectAccount(stripe, false);
    const e = await connectAccount(stripe);
    edge.accounts = [
      { channelId: "ch_a", stripeAccountId: a, payoutsEnabled: true },
      { channelId: "ch_b", stripeAccountId: b, payoutsEnabled: true },
      { channelId: "ch_d", stripeAccountId: d, payoutsEnabled: false },
      { channelId: "ch_e", stripeAccountId: e, payoutsEnabled: true },
    ];
    await storeSnapshot(
      ledger,
      snapshotOf("2026-11-01", [
        adsWorth("ch_a", 2200),
        adsWorth("ch_b", 1100),
        adsWorth("ch_c", 1540),
        adsWorth("ch_d", 1540),
        adsWorth("ch_e", 550),
      ]),
    );

    const first = await run("2026-11-01");
    expect(await transfers()).toEqual([
      { destination: a, amount: 2200 },
      { destination: b, amount: 1100 },
    ]);
    expect(first).toMatchObject({
      state: "finished",
      paidCount: 2,
      paidCents: 3300,
      failedCount: 0,
      error: null,
    });
    expect(first.trialBalanceCents).toBe(0);
    expect(first.skipped).toEqual([
      { channelId: "ch_c", reason: "no_account", balanceCents: 1540 },
      { channelId: "ch_d", reason: "payouts_disabled", balanceCents: 1540 },
      { channelId: "ch_e", reason: "below_minimum", balanceCents: 550 },
    ]);
    expect(first.balances).toMatchObject({ payouts_in_transit: 0, channel_payable: -(1540 + 1540 + 550) });
    // Each sandbox transfer carries the payout's group and id.
    const [t] = await allTransfers(stripe);
    const pa = await stateOf("ch_a", "2026-11-01");
    expect(t).toMatchObject({
      transfer_group: `payout_${pa?.id}`,
      metadata: { payoutId: pa?.id },
      id: pa?.stripeTransferId,
    });
    // The facts were the stored snapshot: the edge was never asked.
    expect(edge.requests.filter((r) => r.includes("/periods/"))).toEqual([]);
    // Published: the earnings, the two payouts, the run.
    const published = edge.statements.at(-1);
    expect(published?.run).toEqual(first);
    expect(published?.payouts.map((p) => [p.channelId, p.state, p.amountCents])).toEqual([
      ["ch_a", "paid", 2200],
      ["ch_b", "paid", 1100],
    ]);
    expect(published?.earnings.map((x) => [x.channelId, x.adsCents])).toEqual([
      ["ch_a", 2200],
      ["ch_b", 1100],
      ["ch_c", 1540],
      ["ch_d", 1540],
      ["ch_e", 550],
    ]);
    // The audit trail: created, claimed, paid.
    const events = await ledger.db
      .select()
      .from(payoutEvents)
      .where(eq(payoutEvents.payoutId, pa?.id ?? ""));
    expect(events.map((x) => [x.fromState, x.toState])).toEqual([
      [null, "pending"],
      ["pending", "submitting"],
      ["submitting", "paid"],
    ]);

    const second = await run("2026-11-01");
    expect(await transfers()).toHaveLength(2);
    expect(second).toMatchObject({ state: "finished", paidCount: 2, paidCents: 3300 });
    expect((await ledger.db.select().from(payoutRuns)).map((r) => r.state)).toEqual(["finished", "finished"]);
  });

  it("carries a balance below the minimum over and pays it once it crosses", async () => {
    const e = await connectAccount(stripe);
    edge.accounts = [{ channelId: "ch_e", stripeAccountId: e, payoutsEnabled: true }];
    await storeSnapshot(ledger, snapshotOf("2026-11-01", [adsWorth("ch_e", 550)]));
    await storeSnapshot(ledger, snapshotOf("2026-11-02", [adsWorth("ch_e", 660)]));

    expect((await run("2026-11-01")).skipped).toEqual([
      { channelId: "ch_e", reason: "below_minimum", balanceCents: 550 },
    ]);
    expect(await transfers()).toEqual([]);
    const second = await run("2026-11-02");
    expect(second).toMatchObject({ paidCount: 1, paidCents: 1210, skipped: [] });
    expect(await transfers()).toEqual([{ destination: e, amount: 1210 }]);
    expect(await owed("ch_e")).toBe(0);
  });

  it("records Stripe's refusal as failed, and pays once on a later run after onboarding", async () => {
    const f = await connectAccount(stripe, false);
    // The edge believes the account is enabled (a stale flag): Stripe refuses the transfer.
    edge.accounts = [{ channelId: "ch_f", stripeAccountId: f, payoutsEnabled: true }];
    await storeSnapshot(ledger, snapshotOf("2026-11-01", [adsWorth("ch_f", 1650)]));

    const first = await run("2026-11-01");
    expect(first).toMatchObject({ state: "finished", paidCount: 0, failedCount: 1 });
    const failed = await stateOf("ch_f", "2026-11-01");
    expect(failed).toMatchObject({ state: "failed", attempt: 1, stripeTransferId: null });
    expect(failed?.failure).toMatch(/capabilities/);
    expect(await owed("ch_f")).toBe(1650); // the reserve went back to the payable
    expect(await transfers()).toEqual([]);
    expect(edge.statements.at(-1)?.payouts[0]).toMatchObject({ state: "failed", failure: failed?.failure });

    // Payouts now known to be disabled: left failed and reported, not retried.
    edge.accounts = [{ channelId: "ch_f", stripeAccountId: f, payoutsEnabled: false }];
    expect((await run("2026-11-01")).skipped).toEqual([
      { channelId: "ch_f", reason: "payouts_disabled", balanceCents: 1650 },
    ]);
    expect((await stateOf("ch_f", "2026-11-01"))?.state).toBe("failed");

    await onboard(stripe, f);
    edge.accounts = [{ channelId: "ch_f", stripeAccountId: f, payoutsEnabled: true }];
    const third = await run("2026-11-01");
    expect(third).toMatchObject({ paidCount: 1, paidCents: 1650, failedCount: 0 });
    expect(await transfers()).toEqual([{ destination: f, amount: 1650 }]);
    const paid = await stateOf("ch_f", "2026-11-01");
    expect(paid).toMatchObject({ state: "paid", attempt: 2, failure: null });
    expect(await owed("ch_f")).toBe(0);
    await run("2026-11-01");
    expect(await transfers()).toHaveLength(1);
  });

  for (const forget of [false, true]) {
    it(`recovers a transfer whose answer was lost without sending it again${forget ? ", after Stripe's idempotency window" : ""}`, async () => {
      const a = await connectAccount(stripe);
      const b = await connectAccount(stripe);
      edge.accounts = [
        { channelId: "ch_a", stripeAccountId: a, payoutsEnabled: true },
        { channelId: "ch_b", stripeAccountId: b, payoutsEnabled: true },
      ];
      await storeSnapshot(ledger, snapshotOf("2026-11-01", [adsWorth("ch_a", 2200), adsWorth("ch_b", 1100)]));
      await control(sandbox.url, "drop-next-response", { method: "POST", pathPrefix: "/v1/transfers" });

      const first = await run("2026-11-01");
      // ch_a's transfer was made, its answer lost: still submitting; ch_b was paid.
      expect(first).toMatchObject({ paidCount: 1, paidCents: 1100 });
      expect((await stateOf("ch_a", "2026-11-01"))?.state).toBe("submitting");
      expect(await transfers()).toEqual([
        { destination: a, amount: 2200 },
        { destination: b, amount: 1100 },
      ]);
      if (forget) {
        const { forgotten } = (await control(sandbox.url, "idempotency/forget", {})) as { forgotten: number };
        expect(forgotten).toBeGreaterThanOrEqual(2); // both transfers' keys (and the accounts')
      }

      const second = await run("2026-11-01");
      expect(second).toMatchObject({ paidCount: 2, paidCents: 3300 });
      expect(await transfers()).toHaveLength(2);
      const pa = await stateOf("ch_a", "2026-11-01");
      expect(pa?.state).toBe("paid");
      expect(pa?.stripeTransferId).toBe((await allTransfers(stripe))[0]?.id);
    });
  }

  it("leaves a payout submitting while Stripe is down and sends it once on the next run", async () => {
    const a = await connectAccount(stripe);
    edge.accounts = [{ channelId: "ch_a", stripeAccountId: a, payoutsEnabled: true }];
    await storeSnapshot(ledger, snapshotOf("2026-11-01", [adsWorth("ch_a", 2200)]));
    await control(sandbox.url, "fail-next-requests", { count: 5, status: 503, pathPrefix: "/v1/transfers" });
    expect(await run("2026-11-01")).toMatchObject({ paidCount: 0, failedCount: 0 });
    expect((await stateOf("ch_a", "2026-11-01"))?.state).toBe("submitting");
    await control(sandbox.url, "fail-next-requests", { count: 0 });
    expect(await run("2026-11-01")).toMatchObject({ paidCount: 1 });
    expect(await transfers()).toEqual([{ destination: a, amount: 2200 }]);
  });

  it("stops the run when Stripe refuses our key, leaving the claimed payout for the next run", async () => {
    const a = await connectAccount(stripe);
    edge.accounts = [{ channelId: "ch_a", stripeAccountId: a, payoutsEnabled: true }];
    await storeSnapshot(ledger, snapshotOf("2026-11-01", [adsWorth("ch_a", 2200)]));
    const wrongKey = stripeClient({ apiUrl: sandbox.url, secretKey: "sk_test_not_the_key" });
    await expect(run("2026-11-01", { stripe: wrongKey })).rejects.toThrow(StripeCredentialsError);
    expect((await stateOf("ch_a", "2026-11-01"))?.state).toBe("submitting");
    const [failedRun] = await ledger.db.select().from(payoutRuns);
    expect(failedRun?.state).toBe("failed");
    expect(edge.statements.at(-1)?.run).toMatchObject({
      state: "failed",
      error: expect.stringMatching(/credentials/),
    });
    expect(await run("2026-11-01")).toMatchObject({ state: "finished", paidCount: 1 });
    expect(await transfers()).toEqual([{ destination: a, amount: 2200 }]);
  });

  for (const point of ["after_claim", "after_send", "after_record"] as const) {
    it(`pays exactly once after a run stopped ${point}`, async () => {
      const a = await connectAccount(stripe);
      const b = await connectAccount(stripe);
      edge.accounts = [
        { channelId: "ch_a", stripeAccountId: a, payoutsEnabled: true },
        { channelId: "ch_b", stripeAccountId: b, payoutsEnabled: true },
      ];
      await storeSnapshot(ledger, snapshotOf("2026-11-01", [adsWorth("ch_a", 2200), adsWorth("ch_b", 1100)]));
      await expect(run("2026-11-01", { crashAt: point })).rejects.toThrow(Crash);
      // As if the next run came days later: Stripe's idempotency replay is gone, only the lookup helps.
      await control(sandbox.url, "idempotency/forget", {});
      // A crash in another period's run recovers this one's payouts too (recovery covers every period).
      await storeSnapshot(ledger, snapshotOf("2026-11-02", []));
      await run("2026-11-02");
      await run("2026-11-01");
      expect(await transfers()).toEqual([
        { destination: a, amount: 2200 },
        { destination: b, amount: 1100 },
      ]);
      expect((await ledger.db.select().from(payouts)).map((p) => p.state)).toEqual(["paid", "paid"]);
      // The interrupted run is on record as failed, not left "running".
      const runs = await ledger.db.select().from(payoutRuns).where(eq(payoutRuns.period, "2026-11-01"));
      expect(runs.map((r) => r.state).sort()).toEqual(["failed", "finished"]);
    });
  }

  it("refuses to run a period another run holds, and two runs at once pay once", async () => {
    const a = await connectAccount(stripe);
    edge.accounts = [{ channelId: "ch_a", stripeAccountId: a, payoutsEnabled: true }];
    await storeSnapshot(ledger, snapshotOf("2026-11-01", [adsWorth("ch_a", 2200)]));
    expect(await takeLease(ledger, "2026-11-01", "someone-else")).toBe(true);
    await expect(run("2026-11-01")).rejects.toThrow(new LeaseHeld("2026-11-01"));
    expect(await ledger.db.select().from(payoutRuns)).toEqual([]);
    // A lapsed lease (its run died: nobody renewed it) is taken over.
    expect(await renewLease(ledger, "2026-11-01", "someone-else", -1)).toBe(true);

    const other = await openLedger(ledger.url);
    try {
      edge.accountsDelayMs = 300; // holds the first run inside its lease
      const results = await Promise.allSettled([run("2026-11-01"), run("2026-11-01", { l: other })]);
      const held = results.filter((r) => r.status === "rejected");
      expect(held).toHaveLength(1);
      expect((held[0] as PromiseRejectedResult).reason).toBeInstanceOf(LeaseHeld);
    } finally {
      other.close();
    }
    expect(await transfers()).toEqual([{ destination: a, amount: 2200 }]);
  });

  it("reads and stores an unpaid period's facts from the edge once; an open period is refused", async () => {
    edge.snapshots.set(
      "2026-11-03",
      snapshotOf("2026-11-03", [adsWorth("ch_1", 11), adsWorth("ch_2", 22), adsWorth("ch_3", 33)]),
    );
    await expect(run("2026-11-04")).rejects.toThrow(PeriodNotClosed);
    await storeSnapshot(ledger, snapshotOf("2026-10-02", []));
    await expect(run("2026-10")).rejects.toThrow(/overlaps period 2026-10-02/);
    expect(await ledger.db.select().from(payoutRuns)).toEqual([]);
    expect((await ledger.db.select().from(periodSnapshots)).map((r) => r.period)).toEqual(["2026-10-02"]);

    const first = await run("2026-11-03");
    expect(first.skipped.map((s) => s.reason)).toEqual(["no_account", "no_account", "no_account"]);
    expect(edge.requests.filter((r) => r.includes("/channels"))).toHaveLength(2); // pages of 2
    // The edge's answer changing later changes nothing: the stored snapshot is the period.
    edge.snapshots.set("2026-11-03", snapshotOf("2026-11-03", [adsWorth("ch_1", 99_000)]));
    await run("2026-11-03");
    expect(await owed("ch_1")).toBe(11);
  });

  it("keeps the payouts when publishing fails, and the next run publishes them", async () => {
    const a = await connectAccount(stripe);
    edge.accounts = [{ channelId: "ch_a", stripeAccountId: a, payoutsEnabled: true }];
    await storeSnapshot(ledger, snapshotOf("2026-11-01", [adsWorth("ch_a", 2200)]));
    await storeSnapshot(ledger, snapshotOf("2026-11-02", []));
    edge.failStatements = 10;
    expect(await run("2026-11-01")).toMatchObject({ state: "finished", paidCount: 1 });
    expect(edge.statements).toEqual([]);
    expect(logs.some((x) => x.level === "warn" && /publishing statements/.test(x.msg))).toBe(true);
    edge.failStatements = 0;
    await run("2026-11-02");
    expect(edge.statements.at(-1)?.payouts).toMatchObject([
      { channelId: "ch_a", period: "2026-11-01", state: "paid" },
    ]);
    expect(await transfers()).toHaveLength(1);
  });
});
