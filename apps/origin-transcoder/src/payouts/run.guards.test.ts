// Payout runs where runs overlap or the world changed under them (review findings of issue 14): a
// lease taken over mid-run, a month and a day run at once, a channel that re-onboarded, a transfer
// that does not match. Real payments sandbox (the judge), real SQLite ledger, the HTTP edge stand-in.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type PayoutRun, PayoutRunSchema, parsePeriod } from "@marquee/shared";
import { eq } from "drizzle-orm";
import type Stripe from "stripe";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type PaymentsSandbox, startPaymentsSandbox } from "../../../payments-sandbox/src/server";
import type { Logger } from "../log";
import type { CrashPoint } from "./crash";
import { type Ledger, openLedger } from "./db";
import { EdgePayouts } from "./edge";
import { LeaseLost, type LeaseOptions } from "./lease";
import { channelBalances, trialBalance } from "./ledger";
import { runPayouts } from "./run";
import { payoutLeases, payouts, periodSnapshots } from "./schema";
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
import { stripeTransfers, type Transfers } from "./transfers";

let dir: string;
let ledger: Ledger;
let sandbox: PaymentsSandbox;
let edge: FakePayoutsEdge;
let stripe: Stripe;
let logs: { level: string; msg: string }[];
const log: Logger = (level, msg) => logs.push({ level, msg });

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "payouts-guards-"));
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
  opts: {
    crashAt?: CrashPoint;
    l?: Ledger;
    transfers?: (t: Transfers) => Transfers;
    lease?: LeaseOptions;
  } = {},
): Promise<PayoutRun> {
  const l = opts.l ?? ledger;
  try {
    const summary = await runPayouts({
      ledger: l,
      edge: new EdgePayouts({ baseUrl: edge.url, token: TEST_ORIGIN_TOKEN, retries: 1, baseDelayMs: 5 }),
      transfers: (opts.transfers ?? ((t) => t))(stripeTransfers(stripe)),
      period: parsePeriod(periodId) ?? (null as never),
      minimumCents: 1000,
      log,
      lease: opts.lease,
      crash: (point) => {
        if (point === opts.crashAt) throw new Crash(point);
      },
    });
    PayoutRunSchema.parse(summary);
    return summary;
  } finally {
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
  (await channelBalances(ledger)).find((b) => b.channelId === channelId)?.cents || 0;

describe("payout run guards", () => {
  it("does not send once another run took the lease over, even before a renewal noticed", async () => {
    const a = await connectAccount(stripe);
    edge.accounts = [{ channelId: "ch_a", stripeAccountId: a, payoutsEnabled: true }];
    await storeSnapshot(ledger, snapshotOf("2026-11-01", [adsWorth("ch_a", 2200)]));
    // The run stalls past its lease right after its lookup; another run takes the period over.
    const stolen = (t: Transfers): Transfers => ({
      create: (req) => t.create(req),
      async findByGroup(payoutId) {
        const found = await t.findByGroup(payoutId);
        await ledger.db.update(payoutLeases).set({ holder: "run_other" });
        return found;
      },
    });
    await expect(run("2026-11-01", { transfers: stolen, lease: { renewMs: 3_600_000 } })).rejects.toThrow(
      LeaseLost,
    );
    expect(await transfers()).toEqual([]);
    expect((await stateOf("ch_a", "2026-11-01"))?.state).toBe("submitting");
  });

  it("a month and a day inside it, run at once, cannot both be recorded", async () => {
    edge.snapshots.set("2026-11", snapshotOf("2026-11", [adsWorth("ch_a", 2200)]));
    edge.snapshots.set("2026-11-05", snapshotOf("2026-11-05", [adsWorth("ch_a", 2200)]));
    edge.periodsDelayMs = 300; // both runs pass the early check before either has stored its facts
    const other = await openLedger(ledger.url);
    try {
      const results = await Promise.allSettled([run("2026-11"), run("2026-11-05", { l: other })]);
      const refused = results.filter((r) => r.status === "rejected");
      expect(refused).toHaveLength(1);
      expect(String((refused[0] as PromiseRejectedResult).reason)).toMatch(/overlaps period/);
    } finally {
      other.close();
    }
    expect(await ledger.db.select().from(periodSnapshots)).toHaveLength(1);
    expect(await owed("ch_a")).toBe(2200); // counted once
  });

  it("does not retry a failed payout to an account the channel has since replaced; the next period pays", async () => {
    const f = await connectAccount(stripe, false);
    edge.accounts = [{ channelId: "ch_f", stripeAccountId: f, payoutsEnabled: true }];
    await storeSnapshot(ledger, snapshotOf("2026-11-01", [adsWorth("ch_f", 1650)]));
    expect(await run("2026-11-01")).toMatchObject({ failedCount: 1 });
    // The old account is payable now, but the channel onboarded a new one.
    await onboard(stripe, f);
    const g = await connectAccount(stripe);
    edge.accounts = [{ channelId: "ch_f", stripeAccountId: g, payoutsEnabled: true }];
    expect(await run("2026-11-01")).toMatchObject({ paidCount: 0, failedCount: 1 });
    expect(await transfers()).toEqual([]);
    expect(await stateOf("ch_f", "2026-11-01")).toMatchObject({ state: "failed", attempt: 1 });
    expect(logs.some((x) => x.level === "warn" && /Stripe account changed/.test(x.msg))).toBe(true);
    await storeSnapshot(ledger, snapshotOf("2026-11-02", []));
    expect(await run("2026-11-02")).toMatchObject({ paidCount: 1, paidCents: 1650 });
    expect(await transfers()).toEqual([{ destination: g, amount: 1650 }]);
    expect(await owed("ch_f")).toBe(0);
  });

  it("names a payout left submitting for a person to check in the run's summary", async () => {
    const a = await connectAccount(stripe);
    edge.accounts = [{ channelId: "ch_a", stripeAccountId: a, payoutsEnabled: true }];
    await storeSnapshot(ledger, snapshotOf("2026-11-01", [adsWorth("ch_a", 2200)]));
    await expect(run("2026-11-01", { crashAt: "after_claim" })).rejects.toThrow(Crash);
    const p = await stateOf("ch_a", "2026-11-01");
    // A transfer in its group that is not what the payout says (made by hand, say).
    await stripe.transfers.create({
      amount: 999,
      currency: "usd",
      destination: a,
      transfer_group: `payout_${p?.id}`,
    });
    const summary = await run("2026-11-01");
    expect(summary.error).toContain(p?.id);
    expect(summary.error).toMatch(/person to check/);
    expect(edge.statements.at(-1)?.run?.error).toContain(p?.id);
    expect((await stateOf("ch_a", "2026-11-01"))?.state).toBe("submitting");
    expect(await transfers()).toEqual([{ destination: a, amount: 999 }]);
  });
});
