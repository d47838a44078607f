import type { PayoutState } from "@marquee/shared";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { channelRef } from "./channels";
import { now, timestamps } from "./columns";

/**
 * A channel's Stripe Connect (Express) account, created by POST /me/payouts/onboarding and kept
 * current by `account.updated` webhooks, each applied from a fresh read of the account (so they
 * land in any order). The origin pays only channels whose `payouts_enabled` is true.
 */
export const payoutAccounts = sqliteTable(
  "payout_accounts",
  {
    channelId: channelRef().primaryKey(),
    stripeAccountId: text("stripe_account_id").notNull(),
    payoutsEnabled: integer("payouts_enabled", { mode: "boolean" }).notNull().default(false),
    detailsSubmitted: integer("details_submitted", { mode: "boolean" }).notNull().default(false),
    ...timestamps(),
  },
  (t) => [uniqueIndex("payout_accounts_stripe_unique").on(t.stripeAccountId)],
);

/**
 * The edge's copy of what the origin's ledger computed and paid (POST /internal/payouts/statements),
 * for GET /me/earnings, /me/payouts and the admin's run list. The ledger is the truth; these rows
 * are rewritten from it. No foreign key to channels: money records outlive a deleted channel.
 */
export const creatorEarnings = sqliteTable(
  "creator_earnings",
  {
    channelId: text("channel_id").notNull(),
    period: text("period").notNull(),
    adsCents: integer("ads_cents").notNull(),
    premiumCents: integer("premium_cents").notNull(),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [primaryKey({ columns: [t.channelId, t.period] })],
);

export const creatorPayouts = sqliteTable(
  "creator_payouts",
  {
    id: text("id").primaryKey(),
    channelId: text("channel_id").notNull(),
    period: text("period").notNull(),
    amountCents: integer("amount_cents").notNull(),
    currency: text("currency").notNull(),
    state: text("state").$type<PayoutState>().notNull(),
    stripeTransferId: text("stripe_transfer_id"),
    failure: text("failure"),
    /** The origin's clock at its last change: an older statement never overwrites a newer one. */
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("creator_payouts_channel_keyset_idx").on(t.channelId, t.period, t.id)],
);

export const payoutRuns = sqliteTable(
  "payout_runs",
  {
    id: text("id").primaryKey(),
    period: text("period").notNull(),
    startedAt: integer("started_at").notNull(),
    finishedAt: integer("finished_at"),
    state: text("state").$type<"running" | "finished" | "failed">().notNull(),
    paidCount: integer("paid_count").notNull().default(0),
    paidCents: integer("paid_cents").notNull().default(0),
    failedCount: integer("failed_count").notNull().default(0),
    /** JSON: [{ channelId, reason, balanceCents }]. */
    skippedJson: text("skipped_json").notNull().default("[]"),
    trialBalanceCents: integer("trial_balance_cents").notNull().default(0),
    /** JSON: { accountKind: cents }. */
    balancesJson: text("balances_json").notNull().default("{}"),
    error: text("error"),
    updatedAt: integer("updated_at").notNull().default(now),
  },
  (t) => [index("payout_runs_keyset_idx").on(t.startedAt, t.id)],
);

/**
 * Refunds of subscription payments (Stripe `refund.*`, PayPal `PAYMENT.SALE.REFUNDED`), applied once
 * by provider id, counted in the period of `recorded_at` (the edge's clock when first stored).
 */
export const billingRefunds = sqliteTable(
  "billing_refunds",
  {
    provider: text("provider").$type<"stripe" | "paypal">().notNull(),
    providerRefundId: text("provider_refund_id").notNull(),
    amountCents: integer("amount_cents").notNull(),
    currency: text("currency").notNull(),
    /** Only `succeeded` refunds reduce the premium revenue. */
    status: text("status").$type<"pending" | "succeeded" | "failed" | "canceled">().notNull(),
    recordedAt: integer("recorded_at").notNull(),
    ...timestamps(),
  },
  (t) => [
    primaryKey({ columns: [t.provider, t.providerRefundId] }),
    index("billing_refunds_recorded_idx").on(t.recordedAt),
  ],
);
