/**
 * What a creator reads of their money, and the admin's payout runs: the edge's copy of what the
 * origin's ledger computed and paid (creator_earnings, creator_payouts, payout_runs, written by
 * POST /internal/payouts/statements), plus an estimate of the open month from the live facts.
 * The channel is always the caller's own (there is no channel id to name).
 */

import { z } from "@hono/zod-openapi";
import { type ChannelFacts, monthOf, type PeriodFacts, splitPeriod } from "@marquee/shared";
import { and, desc, eq, lt, sum } from "drizzle-orm";
import { authorize } from "../auth/permissions";
import { creatorEarnings, creatorPayouts, payoutRuns } from "../db/schema";
import {
  decodeCursor,
  keysetPage,
  keysetWhere,
  type ListQuery,
  newestAfter,
  TimeKey,
} from "../lib/pagination";
import type { Services } from "../services";
import type { Actor } from "../types";
import { ownChannel, payoutAccountOf } from "./accounts";
import {
  channelFacts,
  type PeriodTotals,
  payoutRulesOf,
  periodFactsOf,
  periodTotalsWithChannel,
} from "./facts";

/** A period id as the ledger writes them (2026-11 or 2026-11-15). */
const PeriodText = z.string().regex(/^\d{4}-\d{2}(-\d{2})?$/);
const PeriodKey = z.strictObject({ p: PeriodText });
const PayoutKey = z.strictObject({ p: PeriodText, i: z.string().min(1).max(64) });

/** Σ of an integer column as a number (drizzle's `sum` answers a string; null over no rows stays null). */
const total = (column: Parameters<typeof sum>[0]) => sum(column).mapWith(Number);

/**
 * The key of the rest of the platform in the estimate's split: `~` sorts after every channel id,
 * so, as in the real split, the channel's ties come first.
 */
const REST = "~rest";

/**
 * The channel's share of `facts`' period if it closed now. The split's rounding (largest remainder)
 * needs every party's weight, but not each other channel's: all of them together weigh the same as
 * one party holding their sum, so the estimate reads the channel's facts and the period's totals
 * only. It can differ from the final figure by a cent of rounding, and by the facts still to come.
 */
function shareOf(
  facts: PeriodFacts,
  own: { channelId: string; adMillicents: number; premiumWatchMs: number },
) {
  const rest = {
    channelId: REST,
    adMillicents: Math.max(0, facts.adMillicents - own.adMillicents),
    premiumWatchMs: Math.max(0, facts.premiumWatchMs - own.premiumWatchMs),
  };
  const split = splitPeriod(facts, [own, rest]);
  return {
    adsCents: split.ads.creators[own.channelId] ?? 0,
    premiumCents: split.premium.creators[own.channelId] ?? 0,
  };
}

/** How long an isolate reuses the open month's totals (ms). */
const TOTALS_TTL_MS = 60_000;

/**
 * The open month's totals per period id, per isolate, for TOTALS_TTL_MS: every creator's first page
 * would otherwise aggregate the whole month. Safe because it only feeds an estimate (the real split
 * reads the closed period's facts): totals a minute old move the creator's share by the facts of
 * that minute. Rules are not cached (read from config each time).
 */
const totalsCache = new Map<string, { expires: number; totals: PeriodTotals }>();

async function estimateOf(s: Services, channelId: string, now: number) {
  const period = monthOf(now);
  const clock = Date.now();
  const hit = totalsCache.get(period.id);
  let totals: PeriodTotals;
  let own: ChannelFacts;
  if (hit && hit.expires > clock) {
    totals = hit.totals;
    own = await channelFacts(s, period, channelId);
  } else {
    // One batch: the channel's facts are part of the totals read with them.
    ({ totals, own } = await periodTotalsWithChannel(s, period, channelId));
    totalsCache.clear(); // only the open month is ever kept
    totalsCache.set(period.id, { expires: clock + TOTALS_TTL_MS, totals });
  }
  if (own.adMillicents === 0 && own.premiumWatchMs === 0) return null;
  // Cached totals may predate the channel's newest facts: never below them (splitPeriod refuses a
  // channel bigger than its period), so the rest of the platform just weighs the cached remainder.
  const facts = periodFactsOf(
    period,
    {
      ...totals,
      adMillicents: Math.max(totals.adMillicents, own.adMillicents),
      premiumWatchMs: Math.max(totals.premiumWatchMs, own.premiumWatchMs),
    },
    0,
    // The percentages the dynamic settings say now (docs/moderation.md, "Configuration").
    await payoutRulesOf(s),
  );
  return { period: period.id, ...shareOf(facts, own) };
}

/**
 * GET /me/earnings: per period (newest first, keyset-paginated), what the ledger computed and how
 * much of it is paid. Paid payouts are allocated to periods oldest first: a period is paid once the
 * sum of paid payouts covers it and every earlier one (a payout pays the balance, not one period).
 * The open month's estimate is on the first page only (null on pages with a cursor).
 */
export async function listEarnings(s: Services, actor: Actor, query: ListQuery, now: number = Date.now()) {
  const channel = await ownChannel(s, actor);
  const after = query.cursor ? decodeCursor(query.cursor, "earnings", PeriodKey) : null;
  const e = creatorEarnings;
  const mine = eq(e.channelId, channel.id);
  const rows = await s.db
    .select()
    .from(e)
    .where(and(mine, after ? lt(e.period, after.p) : undefined))
    .orderBy(desc(e.period))
    .limit(query.limit + 1);
  const page = keysetPage(rows, query.limit, "earnings", (last) => ({ p: last.period }));
  const oldest = page.items[page.items.length - 1];
  const [sums, paid, older, account, estimate] = await Promise.all([
    s.db
      .select({ ads: total(e.adsCents), premium: total(e.premiumCents) })
      .from(e)
      .where(mine)
      .get(),
    s.db
      .select({ cents: total(creatorPayouts.amountCents) })
      .from(creatorPayouts)
      .where(and(eq(creatorPayouts.channelId, channel.id), eq(creatorPayouts.state, "paid")))
      .get(),
    // What the periods before this page earned: the paid sum covers them first.
    oldest
      ? s.db
          .select({ ads: total(e.adsCents), premium: total(e.premiumCents) })
          .from(e)
          .where(and(mine, lt(e.period, oldest.period)))
          .get()
      : undefined,
    payoutAccountOf(s, channel.id),
    // The first page only: later pages are the same creator scrolling older periods.
    after ? null : estimateOf(s, channel.id, now),
  ]);
  const earnedCents = (sums?.ads ?? 0) + (sums?.premium ?? 0);
  const paidCents = paid?.cents ?? 0;
  let left = Math.max(0, paidCents - (older?.ads ?? 0) - (older?.premium ?? 0));
  const items = [...page.items].reverse().map((r) => {
    const totalCents = r.adsCents + r.premiumCents;
    const covered = Math.min(totalCents, left);
    left -= covered;
    return {
      period: r.period,
      adsCents: r.adsCents,
      premiumCents: r.premiumCents,
      totalCents,
      paidCents: covered,
      pendingCents: totalCents - covered,
    };
  });
  return {
    items: items.reverse(),
    nextCursor: page.nextCursor,
    currency: "usd" as const,
    account: { state: !account ? "none" : account.payoutsEnabled ? "enabled" : "pending" } as const,
    totals: { earnedCents, paidCents, pendingCents: Math.max(0, earnedCents - paidCents) },
    estimate,
  };
}

/** GET /me/payouts: the channel's payouts, newest period first (then id), keyset-paginated. */
export async function listPayouts(s: Services, actor: Actor, query: ListQuery) {
  const channel = await ownChannel(s, actor);
  const after = query.cursor ? decodeCursor(query.cursor, "creator-payouts", PayoutKey) : null;
  const t = creatorPayouts;
  const rows = await s.db
    .select()
    .from(t)
    .where(
      and(
        eq(t.channelId, channel.id),
        after
          ? keysetWhere([
              { column: t.period, value: after.p, order: "desc" },
              { column: t.id, value: after.i, order: "desc" },
            ])
          : undefined,
      ),
    )
    .orderBy(desc(t.period), desc(t.id))
    .limit(query.limit + 1);
  const page = keysetPage(rows, query.limit, "creator-payouts", (last) => ({ p: last.period, i: last.id }));
  return {
    items: page.items.map((r) => ({
      id: r.id,
      period: r.period,
      amountCents: r.amountCents,
      currency: r.currency,
      state: r.state,
      stripeTransferId: r.stripeTransferId,
      failure: r.failure,
      updatedAt: r.updatedAt,
    })),
    nextCursor: page.nextCursor,
  };
}

/** A JSON column the origin wrote; a broken one reads as empty rather than failing the whole list. */
function parsed<T extends z.ZodType>(text: string, schema: T, fallback: z.infer<T>): z.infer<T> {
  try {
    const result = schema.safeParse(JSON.parse(text));
    return result.success ? result.data : fallback;
  } catch {
    return fallback;
  }
}

const Skipped = z.array(
  z.object({
    channelId: z.string(),
    reason: z.enum(["no_account", "payouts_disabled", "below_minimum"]),
    balanceCents: z.number().int(),
  }),
);
const Balances = z.record(z.string(), z.number().int());

/** GET /admin/payouts/runs: every payout run, newest first (started_at, id), keyset-paginated. */
export async function listRuns(s: Services, actor: Actor, query: ListQuery) {
  authorize(actor, "payouts.runs.read");
  const after = query.cursor ? decodeCursor(query.cursor, "payout-runs", TimeKey) : null;
  const t = payoutRuns;
  const rows = await s.db
    .select()
    .from(t)
    .where(after ? newestAfter(t.startedAt, t.id, after) : undefined)
    .orderBy(desc(t.startedAt), desc(t.id))
    .limit(query.limit + 1);
  const page = keysetPage(
    rows,
    query.limit,
    "payout-runs",
    (last): TimeKey => ({ t: last.startedAt, i: last.id }),
  );
  return {
    items: page.items.map((r) => ({
      id: r.id,
      period: r.period,
      startedAt: r.startedAt,
      finishedAt: r.finishedAt,
      state: r.state,
      paidCount: r.paidCount,
      paidCents: r.paidCents,
      failedCount: r.failedCount,
      skipped: parsed(r.skippedJson, Skipped, []),
      trialBalanceCents: r.trialBalanceCents,
      balances: parsed(r.balancesJson, Balances, {}),
      error: r.error,
    })),
    nextCursor: page.nextCursor,
  };
}
