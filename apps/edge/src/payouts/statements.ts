/**
 * What the origin publishes back after computing or paying a period (POST
 * /internal/payouts/statements): the edge's copies of the ledger's earnings, the payout records and
 * the run, for GET /me/earnings, /me/payouts and the admin's run list. The ledger is the truth;
 * these rows only follow it, so every write is an idempotent upsert, all in ONE D1 batch (one
 * transaction: a statement lands whole or not at all):
 *
 * - earnings: the latest statement wins (the ledger recomputes a period to the same figures);
 * - payouts: an incoming record replaces the stored one only if it is at least as new (`updatedAt`,
 *   the origin's clock) and does not move the state backwards (PAYOUT_STATE_RANK), except
 *   failed → submitting (the next run's retry). So statements landing out of order (a retry of an
 *   older publish) never show a paid payout as submitting again;
 * - runs: by id; a finished or failed run is never set back to running. Each run state the edge
 *   takes on is audited once (`payouts.run` by ORIGIN), in the same batch: a replay records nothing.
 *
 * A row is written only when something in it differs, so the answer counts the rows that changed and
 * a statement applied twice answers zeros and changes nothing.
 */
import { PAYOUT_STATE_RANK, type StatementsBody } from "@marquee/shared";
import { and, eq, type SQL, sql } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { sealQuietly } from "../audit/chain";
import { auditInsertIf, ORIGIN } from "../audit/log";
import { creatorEarnings, creatorPayouts, payoutRuns } from "../db/schema";
import type { Services } from "../services";

export interface StatementsResult {
  /** Earnings rows inserted or changed. */
  earnings: number;
  /** Payout rows inserted or changed. */
  payouts: number;
  /** Whether the run row was inserted or changed. */
  run: boolean;
}

/** D1 binds at most 100 parameters per statement: rows per INSERT for 5 and 9 bound columns. */
const EARNINGS_PER_INSERT = 20;
const PAYOUTS_PER_INSERT = 11;

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** The proposed row's value of `column` in an upsert (SQLite's `excluded.<name>`). */
const excluded = (column: SQLiteColumn) => sql`excluded.${sql.identifier(column.name)}`;

/**
 * `(stored columns) IS NOT (proposed columns)`: the upsert changes something (IS NOT compares
 * NULLs as values). Row values, which drizzle has no builder for.
 */
const differs = (columns: SQLiteColumn[]): SQL =>
  sql`(${sql.join(columns, sql`, `)}) IS NOT (${sql.join(columns.map(excluded), sql`, `)})`;

/**
 * A payout state's rank as SQL, from PAYOUT_STATE_RANK itself so the two cannot drift. The states
 * and ranks are our constants (lower-case words, integers), inlined rather than bound so the CASE
 * costs none of the statement's 100 parameters.
 */
const rankOf = (state: SQL | SQLiteColumn): SQL =>
  sql`(CASE ${state} ${sql.raw(
    Object.entries(PAYOUT_STATE_RANK)
      .map(([name, rank]) => `WHEN '${name}' THEN ${rank}`)
      .join(" "),
  )} ELSE -1 END)`;

export async function applyStatements(
  s: Pick<Services, "db"> & Partial<Pick<Services, "requestId" | "log">>,
  body: StatementsBody,
): Promise<StatementsResult> {
  const db = s.db;
  const now = Date.now();

  const earnings = chunks(body.earnings, EARNINGS_PER_INSERT).map((rows) =>
    db
      .insert(creatorEarnings)
      .values(rows.map((e) => ({ ...e, updatedAt: now })))
      .onConflictDoUpdate({
        target: [creatorEarnings.channelId, creatorEarnings.period],
        set: {
          adsCents: excluded(creatorEarnings.adsCents),
          premiumCents: excluded(creatorEarnings.premiumCents),
          updatedAt: excluded(creatorEarnings.updatedAt),
        },
        setWhere: differs([creatorEarnings.adsCents, creatorEarnings.premiumCents]),
      })
      .returning({ channelId: creatorEarnings.channelId }),
  );

  const payoutColumns = [
    creatorPayouts.channelId,
    creatorPayouts.period,
    creatorPayouts.amountCents,
    creatorPayouts.currency,
    creatorPayouts.state,
    creatorPayouts.stripeTransferId,
    creatorPayouts.failure,
    creatorPayouts.updatedAt,
  ];
  const payouts = chunks(body.payouts, PAYOUTS_PER_INSERT).map((rows) =>
    db
      .insert(creatorPayouts)
      .values(rows)
      .onConflictDoUpdate({
        target: creatorPayouts.id,
        set: {
          channelId: excluded(creatorPayouts.channelId),
          period: excluded(creatorPayouts.period),
          amountCents: excluded(creatorPayouts.amountCents),
          currency: excluded(creatorPayouts.currency),
          state: excluded(creatorPayouts.state),
          stripeTransferId: excluded(creatorPayouts.stripeTransferId),
          failure: excluded(creatorPayouts.failure),
          updatedAt: excluded(creatorPayouts.updatedAt),
        },
        setWhere: sql`${excluded(creatorPayouts.updatedAt)} >= ${creatorPayouts.updatedAt}
          AND (${rankOf(excluded(creatorPayouts.state))} >= ${rankOf(creatorPayouts.state)}
               OR (${creatorPayouts.state} = 'failed' AND ${excluded(creatorPayouts.state)} = 'submitting'))
          AND ${differs(payoutColumns)}`,
      })
      .returning({ id: creatorPayouts.id }),
  );

  const run = body.run;
  const runColumns = [
    payoutRuns.period,
    payoutRuns.startedAt,
    payoutRuns.finishedAt,
    payoutRuns.state,
    payoutRuns.paidCount,
    payoutRuns.paidCents,
    payoutRuns.failedCount,
    payoutRuns.skippedJson,
    payoutRuns.trialBalanceCents,
    payoutRuns.balancesJson,
    payoutRuns.error,
  ];
  const runs = run
    ? [
        db
          .insert(payoutRuns)
          .values({
            id: run.id,
            period: run.period,
            startedAt: run.startedAt,
            finishedAt: run.finishedAt,
            state: run.state,
            paidCount: run.paidCount,
            paidCents: run.paidCents,
            failedCount: run.failedCount,
            skippedJson: JSON.stringify(run.skipped),
            trialBalanceCents: run.trialBalanceCents,
            balancesJson: JSON.stringify(run.balances),
            error: run.error,
            updatedAt: now,
          })
          .onConflictDoUpdate({
            target: payoutRuns.id,
            set: {
              period: excluded(payoutRuns.period),
              startedAt: excluded(payoutRuns.startedAt),
              finishedAt: excluded(payoutRuns.finishedAt),
              state: excluded(payoutRuns.state),
              paidCount: excluded(payoutRuns.paidCount),
              paidCents: excluded(payoutRuns.paidCents),
              failedCount: excluded(payoutRuns.failedCount),
              skippedJson: excluded(payoutRuns.skippedJson),
              trialBalanceCents: excluded(payoutRuns.trialBalanceCents),
              balancesJson: excluded(payoutRuns.balancesJson),
              error: excluded(payoutRuns.error),
              updatedAt: excluded(payoutRuns.updatedAt),
            },
            // A late "running" publish never reopens a run that has ended.
            setWhere: sql`(${payoutRuns.state} = 'running' OR ${excluded(payoutRuns.state)} <> 'running')
              AND ${differs(runColumns)}`,
          })
          .returning({ id: payoutRuns.id }),
      ]
    : [];

  // Read apart from building the insert: awaiting a drizzle builder would run it outside the batch.
  const storedRun = run ? await storedRunState(s, run.id) : null;
  const audits = run ? [runAudit(s, run, storedRun)] : [];
  // The audit row before the run's upsert, so its guard sees the stored run as it was.
  const statements: BatchItem<"sqlite">[] = [...earnings, ...payouts, ...audits, ...runs];
  if (statements.length === 0) return { earnings: 0, payouts: 0, run: false };
  const results = (await db.batch(
    statements as [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]],
  )) as unknown[][];
  const changed = (from: number, n: number) =>
    results.slice(from, from + n).reduce((sum, r) => sum + r.length, 0);
  const runChanged = changed(earnings.length + payouts.length + audits.length, runs.length) > 0;
  if (runChanged) await sealQuietly({ db, log: s.log }, "payouts.run");
  return {
    earnings: changed(0, earnings.length),
    payouts: changed(earnings.length, payouts.length),
    run: runChanged,
  };
}

type RunStatement = NonNullable<StatementsBody["run"]>;

/**
 * The audit row of a run taking a state (new, or moved to another state), by ORIGIN: written unless
 * the stored run already has that state, or has ended while this publish says "running" (the upsert
 * ignores that one too). So each run id + state is recorded once, however often it is published.
 */
function runAudit(s: Pick<Services, "db" | "requestId">, run: RunStatement, storedState: string | null) {
  const unchanged =
    run.state === "running"
      ? eq(payoutRuns.id, run.id)
      : and(eq(payoutRuns.id, run.id), eq(payoutRuns.state, run.state));
  return auditInsertIf(
    s,
    ORIGIN,
    {
      action: "payouts.run",
      targetType: "payout_run",
      targetId: run.id,
      before: storedState === null ? null : { state: storedState },
      after: {
        state: run.state,
        period: run.period,
        paidCount: run.paidCount,
        paidCents: run.paidCents,
        failedCount: run.failedCount,
        skipped: run.skipped.length,
        trialBalanceCents: run.trialBalanceCents,
      },
      reason: run.error,
    },
    { notExists: s.db.select({ id: payoutRuns.id }).from(payoutRuns).where(unchanged) },
  );
}

async function storedRunState(s: Pick<Services, "db">, runId: string): Promise<string | null> {
  const [row] = await s.db
    .select({ state: payoutRuns.state })
    .from(payoutRuns)
    .where(eq(payoutRuns.id, runId));
  return row?.state ?? null;
}
