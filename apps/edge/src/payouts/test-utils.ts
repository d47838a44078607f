/**
 * Payouts test helpers: the rows the origin publishes (POST /internal/payouts/statements), written
 * straight into D1 so the creator routes are tested on their own, and the onboarding calls.
 */
import { env } from "cloudflare:test";
import type { PayoutState } from "@marquee/shared";
import { lowerId, testDb } from "../../test/fixtures";
import { api, apiJson, type SeededAccount } from "../../test/harness";
import { loadConfig } from "../config";
import { creatorEarnings, creatorPayouts, payoutRuns } from "../db/schema";

/** What refreshPayoutAccount and the facts need, as the worker builds them. */
export const testServices = () => ({ db: testDb(), config: loadConfig(env), env });

export async function insertEarning(
  channelId: string,
  period: string,
  adsCents: number,
  premiumCents: number,
) {
  await testDb().insert(creatorEarnings).values({ channelId, period, adsCents, premiumCents });
}

export async function insertPayout(
  channelId: string,
  period: string,
  amountCents: number,
  state: PayoutState,
  row: Partial<typeof creatorPayouts.$inferInsert> = {},
): Promise<string> {
  const id = row.id ?? lowerId("po", "fx");
  await testDb()
    .insert(creatorPayouts)
    .values({
      id,
      channelId,
      period,
      amountCents,
      currency: "usd",
      state,
      stripeTransferId: state === "paid" ? `tr_${id}` : null,
      failure: state === "failed" ? "insufficient_capabilities_for_transfer" : null,
      updatedAt: Date.now(),
      ...row,
    });
  return id;
}

export async function insertRun(row: Partial<typeof payoutRuns.$inferInsert> = {}): Promise<string> {
  const id = row.id ?? lowerId("run", "fx");
  await testDb()
    .insert(payoutRuns)
    .values({
      id,
      period: "2026-10",
      startedAt: Date.now(),
      finishedAt: Date.now(),
      state: "finished",
      paidCount: 1,
      paidCents: 1500,
      skippedJson: JSON.stringify([{ channelId: "ch_small", reason: "below_minimum", balanceCents: 300 }]),
      balancesJson: JSON.stringify({ channel_payable: 300, platform_revenue: 1200 }),
      ...row,
    });
  return id;
}

export interface Onboarding {
  url: string;
  expiresAt: number;
  stripeAccountId: string;
  payoutsEnabled: boolean;
}

export const onboardingOf = (who: SeededAccount | string) =>
  api("/api/v1/me/payouts/onboarding", {
    method: "POST",
    token: typeof who === "string" ? who : who.accessToken,
  });

export const onboard = (who: SeededAccount) =>
  apiJson<Onboarding>("/api/v1/me/payouts/onboarding", 200, { method: "POST", token: who.accessToken });

export interface EarningsJson {
  currency: string;
  account: { state: "none" | "pending" | "enabled" };
  totals: { earnedCents: number; paidCents: number; pendingCents: number };
  estimate: { period: string; adsCents: number; premiumCents: number } | null;
  items: {
    period: string;
    adsCents: number;
    premiumCents: number;
    totalCents: number;
    paidCents: number;
    pendingCents: number;
  }[];
  nextCursor: string | null;
}

export const earningsOf = (who: SeededAccount, query = "") =>
  apiJson<EarningsJson>(`/api/v1/me/earnings${query}`, 200, { token: who.accessToken });
