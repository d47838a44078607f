/**
 * One payout run of a period (docs/payouts.md, "Payouts"):
 *
 * 1. take the period's lease (LeaseHeld otherwise), renewed while the run works;
 * 2. the period's facts: the stored snapshot, or the edge's (PeriodNotClosed on its 409), stored
 *    once; then the revenue entries (recordPeriod writes nothing twice);
 * 3. recovery first: every open payout (pending or submitting, any period) is settled before
 *    anything new is created: a payout in `submitting` is looked up at Stripe by its transfer_group
 *    and only sent again (same key, same parameters) when Stripe has no transfer in that group;
 *    another period's open payouts are settled under that period's lease (skipped if it is held);
 * 4. this period's failed payouts are retried (attempt + 1), then each channel with a positive
 *    payable gets a payout, or is skipped (no account, payouts disabled, below the minimum: the
 *    balance stays payable and is carried over to the next run);
 * 5. each pending payout: claim → transfer → record (paid, failed on a definitive refusal, left
 *    `submitting` when there was no answer);
 * 6. the summary (trial balance, balances) is stored and published with the earnings and payouts;
 *    a failed publish is logged only (the ledger is the truth; the next run publishes again).
 *
 * The facts/accounts/statements source is injected (`PayoutsEdge`), as are Stripe (`Transfers`),
 * the clock and the crash hook, so the run is testable in-process against the real sandbox.
 */
import { randomBytes } from "node:crypto";
import { type PayoutRun, type Period, parsePeriod } from "@marquee/shared";
import { and, desc, eq, gte, inArray, lt, ne, or } from "drizzle-orm";
import type { Logger } from "../log";
import { errorMessage } from "../log";
import { type CrashHook, noCrash } from "./crash";
import type { Ledger, LedgerDb, LedgerTx } from "./db";
import { checkSnapshot, type PayoutAccount, type PayoutsEdge, type PeriodSnapshot } from "./edge";
import { type HeldLease, holdLease, LeaseHeld, type LeaseOptions } from "./lease";
import { balancesByKind, channelBalances, trialBalance } from "./ledger";
import { earningsOf, recordPeriod } from "./revenue";
import { payoutRuns, payouts, periodSnapshots } from "./schema";
import { claim, createPayout, markFailed, markPaid, type Payout, recordOf, retryFailed } from "./states";
import { StripeCredentialsError, type Transfers } from "./transfers";

export interface RunOptions {
  ledger: Ledger;
  edge: PayoutsEdge;
  transfers: Transfers;
  period: Period;
  /** PAYOUT_MINIMUM_CENTS: a balance below it is carried over. */
  minimumCents: number;
  log: Logger;
  crash?: CrashHook;
  lease?: LeaseOptions;
  now?: () => number;
}

type Skip = PayoutRun["skipped"][number];

class Run {
  readonly id = `run_${randomBytes(10).toString("hex")}`;
  readonly startedAt: number;
  /** Payouts this run changed (any period): published with the period's own. */
  readonly touched = new Set<string>();
  /** Payouts left `submitting` for a person to check (their transfer at Stripe does not match). */
  readonly toCheck = new Set<string>();
  private readonly crash: CrashHook;
  private readonly now: () => number;

  constructor(private readonly o: RunOptions) {
    this.crash = o.crash ?? noCrash;
    this.now = o.now ?? Date.now;
    this.startedAt = this.now();
  }

  private get l() {
    return this.o.ledger;
  }

  async snapshot(): Promise<PeriodSnapshot> {
    const period = this.o.period.id;
    const stored = await this.l.db.select().from(periodSnapshots).where(eq(periodSnapshots.period, period));
    if (stored[0]) return checkSnapshot(period, JSON.parse(stored[0].factsJson) as PeriodSnapshot);
    // Checked here first only to refuse before asking the edge; the check that counts is below.
    await this.assertNoOverlap(this.l.db);
    const snap = await this.o.edge.periodSnapshot(period);
    // The overlap check and the insert are one write transaction: a run of the month and a run of a
    // day in it hold different leases, and both could otherwise pass the check before either stored
    // its snapshot. Two runs of the same period (one of them lease-less, e.g. a test) both go on
    // with whichever was stored first, so a period is only ever computed from one snapshot.
    const factsJson = await this.l.db.transaction(async (tx) => {
      const [first] = await tx.select().from(periodSnapshots).where(eq(periodSnapshots.period, period));
      if (first) return first.factsJson;
      await this.assertNoOverlap(tx);
      const json = JSON.stringify(snap);
      await tx.insert(periodSnapshots).values({ period, factsJson: json, fetchedAt: this.now() });
      return json;
    });
    return checkSnapshot(period, JSON.parse(factsJson) as PeriodSnapshot);
  }

  /**
   * Months and days both exist (days for tests and small operators); a day inside a month already
   * in the ledger (or the reverse) would count the same facts twice, so one ledger keeps one kind.
   */
  private async assertNoOverlap(db: LedgerDb | LedgerTx): Promise<void> {
    const period = this.o.period;
    for (const { id } of await db.select({ id: periodSnapshots.period }).from(periodSnapshots)) {
      const other = parsePeriod(id);
      if (id !== period.id && other && other.start < period.end && period.start < other.end) {
        throw new Error(
          `period ${period.id} overlaps period ${id}, already in the ledger: its facts would count twice`,
        );
      }
    }
  }

  /** Settles one payout that is pending or submitting; the caller holds its period's lease. */
  async settle(p0: Payout, lease: HeldLease): Promise<void> {
    let p = p0;
    if (p.state === "pending") {
      lease.assertHeld();
      const claimed = await claim(this.l, p, this.id);
      if (!claimed) return; // another run took it (it holds the lease now; it will finish it)
      p = claimed;
      this.touched.add(p.id);
      this.crash("after_claim");
    }
    if (p.state !== "submitting") return;
    // Never (re)send without looking first: a transfer Stripe made whose answer we never recorded
    // is found here, whatever Stripe's idempotency window says.
    let found: Awaited<ReturnType<Transfers["findByGroup"]>>;
    try {
      found = await this.o.transfers.findByGroup(p.id);
    } catch (err) {
      if (err instanceof StripeCredentialsError) throw err;
      // Stripe unreachable: nothing may be sent without looking first; a later run settles it.
      this.o.log("warn", "could not look up a payout's transfer; left for the next run", {
        payoutId: p.id,
        error: errorMessage(err),
      });
      return;
    }
    if (found.length > 0) {
      const t = found[found.length - 1] as (typeof found)[number];
      if (found.length > 1 || t.amountCents !== p.amountCents || t.destination !== p.stripeAccountId) {
        // Not something a retry can fix: leave it submitting (never resent: it is found every time),
        // and say so in the run's summary, which the admin page shows.
        this.toCheck.add(p.id);
        this.o.log("error", "payout transfer does not match; left for a person to check", {
          payoutId: p.id,
          transfers: found,
          amountCents: p.amountCents,
          destination: p.stripeAccountId,
        });
        return;
      }
      if (await markPaid(this.l, p, this.id, t.id, "found")) this.touched.add(p.id);
      return;
    }
    // Only with a lease just renewed: a run that lost it (or cannot renew) must not send, since the
    // run that took over may already have failed this attempt and be sending the next one.
    await lease.confirm();
    const outcome = await this.o.transfers.create({
      payoutId: p.id,
      attempt: p.attempt,
      amountCents: p.amountCents,
      destination: p.stripeAccountId,
    });
    this.crash("after_send");
    if (outcome.kind === "sent") {
      if (await markPaid(this.l, p, this.id, outcome.transferId, "sent")) this.touched.add(p.id);
    } else if (outcome.kind === "refused") {
      if (await markFailed(this.l, p, this.id, outcome.message)) this.touched.add(p.id);
    } else {
      this.o.log("warn", "payout transfer got no answer; left submitting for recovery", {
        payoutId: p.id,
        error: outcome.message,
      });
      return;
    }
    this.crash("after_record");
  }

  /** Step 3: every open payout, this period's under our lease, others' under theirs. */
  async recover(own: HeldLease): Promise<void> {
    const open = await this.l.db
      .select()
      .from(payouts)
      .where(
        or(
          eq(payouts.state, "submitting"),
          // This period's pending ones are step 5's; another period's are settled here.
          and(eq(payouts.state, "pending"), ne(payouts.period, this.o.period.id)),
        ),
      )
      .orderBy(payouts.period, payouts.createdAt);
    const byPeriod = new Map<string, Payout[]>();
    for (const p of open) byPeriod.set(p.period, [...(byPeriod.get(p.period) ?? []), p]);
    for (const [period, list] of byPeriod) {
      let lease = own;
      if (period !== this.o.period.id) {
        try {
          lease = await holdLease(this.l, period, this.id, this.leaseOptions());
        } catch (err) {
          if (!(err instanceof LeaseHeld)) throw err;
          this.o.log("info", "open payouts of another period are being settled by its run", { period });
          continue;
        }
      }
      try {
        for (const p of list) await this.settle(p, lease);
      } finally {
        if (lease !== own) await lease.release();
      }
    }
  }

  /** Step 4: retries and new payouts of this period; the channels skipped. */
  async create(accounts: Map<string, PayoutAccount>): Promise<Skip[]> {
    const period = this.o.period.id;
    const existing = await this.l.db.select().from(payouts).where(eq(payouts.period, period));
    const balances = new Map((await channelBalances(this.l)).map((b) => [b.channelId, b.cents]));
    const skipped: Skip[] = [];
    const reasonOf = (channelId: string, cents: number): Skip["reason"] | null => {
      const account = accounts.get(channelId);
      if (!account) return "no_account";
      if (!account.payoutsEnabled) return "payouts_disabled";
      return cents < this.o.minimumCents ? "below_minimum" : null;
    };
    for (const p of existing.filter((x) => x.state === "failed")) {
      // Retried once the channel can be paid again (the payout keeps its own destination and amount:
      // every attempt must send identical parameters); the minimum was met when it was created.
      const reason = reasonOf(p.channelId, Number.MAX_SAFE_INTEGER);
      if (reason) {
        skipped.push({
          channelId: p.channelId,
          reason,
          balanceCents: Math.max(0, balances.get(p.channelId) ?? 0),
        });
        continue;
      }
      const current = accounts.get(p.channelId)?.stripeAccountId;
      if (current !== p.stripeAccountId) {
        // The channel onboarded again since: an attempt must send what the first one did, so it is
        // not retried to the old account. It stays failed; its money is back in the payable, which
        // the channel's next period pays to the current account.
        this.o.log("warn", "failed payout not retried: the channel's Stripe account changed", {
          payoutId: p.id,
          channelId: p.channelId,
          from: p.stripeAccountId,
          to: current,
        });
        continue;
      }
      const moved = await retryFailed(this.l, p, this.id);
      if (moved) this.touched.add(p.id);
      else this.o.log("info", "failed payout superseded by a later payout", { payoutId: p.id });
    }
    const has = new Set(existing.map((p) => p.channelId));
    for (const [channelId, cents] of balances) {
      if (cents <= 0 || has.has(channelId)) continue;
      const reason = reasonOf(channelId, cents);
      const account = accounts.get(channelId);
      if (reason || !account) {
        skipped.push({ channelId, reason: reason ?? "no_account", balanceCents: cents });
        continue;
      }
      const p = await createPayout(this.l, {
        period,
        channelId,
        stripeAccountId: account.stripeAccountId,
        amountCents: cents,
        runId: this.id,
        now: this.now(),
      });
      if (p) this.touched.add(p.id);
    }
    return skipped;
  }

  /** Steps 5-6 inputs: this period's payouts, settled in creation order. */
  async pay(lease: HeldLease): Promise<void> {
    const list = await this.l.db
      .select()
      .from(payouts)
      .where(and(eq(payouts.period, this.o.period.id), inArray(payouts.state, ["pending", "submitting"])))
      .orderBy(payouts.createdAt, payouts.channelId);
    for (const p of list) await this.settle(p, lease);
  }

  async summary(skipped: Skip[], error: string | null): Promise<PayoutRun> {
    const mine = await this.l.db.select().from(payouts).where(eq(payouts.period, this.o.period.id));
    const paid = mine.filter((p) => p.state === "paid");
    const trial = await trialBalance(this.l);
    const problem = error ?? (trial !== 0 ? `trial balance is ${trial} cents, not 0` : null);
    // Not a failed run, but the admin page must show it: the run's error text is what it shows.
    const check =
      this.toCheck.size > 0
        ? `left submitting for a person to check (its transfer at Stripe does not match): ${[...this.toCheck].join(", ")}`
        : null;
    return {
      id: this.id,
      period: this.o.period.id,
      startedAt: this.startedAt,
      finishedAt: this.now(),
      state: problem ? "failed" : "finished",
      paidCount: paid.length,
      paidCents: paid.reduce((a, p) => a + p.amountCents, 0),
      failedCount: mine.filter((p) => p.state === "failed").length,
      skipped,
      trialBalanceCents: trial,
      balances: await balancesByKind(this.l),
      error: [problem, check].filter(Boolean).join("; ").slice(0, 500) || null,
    };
  }

  /**
   * Earnings of the period; payouts of the period, those this run changed, and those changed since
   * the previous run started (so a run whose publish failed is caught up by the next one).
   */
  async publish(run: PayoutRun): Promise<void> {
    const [prev] = await this.l.db
      .select({ startedAt: payoutRuns.startedAt })
      .from(payoutRuns)
      .where(and(ne(payoutRuns.id, this.id), lt(payoutRuns.startedAt, this.startedAt)))
      .orderBy(desc(payoutRuns.startedAt))
      .limit(1);
    const conds = [eq(payouts.period, this.o.period.id)];
    if (this.touched.size > 0) conds.push(inArray(payouts.id, [...this.touched]));
    if (prev) conds.push(gte(payouts.updatedAt, prev.startedAt));
    const changed = await this.l.db
      .select()
      .from(payouts)
      .where(or(...conds))
      .orderBy(payouts.period, payouts.channelId);
    const earnings = await earningsOf(this.l, this.o.period.id);
    try {
      await this.o.edge.publish({ earnings, payouts: changed.map(recordOf), run });
    } catch (err) {
      this.o.log("warn", "publishing statements to the edge failed; the next run publishes again", {
        period: this.o.period.id,
        error: errorMessage(err),
      });
    }
  }

  leaseOptions(): LeaseOptions {
    return {
      ...this.o.lease,
      onError: (err) => this.o.log("warn", "payout lease renewal failed", { error: errorMessage(err) }),
    };
  }
}

/**
 * Runs the period. Throws LeaseHeld (another run has it), PeriodNotClosed (the edge's 409) before
 * anything is written; any later error is recorded as a failed run (stored and published) and
 * rethrown. Returns the run's summary.
 */
export async function runPayouts(o: RunOptions): Promise<PayoutRun> {
  const run = new Run(o);
  const l = o.ledger;
  const lease = await holdLease(l, o.period.id, run.id, run.leaseOptions());
  let skipped: Skip[] = [];
  let started = false;
  try {
    const snap = await run.snapshot();
    // A run of this period still "running" died (we hold the period's lease, so it is not alive).
    await l.db
      .update(payoutRuns)
      .set({ state: "failed", finishedAt: run.startedAt })
      .where(and(eq(payoutRuns.period, o.period.id), eq(payoutRuns.state, "running")));
    await l.db.insert(payoutRuns).values({
      id: run.id,
      period: o.period.id,
      state: "running",
      startedAt: run.startedAt,
    });
    started = true;
    await recordPeriod(l, snap);
    await run.recover(lease);
    const accounts = new Map((await o.edge.accounts()).map((a) => [a.channelId, a]));
    skipped = await run.create(accounts);
    await run.pay(lease);
    const summary = await run.summary(skipped, null);
    await finish(l, summary);
    await run.publish(summary);
    o.log(summary.state === "finished" ? "info" : "error", "payout run finished", { ...summary });
    return summary;
  } catch (err) {
    if (started) {
      const message =
        err instanceof StripeCredentialsError ? err.message : `run failed: ${errorMessage(err)}`;
      const summary = await run.summary(skipped, message).catch(() => null);
      if (summary) {
        await finish(l, summary).catch(() => {});
        await run.publish(summary);
      }
    }
    throw err;
  } finally {
    await lease
      .release()
      .catch((err) => o.log("warn", "payout lease release failed", { error: errorMessage(err) }));
  }
}

async function finish(l: Ledger, summary: PayoutRun): Promise<void> {
  await l.db
    .update(payoutRuns)
    .set({ state: summary.state, finishedAt: summary.finishedAt, summaryJson: JSON.stringify(summary) })
    .where(eq(payoutRuns.id, summary.id));
}

/** Whether the period has a finished run (the monthly schedule's "already paid" check). */
export async function hasFinishedRun(l: Ledger, period: string): Promise<boolean> {
  const rows = await l.db
    .select({ id: payoutRuns.id })
    .from(payoutRuns)
    .where(and(eq(payoutRuns.period, period), eq(payoutRuns.state, "finished")))
    .limit(1);
  return rows.length > 0;
}
