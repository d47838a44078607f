// The payout state machine's writes on a real SQLite file: stale copies, books that must follow the
// state, and updatedAt that only ever grows (the edge orders copies by it).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Ledger, openLedger } from "./db";
import {
  balanceOf,
  channelPayable,
  entryOf,
  LedgerError,
  PAYOUTS_IN_TRANSIT,
  postEntry,
  STRIPE_CLEARING,
  trialBalance,
} from "./ledger";
import { payoutEvents, payouts } from "./schema";
import { claim, createPayout, markFailed, markPaid, type Payout, retryFailed } from "./states";

let dir: string;
let ledger: Ledger;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "payouts-states-"));
  ledger = await openLedger(`file:${join(dir, "ledger.sqlite")}`);
});

afterEach(async () => {
  ledger.close();
  await rm(dir, { recursive: true, force: true });
});

/** ch_a is owed `cents`; returns its payout of them, pending. */
async function pendingPayout(cents = 2000, now = Date.now()): Promise<Payout> {
  await postEntry(ledger, {
    externalId: `revenue:test:${cents}`,
    period: "2026-11-01",
    kind: "revenue.ads",
    lines: [
      { account: STRIPE_CLEARING, amountCents: cents },
      { account: channelPayable("ch_a"), amountCents: -cents },
    ],
  });
  const p = await createPayout(ledger, {
    period: "2026-11-01",
    channelId: "ch_a",
    stripeAccountId: "acct_a",
    amountCents: cents,
    runId: "run_a",
    now,
  });
  if (!p) throw new Error("no payout created");
  return p;
}

const stored = async (id: string) => (await ledger.db.select().from(payouts).where(eq(payouts.id, id)))[0];

describe("payout state changes", () => {
  it("a stale copy of attempt 1 cannot move attempt 2 (books and state stay together)", async () => {
    const p = await pendingPayout();
    // Run A claimed attempt 1, then stalled holding this copy.
    const staleA = (await claim(ledger, p, "run_a")) as Payout;
    expect(staleA).toMatchObject({ state: "submitting", attempt: 1 });
    // Run B took over: attempt 1 failed, retried as attempt 2 (submitting).
    const failed = (await markFailed(ledger, staleA, "run_b", "refused")) as Payout;
    const retried = (await retryFailed(ledger, failed, "run_b")) as Payout;
    expect(retried).toMatchObject({ state: "submitting", attempt: 2 });

    // A wakes up and records its attempt 1 as failed (or paid): neither may touch attempt 2.
    expect(await markFailed(ledger, staleA, "run_a", "late refusal")).toBeNull();
    expect(await markPaid(ledger, staleA, "run_a", "tr_late", "sent")).toBeNull();
    expect(await stored(p.id)).toMatchObject({ state: "submitting", attempt: 2, stripeTransferId: null });
    // Attempt 2's money is in transit, as its state says.
    expect(await balanceOf(ledger, PAYOUTS_IN_TRANSIT)).toBe(-2000);
    expect(await balanceOf(ledger, channelPayable("ch_a"))).toBe(0);
    expect(await trialBalance(ledger)).toBe(0);
  });

  it("a move whose journal entry already exists changes nothing and throws", async () => {
    const p = (await claim(ledger, await pendingPayout(), "run_a")) as Payout;
    // The paid entry is somehow already there (a hand fix, a bug elsewhere): the state must not
    // say paid on top of books that were not moved by this change.
    await postEntry(ledger, {
      externalId: `payout:${p.id}:paid`,
      period: p.period,
      kind: "payout.paid",
      lines: [
        { account: PAYOUTS_IN_TRANSIT, amountCents: 1 },
        { account: STRIPE_CLEARING, amountCents: -1 },
      ],
    });
    await expect(markPaid(ledger, p, "run_a", "tr_1", "sent")).rejects.toThrow(LedgerError);
    expect(await stored(p.id)).toMatchObject({ state: "submitting", stripeTransferId: null });
    const events = await ledger.db.select().from(payoutEvents).where(eq(payoutEvents.payoutId, p.id));
    expect(events.map((e) => e.toState)).toEqual(["pending", "submitting"]); // rolled back
    expect((await entryOf(ledger, `payout:${p.id}:paid`))?.lines).toHaveLength(2);
  });

  it("updatedAt grows with every change, even within one millisecond or with a clock behind", async () => {
    // Created with a clock ahead of ours (another host): our changes still come strictly after.
    const ahead = Date.now() + 600_000;
    const p = await pendingPayout(2000, ahead);
    const claimed = (await claim(ledger, p, "run_a")) as Payout;
    expect(claimed.updatedAt).toBeGreaterThan(p.updatedAt);
    // A copy older than the row (its updatedAt behind the stored one) still moves past the row's.
    const paid = (await markPaid(
      ledger,
      { ...claimed, updatedAt: p.updatedAt },
      "run_a",
      "tr_1",
      "sent",
    )) as Payout;
    expect(paid.updatedAt).toBeGreaterThan(claimed.updatedAt);
  });
});
