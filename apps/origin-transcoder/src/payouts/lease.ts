/**
 * A run's hold on a period (`payout_leases`, one row per period): taken by inserting the row, or by
 * taking over a row whose holder let it lapse (a crashed run); renewed while the run works; deleted
 * at the end. Each step is one statement, so two runs racing for a period cannot both win: SQLite
 * (and libSQL) run one write at a time, and the take-over's `WHERE expires_at <= now` is evaluated
 * inside that write.
 *
 * The lease is what keeps two runs of a period apart; it is not what keeps a payout from being paid
 * twice: every payout change is a conditional update (run.ts) and every transfer carries an
 * idempotency key and is looked up by transfer_group first, so even a run that lost its lease while
 * stalled cannot double-pay. It stops at the next payout when it notices (`assertHeld`).
 */
import { and, eq, lte } from "drizzle-orm";
import type { Ledger } from "./db";
import { payoutLeases } from "./schema";

export const LEASE_TTL_MS = 60_000;
export const LEASE_RENEW_MS = 10_000;

/** The period is held by another run (CLI exit code 75). */
export class LeaseHeld extends Error {
  override name = "LeaseHeld";
  constructor(readonly period: string) {
    super(`period ${period} is held by another run`);
  }
}

/** Our lease lapsed and someone else took it: stop before sending anything more. */
export class LeaseLost extends Error {
  override name = "LeaseLost";
  constructor(readonly period: string) {
    super(`lost the lease on period ${period} to another run`);
  }
}

/** Takes the period's lease for `holder`; false when another holder has it and it has not lapsed. */
export async function takeLease(
  l: Ledger,
  period: string,
  holder: string,
  ttlMs = LEASE_TTL_MS,
  now = Date.now(),
): Promise<boolean> {
  const rows = await l.db
    .insert(payoutLeases)
    .values({ period, holder, expiresAt: now + ttlMs })
    .onConflictDoUpdate({
      target: payoutLeases.period,
      set: { holder, expiresAt: now + ttlMs },
      // Only a lapsed lease can be taken over (or our own, re-taken).
      setWhere: lte(payoutLeases.expiresAt, now),
    })
    .returning({ holder: payoutLeases.holder });
  return rows.length === 1 && rows[0]?.holder === holder;
}

/** Extends our lease; false when it is no longer ours. */
export async function renewLease(
  l: Ledger,
  period: string,
  holder: string,
  ttlMs = LEASE_TTL_MS,
  now = Date.now(),
): Promise<boolean> {
  const rows = await l.db
    .update(payoutLeases)
    .set({ expiresAt: now + ttlMs })
    .where(and(eq(payoutLeases.period, period), eq(payoutLeases.holder, holder)))
    .returning({ period: payoutLeases.period });
  return rows.length === 1;
}

export async function releaseLease(l: Ledger, period: string, holder: string): Promise<void> {
  await l.db
    .delete(payoutLeases)
    .where(and(eq(payoutLeases.period, period), eq(payoutLeases.holder, holder)));
}

export interface HeldLease {
  readonly period: string;
  /** Throws LeaseLost once a renewal found the lease gone. */
  assertHeld(): void;
  /** Stops renewing and deletes the row (if still ours). */
  release(): Promise<void>;
}

export interface LeaseOptions {
  ttlMs?: number;
  renewMs?: number;
  onError?: (err: unknown) => void;
}

/** Takes the lease (or throws LeaseHeld) and renews it every `renewMs` until released. */
export async function holdLease(
  l: Ledger,
  period: string,
  holder: string,
  opts: LeaseOptions = {},
): Promise<HeldLease> {
  const ttlMs = opts.ttlMs ?? LEASE_TTL_MS;
  if (!(await takeLease(l, period, holder, ttlMs))) throw new LeaseHeld(period);
  let lost = false;
  let renewing: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    renewing = renewLease(l, period, holder, ttlMs).then(
      (ok) => {
        if (!ok) lost = true;
      },
      // A busy or unreachable database: keep the lease's remaining time and try again next tick.
      (err) => opts.onError?.(err),
    );
  }, opts.renewMs ?? LEASE_RENEW_MS);
  // The renewal must never keep a finished CLI alive.
  timer.unref?.();
  return {
    period,
    assertHeld() {
      if (lost) throw new LeaseLost(period);
    },
    async release() {
      clearInterval(timer);
      await renewing;
      await releaseLease(l, period, holder);
    },
  };
}
