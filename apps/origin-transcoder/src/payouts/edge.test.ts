// The edge client of payout runs over real HTTP against testing.ts's stand-in edge.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { EdgePayouts, InconsistentFacts, PeriodNotClosed, STATEMENTS_CHUNK, statementBodies } from "./edge";
import {
  adsWorth,
  type FakePayoutsEdge,
  snapshotOf,
  startFakePayoutsEdge,
  TEST_ORIGIN_TOKEN,
} from "./testing";

let edge: FakePayoutsEdge;
beforeEach(async () => {
  edge = await startFakePayoutsEdge();
});
afterEach(() => edge.close());

const client = (token = TEST_ORIGIN_TOKEN) =>
  new EdgePayouts({ baseUrl: `${edge.url}/`, token, retries: 2, baseDelayMs: 5 });

describe("payouts edge client", () => {
  it("reads a period's facts across pages and every account; 409 is PeriodNotClosed", async () => {
    const snap = snapshotOf(
      "2026-11",
      [adsWorth("a", 11), adsWorth("b", 22), adsWorth("c", 33), adsWorth("d", 44), adsWorth("e", 55)],
      {
        paidCents: 999,
      },
    );
    edge.snapshots.set("2026-11", snap);
    expect(await client().periodSnapshot("2026-11")).toEqual(snap);
    expect(edge.requests.filter((r) => r.includes("/channels"))).toEqual([
      "GET /internal/payouts/periods/2026-11/channels?limit=500",
      "GET /internal/payouts/periods/2026-11/channels?limit=500&cursor=2",
      "GET /internal/payouts/periods/2026-11/channels?limit=500&cursor=4",
    ]);
    await expect(client().periodSnapshot("2026-12")).rejects.toThrow(PeriodNotClosed);

    edge.accounts = ["c3", "c1", "c2"].map((channelId) => ({
      channelId,
      stripeAccountId: `acct_${channelId}`,
      payoutsEnabled: true,
    }));
    expect((await client().accounts()).map((a) => a.channelId)).toEqual(["c1", "c2", "c3"]);
  });

  it("refuses facts whose pages do not add up to the period's totals", async () => {
    const snap = snapshotOf("2026-11", [adsWorth("a", 11), adsWorth("b", 22)]);
    edge.snapshots.set("2026-11", {
      ...snap,
      facts: { ...snap.facts, adMillicents: snap.facts.adMillicents + 1 },
    });
    await expect(client().periodSnapshot("2026-11")).rejects.toThrow(InconsistentFacts);
    edge.snapshots.set("2026-11", { ...snap, facts: { ...snap.facts, channelCount: 3 } });
    await expect(client().periodSnapshot("2026-11")).rejects.toThrow(InconsistentFacts);
  });

  it("retries a 503, not a 401", async () => {
    edge.failStatements = 2;
    await client().publish({ earnings: [], payouts: [], run: null });
    expect(edge.statements).toHaveLength(1);
    edge.failStatements = 3; // one more than the retries
    await expect(client().publish({ earnings: [], payouts: [], run: null })).rejects.toThrow(/503/);
    const before = edge.requests.length;
    await expect(client("wrong-token-0123456789abcdef0123456789").accounts()).rejects.toThrow(/401/);
    expect(edge.requests.length - before).toBe(1);
  });

  it("publishes in bodies of at most 500 rows, the run in the last", async () => {
    const earnings = Array.from({ length: 1201 }, (_, i) => ({
      channelId: `c${i}`,
      period: "2026-11",
      adsCents: i,
      premiumCents: 0,
    }));
    const payouts = Array.from({ length: 3 }, (_, i) => ({
      id: `po_${i}`,
      channelId: `c${i}`,
      period: "2026-11",
      amountCents: 1000,
      currency: "usd" as const,
      state: "paid" as const,
      stripeTransferId: `tr_${i}`,
      failure: null,
      updatedAt: 1,
    }));
    const run = {
      id: "run_1",
      period: "2026-11",
      startedAt: 1,
      finishedAt: 2,
      state: "finished" as const,
      paidCount: 3,
      paidCents: 3000,
      failedCount: 0,
      skipped: [],
      trialBalanceCents: 0,
      balances: {},
      error: null,
    };
    expect(statementBodies({ earnings: [], payouts: [], run: null })).toEqual([
      { earnings: [], payouts: [], run: null },
    ]);
    await client().publish({ earnings, payouts, run });
    expect(edge.statements.map((b) => [b.earnings.length, b.payouts.length, b.run?.id ?? null])).toEqual([
      [STATEMENTS_CHUNK, 3, null],
      [STATEMENTS_CHUNK, 0, null],
      [201, 0, "run_1"],
    ]);
    expect(edge.statements.flatMap((b) => b.earnings)).toEqual(earnings);
  });
});
