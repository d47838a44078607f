/**
 * The payout state machine's writes (docs/payouts.md): pending → submitting → paid | failed, and
 * failed → submitting on a later run. Each change is ONE write transaction holding the conditional
 * UPDATE (`… WHERE state = <expected>`: of two runs only one can win it), its `payout_events` row
 * and its journal entry (`postEntryIn`), so the books and the states can never disagree, even when
 * the process is killed between two statements.
 */

import { randomBytes } from "node:crypto";
import type { PayoutRecord, PayoutState } from "@marquee/shared";
import { and, eq, sql } from "drizzle-orm";
import type { Ledger, LedgerTx } from "./db";
import {
  balanceOf,
  channelPayable,
  LedgerError,
  type NewEntry,
  PAYOUTS_IN_TRANSIT,
  postEntryIn,
  STRIPE_CLEARING,
} from "./ledger";
import { payoutEvents, payouts } from "./schema";

export type Payout = typeof payouts.$inferSelect;

export const newPayoutId = () => `po_${randomBytes(12).toString("hex")}`;

/** What the edge is told about a payout. */
export function recordOf(p: Payout): PayoutRecord {
  return {
    id: p.id,
    channelId: p.channelId,
    period: p.period,
    amountCents: p.amountCents,
    currency: "usd",
    state: p.state,
    stripeTransferId: p.stripeTransferId,
    failure: p.failure,
    updatedAt: p.updatedAt,
  };
}

/** What the channel's payable holds for it (positive = owed to the channel), read inside `tx`. */
async function owedIn(tx: LedgerTx, channelId: string): Promise<number> {
  return -(await balanceOf({ db: tx }, channelPayable(channelId)));
}

const reserveEntry = (p: Payout, attempt: number): NewEntry => ({
  externalId: attempt === 1 ? `payout:${p.id}:reserve` : `payout:${p.id}:reserve:${attempt}`,
  period: p.period,
  kind: "payout.reserve",
  memo: `payout ${p.id} to ${p.channelId} (attempt ${attempt})`,
  lines: [
    { account: channelPayable(p.channelId), amountCents: p.amountCents },
    { account: PAYOUTS_IN_TRANSIT, amountCents: -p.amountCents },
  ],
});

export interface CreateInput {
  period: string;
  channelId: string;
  stripeAccountId: string;
  amountCents: number;
  runId: string;
  now: number;
}

/**
 * Creates the channel's payout for the period (pending) with its reserve entry, unless it already
 * has one for the period (unique period+channel) or the payable no longer holds `amountCents` (a
 * concurrent run of another period reserved it first: the balance is re-read inside the write
 * transaction, which SQLite serialises). Returns the new payout, or null.
 */
export async function createPayout(l: Ledger, input: CreateInput): Promise<Payout | null> {
  return l.db.transaction(async (tx) => {
    if ((await owedIn(tx, input.channelId)) < input.amountCents) return null;
    const [row] = await tx
      .insert(payouts)
      .values({
        id: newPayoutId(),
        period: input.period,
        channelId: input.channelId,
        stripeAccountId: input.stripeAccountId,
        amountCents: input.amountCents,
        state: "pending",
        attempt: 1,
        createdAt: input.now,
        updatedAt: input.now,
      })
      .onConflictDoNothing({ target: [payouts.period, payouts.channelId] })
      .returning();
    if (!row) return null;
    await tx.insert(payoutEvents).values({
      payoutId: row.id,
      fromState: null,
      toState: "pending",
      runId: input.runId,
      detail: `${row.amountCents} cents to ${row.stripeAccountId}`,
      at: input.now,
    });
    await postEntryIn(tx, reserveEntry(row, 1), input.now);
    return row;
  });
}

interface Move {
  runId: string;
  detail?: string | null;
  set?: Partial<Pick<Payout, "attempt" | "stripeTransferId" | "failure">>;
  entry?: NewEntry;
  /** Checked inside the transaction before anything is written; false → no change. */
  guard?: (tx: LedgerTx) => Promise<boolean>;
  now?: number;
}

/**
 * from → to if the payout is still in `from` at the same attempt (a stale copy of an earlier attempt
 * must not move a later one); the updated payout, or null when another run moved it. The journal
 * entry a move needs must be new: if it already exists the books would not follow the state, so the
 * transaction is rolled back and this throws.
 */
async function move(
  l: Ledger,
  p: Payout,
  from: PayoutState,
  to: PayoutState,
  m: Move,
): Promise<Payout | null> {
  const now = m.now ?? Date.now();
  return l.db.transaction(async (tx) => {
    if (m.guard && !(await m.guard(tx))) return null;
    const [row] = await tx
      .update(payouts)
      .set({
        state: to,
        // Strictly after the stored value, read in the same statement: the edge keeps a record only
        // if its updatedAt is >= the one it holds, so two changes in one millisecond (or a host clock
        // behind) must still order. drizzle has no builder for SQLite's two-argument max().
        updatedAt: sql`max(${now}, ${payouts.updatedAt} + 1)`,
        ...m.set,
      })
      .where(and(eq(payouts.id, p.id), eq(payouts.state, from), eq(payouts.attempt, p.attempt)))
      .returning();
    if (!row) return null;
    await tx.insert(payoutEvents).values({
      payoutId: p.id,
      fromState: from,
      toState: to,
      runId: m.runId,
      detail: m.detail?.slice(0, 500) ?? null,
      at: now,
    });
    if (m.entry && !(await postEntryIn(tx, m.entry, now)).written) {
      throw new LedgerError(
        `payout ${p.id} ${from} → ${to}: entry ${m.entry.externalId} already exists; nothing changed`,
      );
    }
    return row;
  });
}

/** pending → submitting: this run now owns sending it. */
export const claim = (l: Ledger, p: Payout, runId: string) => move(l, p, "pending", "submitting", { runId });

/** submitting → paid, and the money leaves the books for Stripe (in_transit → stripe_clearing). */
export function markPaid(l: Ledger, p: Payout, runId: string, transferId: string, how: string) {
  return move(l, p, "submitting", "paid", {
    runId,
    detail: `${how} ${transferId}`,
    set: { stripeTransferId: transferId, failure: null },
    entry: {
      externalId: `payout:${p.id}:paid`,
      period: p.period,
      kind: "payout.paid",
      memo: `transfer ${transferId}`,
      lines: [
        { account: PAYOUTS_IN_TRANSIT, amountCents: p.amountCents },
        { account: STRIPE_CLEARING, amountCents: -p.amountCents },
      ],
    },
  });
}

/** submitting → failed with Stripe's words; the reserve goes back to the channel's payable. */
export function markFailed(l: Ledger, p: Payout, runId: string, failure: string) {
  return move(l, p, "submitting", "failed", {
    runId,
    detail: failure,
    set: { failure: failure.slice(0, 500) },
    entry: {
      externalId: `payout:${p.id}:failed:${p.attempt}`,
      period: p.period,
      kind: "payout.failed",
      memo: failure.slice(0, 200),
      lines: [
        { account: PAYOUTS_IN_TRANSIT, amountCents: p.amountCents },
        { account: channelPayable(p.channelId), amountCents: -p.amountCents },
      ],
    },
  });
}

/**
 * failed → submitting with attempt + 1 and a new reserve, but only while the payable still holds
 * the amount: once a later period's payout has taken the returned money, this one stays failed
 * (superseded) rather than paying it twice.
 */
export function retryFailed(l: Ledger, p: Payout, runId: string) {
  const attempt = p.attempt + 1;
  return move(l, p, "failed", "submitting", {
    runId,
    detail: `retry, attempt ${attempt}`,
    set: { attempt },
    guard: async (tx) => (await owedIn(tx, p.channelId)) >= p.amountCents,
    entry: reserveEntry(p, attempt),
  });
}
