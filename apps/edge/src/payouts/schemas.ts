import { z } from "@hono/zod-openapi";
import { PAYOUT_STATES, SKIP_REASONS } from "@marquee/shared";
import { pageOf } from "../lib/pagination";

const Cents = z.number().int();

export const OnboardingLink = z
  .object({
    /** Stripe's hosted onboarding page; single-use, valid until `expiresAt`. */
    url: z.string(),
    /** Epoch ms. */
    expiresAt: z.number().int(),
    stripeAccountId: z.string(),
    payoutsEnabled: z.boolean(),
  })
  .openapi("PayoutOnboarding");

export const PayoutAccountState = z.enum(["none", "pending", "enabled"]);

export const EarningPeriod = z
  .object({
    period: z.string(),
    adsCents: Cents,
    premiumCents: Cents,
    totalCents: Cents,
    /** The part of this period's total covered by paid payouts (allocated to periods oldest first). */
    paidCents: Cents,
    pendingCents: Cents,
  })
  .openapi("EarningPeriod");

export const EarningsPage = pageOf("EarningsPage", EarningPeriod, {
  currency: z.literal("usd"),
  account: z.object({ state: PayoutAccountState }),
  totals: z.object({ earnedCents: Cents, paidCents: Cents, pendingCents: Cents }),
  /** The channel's share of the open month if it closed now (null when it has no fact in it yet). */
  estimate: z.object({ period: z.string(), adsCents: Cents, premiumCents: Cents }).nullable(),
});

export const PayoutItem = z
  .object({
    id: z.string(),
    period: z.string(),
    amountCents: Cents,
    currency: z.string(),
    state: z.enum(PAYOUT_STATES),
    stripeTransferId: z.string().nullable(),
    failure: z.string().nullable(),
    /** Epoch ms of the origin's last change. */
    updatedAt: z.number().int(),
  })
  .openapi("CreatorPayout");
export const PayoutPage = pageOf("CreatorPayoutPage", PayoutItem);

/** A payout run as the origin published it (PayoutRunSchema in packages/shared/src/payouts.ts). */
export const PayoutRun = z
  .object({
    id: z.string(),
    period: z.string(),
    startedAt: z.number().int(),
    finishedAt: z.number().int().nullable(),
    state: z.enum(["running", "finished", "failed"]),
    paidCount: z.number().int(),
    paidCents: Cents,
    failedCount: z.number().int(),
    /** Channels not paid, and why (no account, payouts not enabled, under the minimum). */
    skipped: z.array(z.object({ channelId: z.string(), reason: z.enum(SKIP_REASONS), balanceCents: Cents })),
    /** Σ of every journal line in the ledger after the run: 0 unless something is badly wrong. */
    trialBalanceCents: Cents,
    /** Balance per ledger account kind after the run, cents. */
    balances: z.record(z.string(), Cents),
    error: z.string().nullable(),
  })
  .openapi("PayoutRun");
export const PayoutRunPage = pageOf("PayoutRunPage", PayoutRun);
