/**
 * The payout ledger (docs/payouts.md), in the origin's libSQL database: a local SQLite file by
 * default, a Turso/libSQL URL in production (DATABASE_URL).
 *
 * Double entry: every journal entry's lines sum to zero and are written in one transaction with
 * it; an entry is never updated or deleted (corrections are new entries). `external_id` is unique,
 * so writing the same fact twice (a recomputed period, a retried run) writes nothing the second time.
 * Amounts are integer cents; a line's amount is positive for a debit, negative for a credit.
 */
import type { PayoutState } from "@marquee/shared";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const LEDGER_ACCOUNT_KINDS = [
  /** What the platform keeps (credit balance). */
  "platform_revenue",
  /** What the platform owes one channel (credit balance); one account per channel. */
  "channel_payable",
  /** Payouts sent to Stripe and not yet confirmed (credit balance). */
  "payouts_in_transit",
  /** Money at Stripe: collected revenue in, transfers out (debit balance). */
  "stripe_clearing",
] as const;
export type LedgerAccountKind = (typeof LEDGER_ACCOUNT_KINDS)[number];

export const ledgerAccounts = sqliteTable(
  "ledger_accounts",
  {
    /** `platform_revenue`, `payouts_in_transit`, `stripe_clearing`, `channel_payable:<channelId>`. */
    id: text("id").primaryKey(),
    kind: text("kind").$type<LedgerAccountKind>().notNull(),
    channelId: text("channel_id"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("ledger_accounts_kind_idx").on(t.kind, t.channelId)],
);

export const journalEntries = sqliteTable(
  "journal_entries",
  {
    id: text("id").primaryKey(),
    /** What the entry records, e.g. `revenue:2026-11:ads`, `payout:<id>:reserve`; unique. */
    externalId: text("external_id").notNull(),
    period: text("period"),
    kind: text("kind").notNull(),
    memo: text("memo").notNull().default(""),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("journal_entries_external_unique").on(t.externalId)],
);

export const journalLines = sqliteTable(
  "journal_lines",
  {
    entryId: text("entry_id")
      .notNull()
      .references(() => journalEntries.id),
    accountId: text("account_id")
      .notNull()
      .references(() => ledgerAccounts.id),
    /** Cents; debit > 0, credit < 0. */
    amountCents: integer("amount_cents").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.entryId, t.accountId] }),
    index("journal_lines_account_idx").on(t.accountId),
  ],
);

/**
 * The facts of a closed period as first read from the edge (JSON), with the share rules in force:
 * every later computation of the period reads this, so recomputing can never change it.
 */
export const periodSnapshots = sqliteTable("period_snapshots", {
  period: text("period").primaryKey(),
  /** JSON: { facts: PeriodFacts, channels: ChannelFacts[] }. */
  factsJson: text("facts_json").notNull(),
  fetchedAt: integer("fetched_at").notNull(),
});

/** One payout per channel and period; its state only moves by conditional updates (payouts/run.ts). */
export const payouts = sqliteTable(
  "payouts",
  {
    id: text("id").primaryKey(),
    period: text("period").notNull(),
    channelId: text("channel_id").notNull(),
    stripeAccountId: text("stripe_account_id").notNull(),
    amountCents: integer("amount_cents").notNull(),
    state: text("state").$type<PayoutState>().notNull(),
    /** Bumped when a failed payout is tried again; part of the Idempotency-Key. */
    attempt: integer("attempt").notNull().default(1),
    stripeTransferId: text("stripe_transfer_id"),
    failure: text("failure"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("payouts_period_channel_unique").on(t.period, t.channelId),
    index("payouts_state_idx").on(t.state),
  ],
);

/** Append-only: one row per payout state change. */
export const payoutEvents = sqliteTable(
  "payout_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    payoutId: text("payout_id").notNull(),
    fromState: text("from_state").$type<PayoutState>(),
    toState: text("to_state").$type<PayoutState>().notNull(),
    runId: text("run_id"),
    detail: text("detail"),
    at: integer("at").notNull(),
  },
  (t) => [index("payout_events_payout_idx").on(t.payoutId)],
);

/** A run's hold on a period: one holder at a time, lapsing at `expires_at` unless renewed. */
export const payoutLeases = sqliteTable("payout_leases", {
  period: text("period").primaryKey(),
  holder: text("holder").notNull(),
  expiresAt: integer("expires_at").notNull(),
});

export const payoutRuns = sqliteTable(
  "payout_runs",
  {
    id: text("id").primaryKey(),
    period: text("period").notNull(),
    state: text("state").$type<"running" | "finished" | "failed">().notNull(),
    startedAt: integer("started_at").notNull(),
    finishedAt: integer("finished_at"),
    /** JSON of the PayoutRun statement published to the edge. */
    summaryJson: text("summary_json"),
  },
  (t) => [index("payout_runs_period_idx").on(t.period, t.startedAt)],
);
