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
 * stalled cannot double-pay. It stops at the next payout when it notices (`assertHeld`), and every
 * transfer starts right after a successful renewal (`confirm`) with a Stripe timeout of at most a
 * third of the TTL (`stripeTimeoutFor`), so another run cannot take the period over while one of
 * our transfers may still be in flight (and then fail or resend that attempt).
 */
import { and, eq, lte, type SQL, sql } from "drizzle-orm";
import type { Ledger } from "./db";
import { payoutLeases } from "./schema";

export const LEASE_TTL_MS = 60_000;
export const LEASE_RENEW_MS = 10_000;
/** Stripe's longest request (the SDK's timeout) with the default TTL. */
export const STRIPE_TIMEOUT_MS = 20_000;

/**
 * The Stripe request timeout to use with a lease of `ttlMs`: at most a third of it (and never more
 * than 20 s). A send starts right after a successful renewal, so the lease outlives the request
 * with two thirds of the TTL to spare (clock skew, a slow database): no other run can take the
 * period over while a transfer of ours may still be in flight.
 */
export const stripeTimeoutFor = (ttlMs: number) => Math.min(STRIPE_TIMEOUT_MS, Math.floor(ttlMs / 3));

/**
 * Lease times come from the database's clock, not each host's: two origins whose clocks disagree
 * must still agree on when a lease lapsed. drizzle has no builder for SQLite's clock. A test passes
 * its own `now` instead.
 */
const dbNow = (now?: number): SQL | number => now ?? sql<number>`CAST(unixepoch('subsec') * 1000 AS INTEGER)`;
const expiry = (ttlMs: number, now?: number): SQL | number =>
  now === undefined ? sql<number>`CAST(unixepoch('subsec') * 1000 AS INTEGER) + ${ttlMs}` : now + ttlMs;

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
  constructor(
    readonly period: string,
    message = `lost the lease on period ${period} to another run`,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
  }
}

/** Takes the period's lease for `holder`; false when another holder has it and it has not lapsed. */
export async function takeLease(
  l: Ledger,
  period: string,
  holder: string,
  ttlMs = LEASE_TTL_MS,
  now?: number,
): Promise<boolean> {
  const rows = await l.db
    .insert(payoutLeases)
    .values({ period, holder, expiresAt: expiry(ttlMs, now) })
    .onConflictDoUpdate({
      target: payoutLeases.period,
      set: { holder, expiresAt: expiry(ttlMs, now) },
      // Only a lapsed lease can be taken over (or our own, re-taken).
      setWhere: lte(payoutLeases.expiresAt, dbNow(now)),
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
  now?: number,
): Promise<boolean> {
  const rows = await l.db
    .update(payoutLeases)
    .set({ expiresAt: expiry(ttlMs, now) })
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
  /**
   * Throws LeaseLost once a renewal found the lease gone, or once the last successful renewal is so
   * old that the lease may lapse before a Stripe request started now could end (`ttl − sendMs`): a
   * run that cannot renew must not go on sending.
   */
  assertHeld(): void;
  /**
   * Renews the lease now and throws LeaseLost unless that renewal succeeded (lost, or the database
   * failed): called right before every transfer, so a send always starts with a whole TTL ahead.
   */
  confirm(): Promise<void>;
  /** Stops renewing and deletes the row (if still ours). */
  release(): Promise<void>;
}

export interface LeaseOptions {
  ttlMs?: number;
  renewMs?: number;
  /** The longest a Stripe request can take (its timeout); default `stripeTimeoutFor(ttlMs)`. */
  sendMs?: number;
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
  const sendMs = opts.sendMs ?? stripeTimeoutFor(ttlMs);
  // Local elapsed time since the start of the last request that renewed the lease (taken before
  // the request: the database's expiry is at least that late).
  let renewedAt = Date.now();
  if (!(await takeLease(l, period, holder, ttlMs))) throw new LeaseHeld(period);
  let lost = false;
  const renew = async (): Promise<boolean> => {
    const at = Date.now();
    const ok = await renewLease(l, period, holder, ttlMs);
    if (ok) renewedAt = Math.max(renewedAt, at);
    else lost = true;
    return ok;
  };
  let renewing: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    renewing = renew().then(
      () => {},
      // A busy or unreachable database: keep the lease's remaining time and try again next tick.
      (err) => opts.onError?.(err),
    );
  }, opts.renewMs ?? LEASE_RENEW_MS);
  // The renewal must never keep a finished CLI alive.
  timer.unref?.();
  const assertHeld = () => {
    if (lost) throw new LeaseLost(period);
    if (Date.now() - renewedAt > ttlMs - sendMs) {
      throw new LeaseLost(period, `could not renew the lease on period ${period} in time`);
    }
  };
  return {
    period,
    assertHeld,
    async confirm() {
      // Late renewals are fine here: a renewal that succeeds proves nobody took the period over.
      if (lost) throw new LeaseLost(period);
      let ok: boolean;
      try {
        ok = await renew();
      } catch (err) {
        throw new LeaseLost(period, `could not renew the lease on period ${period} before a transfer`, err);
      }
      if (!ok) throw new LeaseLost(period);
    },
    async release() {
      clearInterval(timer);
      await renewing;
      await releaseLease(l, period, holder);
    },
  };
}
