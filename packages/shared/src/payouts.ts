/**
 * Creator payouts: what the edge and the origin agree on (docs/payouts.md).
 *
 * - A **period** is a calendar month in UTC (`2026-11`) or, for tests and small operators, a UTC day
 *   (`2026-11-15`). It covers [start, end) in epoch ms.
 * - A fact belongs to the period of its `recorded_at`: the moment the edge's D1 stored it, stamped by
 *   SQL in the inserting statement (never the client's clock, never a provider's). D1 runs one
 *   transaction at a time, so once a period has ended no fact can still land in it: a late fact
 *   simply lands in the next open period. That is what makes a closed period's facts immutable.
 * - The wire shapes of the edge's `/internal/payouts/...` API (the origin reads facts and writes
 *   statements back) are the zod schemas below, parsed on both sides.
 */
import { z } from "zod";

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DAY = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export type PeriodKind = "month" | "day";
export interface Period {
  id: string;
  kind: PeriodKind;
  /** Inclusive, epoch ms (UTC midnight). */
  start: number;
  /** Exclusive, epoch ms. */
  end: number;
}

/** "2026-11" or "2026-11-15" → the period; null for anything else (including "2026-02-30"). */
export function parsePeriod(id: string): Period | null {
  const month = MONTH.exec(id);
  if (month) {
    const y = Number(month[1]);
    const m = Number(month[2]) - 1;
    return { id, kind: "month", start: Date.UTC(y, m, 1), end: Date.UTC(y, m + 1, 1) };
  }
  const day = DAY.exec(id);
  if (day) {
    const start = Date.UTC(Number(day[1]), Number(day[2]) - 1, Number(day[3]));
    // Date.UTC rolls 2026-02-30 over to March: refuse it rather than pay for the wrong day.
    if (new Date(start).toISOString().slice(0, 10) !== id) return null;
    return { id, kind: "day", start, end: start + 86_400_000 };
  }
  return null;
}

/** The month period that contains `ms`. */
export function monthOf(ms: number): Period {
  return parsePeriod(new Date(ms).toISOString().slice(0, 7)) as Period;
}

/** The month before the one containing `ms` (the one the monthly schedule pays). */
export function previousMonthOf(ms: number): Period {
  const d = new Date(ms);
  return monthOf(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1));
}

export const PeriodId = z
  .string()
  .refine((v) => parsePeriod(v) !== null, "must be a UTC month (2026-11) or day (2026-11-15)");

const Cents = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const Id = z.string().min(1).max(64);

/** The revenue-share rules in force for a period; frozen with its facts. */
export const ShareRulesSchema = z.object({
  /** Creators' share of the ad revenue their videos brought, percent (default 55). */
  creatorAdSharePct: z.number().int().min(0).max(100),
  /** Share of net premium revenue that forms the creators' premium pool, percent (default 55). */
  premiumPoolPct: z.number().int().min(0).max(100),
});
export type ShareRules = z.infer<typeof ShareRulesSchema>;

/** GET /internal/payouts/periods/{period}: the period's totals (409 `period_open` until it has ended). */
export const PeriodFactsSchema = z.object({
  period: PeriodId,
  start: z.number().int(),
  end: z.number().int(),
  currency: z.literal("usd"),
  rules: ShareRulesSchema,
  /** Subscription payments recorded in the period (Stripe invoices paid, PayPal sales completed). */
  premiumPaidCents: Cents,
  /** Refunds recorded in the period. */
  premiumRefundedCents: Cents,
  /** Σ over channels of adMillicents (a check on the paged list). */
  adMillicents: Cents,
  /** Σ over channels of premiumWatchMs. */
  premiumWatchMs: Cents,
  /** Channels with any fact in the period. */
  channelCount: z.number().int().nonnegative(),
});
export type PeriodFacts = z.infer<typeof PeriodFactsSchema>;

/** One channel's facts in a period, and where it can be paid. */
export const ChannelFactsSchema = z.object({
  channelId: Id,
  /** Σ price_millicents of the billable ad impressions before its videos (1 millicent = 1/1000 cent). */
  adMillicents: Cents,
  /** Milliseconds its videos were played by profiles whose account had a paid plan (not its own). */
  premiumWatchMs: Cents,
});
export type ChannelFacts = z.infer<typeof ChannelFactsSchema>;

/** GET /internal/payouts/periods/{period}/channels?cursor&limit: the pagination module's page. */
export const ChannelFactsPageSchema = z.object({
  items: z.array(ChannelFactsSchema),
  nextCursor: z.string().nullable(),
});

/** A channel's Stripe Connect account as the edge knows it (account.updated keeps it current). */
export const PayoutAccountSchema = z.object({
  channelId: Id,
  stripeAccountId: z.string().min(1).max(255),
  payoutsEnabled: z.boolean(),
});
/** GET /internal/payouts/accounts?cursor&limit */
export const PayoutAccountPageSchema = z.object({
  items: z.array(PayoutAccountSchema),
  nextCursor: z.string().nullable(),
});

export const PAYOUT_STATES = ["pending", "submitting", "paid", "failed"] as const;
export type PayoutState = (typeof PAYOUT_STATES)[number];
/** A payout only moves forward in this order, except failed → submitting (a retry by the next run). */
export const PAYOUT_STATE_RANK: Record<PayoutState, number> = {
  pending: 0,
  submitting: 1,
  failed: 2,
  paid: 3,
};

/** One channel's earnings in one period, in cents, as the ledger computed them. */
export const EarningSchema = z.object({
  channelId: Id,
  period: PeriodId,
  adsCents: Cents,
  premiumCents: Cents,
});

export const PayoutRecordSchema = z.object({
  id: Id,
  channelId: Id,
  period: PeriodId,
  amountCents: Cents,
  currency: z.literal("usd"),
  state: z.enum(PAYOUT_STATES),
  stripeTransferId: z.string().max(255).nullable(),
  failure: z.string().max(500).nullable(),
  /** Epoch ms of the origin's last change; the edge keeps the newest. */
  updatedAt: z.number().int(),
});
export type PayoutRecord = z.infer<typeof PayoutRecordSchema>;

export const SKIP_REASONS = ["no_account", "payouts_disabled", "below_minimum"] as const;

export const PayoutRunSchema = z.object({
  id: Id,
  period: PeriodId,
  startedAt: z.number().int(),
  finishedAt: z.number().int().nullable(),
  state: z.enum(["running", "finished", "failed"]),
  paidCount: z.number().int().nonnegative(),
  paidCents: Cents,
  failedCount: z.number().int().nonnegative(),
  skipped: z
    .array(z.object({ channelId: Id, reason: z.enum(SKIP_REASONS), balanceCents: Cents }))
    .max(10_000),
  /** Σ of every journal line in the ledger: must be 0. */
  trialBalanceCents: z.number().int(),
  /** Balances per ledger account kind after the run (platform_revenue, channel_payable, …), cents. */
  balances: z.record(z.string(), z.number().int()),
  error: z.string().max(500).nullable(),
});
export type PayoutRun = z.infer<typeof PayoutRunSchema>;

/** POST /internal/payouts/statements: what the origin publishes after computing or paying (≤ 500 rows each). */
export const StatementsBodySchema = z.object({
  earnings: z.array(EarningSchema).max(500),
  payouts: z.array(PayoutRecordSchema).max(500),
  run: PayoutRunSchema.nullable(),
});
export type StatementsBody = z.infer<typeof StatementsBodySchema>;
