/**
 * The revenue-share rules (docs/payouts.md "Revenue share"): how one period's facts become cents
 * for each channel and for the platform. Pure and deterministic; the origin's ledger
 * (recordPeriod) and the edge's estimate both call `splitPeriod`.
 *
 * Each pot is split as ONE largest-remainder apportionment (money.ts `apportion`) among the
 * channels (channel id ascending) and the platform (last), so creator shares + platform share =
 * the pot to the cent, no share is negative, and no share is more than a cent from its exact value.
 *
 * - Ads: the pot is R = ⌊ΣM / 1000⌋ cents (M = millicents; the sub-cent rest of ΣM is never
 *   apportioned, so it stays with the platform). Weights: `pct·M_c` per channel, `(100 − pct)·ΣM`
 *   for the platform.
 * - Premium: the pot is N = max(0, paid − refunded). Weights: `pool%·W_c` per channel (W = premium
 *   watch ms), `(100 − pool%)·ΣW` for the platform. No watch time at all → every weight is 0 and
 *   apportion gives the whole pot to the last party, the platform.
 *
 * ΣM and ΣW are the period's totals from `facts` (adMillicents, premiumWatchMs). The origin passes
 * every channel, so the channels add up to those totals. A caller that passes only some channels
 * (the edge's estimate of one creator's month) gets the others' part as `otherCreatorsCents` — an
 * implicit party between the listed channels and the platform — so the listed channels get what
 * they would get in the full split (give or take the one cent a tie could move). Channels adding
 * up to MORE than the totals, or listed twice, are inconsistent facts: splitPeriod throws.
 */
import { apportion, MoneyFormatError } from "./money";
import type { ChannelFacts, PeriodFacts } from "./payouts";

export interface PotSplit {
  /** Cents each listed channel gets, by channel id (every listed channel present, 0 included). */
  creators: Record<string, number>;
  platformCents: number;
  /** Cents of channels not in the list (0 when every channel with facts was passed). */
  otherCreatorsCents: number;
}

export interface PeriodSplit {
  ads: PotSplit & { revenueCents: number };
  premium: PotSplit & {
    /** Net premium revenue, max(0, paid − refunded): the pot. */
    netCents: number;
    /** What went to creators (Σ creators + otherCreatorsCents) — the pool as apportioned. */
    poolCents: number;
  };
}

function pot(
  totalCents: number,
  channels: readonly ChannelFacts[],
  amountOf: (c: ChannelFacts) => number,
  periodAmount: number,
  pct: number,
): PotSplit {
  const listed = channels.reduce((acc, c) => acc + BigInt(amountOf(c)), 0n);
  const whole = BigInt(periodAmount);
  if (listed > whole) {
    throw new MoneyFormatError(`channel facts add up to ${listed}, more than the period's total ${whole}`);
  }
  const p = BigInt(pct);
  const weights = [...channels.map((c) => p * BigInt(amountOf(c))), p * (whole - listed), (100n - p) * whole];
  const shares = apportion(totalCents, weights);
  const creators: Record<string, number> = {};
  channels.forEach((c, i) => {
    creators[c.channelId] = shares[i] as number;
  });
  return {
    creators,
    otherCreatorsCents: shares[channels.length] as number,
    platformCents: shares[channels.length + 1] as number,
  };
}

/** Splits one period's ad and premium revenue among `channels` and the platform (see file comment). */
export function splitPeriod(facts: PeriodFacts, channels: readonly ChannelFacts[]): PeriodSplit {
  const ids = new Set<string>();
  for (const c of channels) {
    if (ids.has(c.channelId)) throw new MoneyFormatError(`channel ${c.channelId} is listed twice`);
    ids.add(c.channelId);
  }
  // Party order is part of the rule (ties go to the earlier party): channel id ascending, by code unit.
  const sorted = [...channels].sort((a, b) =>
    a.channelId < b.channelId ? -1 : a.channelId > b.channelId ? 1 : 0,
  );
  const { creatorAdSharePct, premiumPoolPct } = facts.rules;

  const revenueCents = Number(BigInt(facts.adMillicents) / 1000n);
  const ads = pot(revenueCents, sorted, (c) => c.adMillicents, facts.adMillicents, creatorAdSharePct);

  const netCents = Math.max(0, facts.premiumPaidCents - facts.premiumRefundedCents);
  const premium = pot(netCents, sorted, (c) => c.premiumWatchMs, facts.premiumWatchMs, premiumPoolPct);
  const poolCents = netCents - premium.platformCents;

  return { ads: { ...ads, revenueCents }, premium: { ...premium, netCents, poolCents } };
}
