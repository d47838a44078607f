/**
 * A closed period's revenue into the ledger (docs/payouts.md "Revenue share" and "The ledger").
 *
 * `recordPeriod` splits the period's frozen snapshot (packages/shared revenue-share.ts
 * `splitPeriod`) and posts one entry per pot: `revenue:<period>:ads` and `revenue:<period>:premium`,
 * each debiting `stripe_clearing` the pot and crediting `platform_revenue` and every channel's
 * payable its share. Recording the same snapshot again posts the same external ids: nothing is
 * written. Should a later computation ever differ from what the ledger holds for the pot (new
 * rounding code, a hand-fixed snapshot), the difference is posted as a new entry
 * `revenue:<period>:<pot>:correction:<n>` — the books are never edited. A pot of 0 cents posts
 * nothing (an entry needs lines).
 */
import {
  type ChannelFacts,
  ChannelFactsSchema,
  type EarningSchema,
  type PeriodFacts,
  PeriodFactsSchema,
  splitPeriod,
} from "@marquee/shared";
import { and, asc, count, eq, inArray, sum } from "drizzle-orm";
import type { z } from "zod";
import type { Ledger, LedgerTx } from "./db";
import {
  channelPayable,
  type EntryLine,
  LedgerError,
  PLATFORM_REVENUE,
  postEntryIn,
  STRIPE_CLEARING,
} from "./ledger";
import { journalEntries, journalLines, ledgerAccounts } from "./schema";

export const REVENUE_KINDS = { ads: "revenue.ads", premium: "revenue.premium" } as const;
type Pot = keyof typeof REVENUE_KINDS;

export interface PeriodSnapshot {
  facts: PeriodFacts;
  channels: ChannelFacts[];
}

export type Earning = z.infer<typeof EarningSchema>;

/** The lines one pot should have in the ledger, by account (zero shares left out). */
export function revenueLines(snapshot: PeriodSnapshot): Record<Pot, EntryLine[]> {
  const facts = PeriodFactsSchema.parse(snapshot.facts);
  const channels = ChannelFactsSchema.array().parse(snapshot.channels);
  const adTotal = channels.reduce((a, c) => a + BigInt(c.adMillicents), 0n);
  const watchTotal = channels.reduce((a, c) => a + BigInt(c.premiumWatchMs), 0n);
  // The ledger needs every channel: a snapshot whose channels do not add up to its totals is torn.
  if (adTotal !== BigInt(facts.adMillicents) || watchTotal !== BigInt(facts.premiumWatchMs)) {
    throw new LedgerError(
      `snapshot of ${facts.period} is inconsistent: channels add up to ${adTotal} millicents / ${watchTotal} ms, ` +
        `the period says ${facts.adMillicents} / ${facts.premiumWatchMs}`,
    );
  }
  const split = splitPeriod(facts, channels);
  const linesOf = (potCents: number, platformCents: number, creators: Record<string, number>) =>
    [
      { account: STRIPE_CLEARING, amountCents: potCents },
      { account: PLATFORM_REVENUE, amountCents: -platformCents },
      ...Object.entries(creators).map(([channelId, cents]) => ({
        account: channelPayable(channelId),
        amountCents: -cents,
      })),
    ].filter((l) => l.amountCents !== 0);
  return {
    ads: linesOf(split.ads.revenueCents, split.ads.platformCents, split.ads.creators),
    premium: linesOf(split.premium.netCents, split.premium.platformCents, split.premium.creators),
  };
}

/** Posts the period's revenue entries (and a correction if the ledger differs); see the file comment. */
export async function recordPeriod(
  l: Pick<Ledger, "db">,
  snapshot: PeriodSnapshot,
): Promise<{ written: number }> {
  const wanted = revenueLines(snapshot);
  const period = snapshot.facts.period;
  let written = 0;
  for (const pot of ["ads", "premium"] as const) {
    written += await l.db.transaction(async (tx) =>
      (await recordPot(tx, period, pot, wanted[pot])) ? 1 : 0,
    );
  }
  return { written };
}

async function recordPot(tx: LedgerTx, period: string, pot: Pot, wanted: EntryLine[]): Promise<boolean> {
  const kind = REVENUE_KINDS[pot];
  const base = `revenue:${period}:${pot}`;
  const inPot = and(eq(journalEntries.period, period), eq(journalEntries.kind, kind));
  const [entries] = await tx.select({ n: count() }).from(journalEntries).where(inPot);
  const existingCount = entries?.n ?? 0;
  if (existingCount === 0) {
    if (wanted.length === 0) return false;
    return (
      await postEntryIn(tx, {
        externalId: base,
        period,
        kind,
        memo: `${pot} revenue of ${period}`,
        lines: wanted,
      })
    ).written;
  }
  const held = await tx
    .select({ account: journalLines.accountId, total: sum(journalLines.amountCents) })
    .from(journalLines)
    .innerJoin(journalEntries, eq(journalEntries.id, journalLines.entryId))
    .where(inPot)
    .groupBy(journalLines.accountId);
  const diff = new Map<string, number>();
  for (const line of wanted) diff.set(line.account, line.amountCents);
  for (const h of held) diff.set(h.account, (diff.get(h.account) ?? 0) - Number(h.total ?? 0));
  const lines = [...diff]
    .filter(([, cents]) => cents !== 0)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([account, amountCents]) => ({ account, amountCents }));
  if (lines.length === 0) return false;
  const externalId = `${base}:correction:${existingCount}`;
  const memo = `correction of the ${pot} revenue of ${period} (the recomputation differs from the ledger)`;
  return (await postEntryIn(tx, { externalId, period, kind, memo, lines })).written;
}

/** Each channel's ads and premium earnings of `period` as the ledger holds them (channel id ascending). */
export async function earningsOf(l: Pick<Ledger, "db">, period: string): Promise<Earning[]> {
  const rows = await l.db
    .select({
      channelId: ledgerAccounts.channelId,
      kind: journalEntries.kind,
      total: sum(journalLines.amountCents),
    })
    .from(journalLines)
    .innerJoin(journalEntries, eq(journalEntries.id, journalLines.entryId))
    .innerJoin(ledgerAccounts, eq(ledgerAccounts.id, journalLines.accountId))
    .where(
      and(
        eq(journalEntries.period, period),
        inArray(journalEntries.kind, Object.values(REVENUE_KINDS)),
        eq(ledgerAccounts.kind, "channel_payable"),
      ),
    )
    .groupBy(ledgerAccounts.channelId, journalEntries.kind)
    .orderBy(asc(ledgerAccounts.channelId));
  const byChannel = new Map<string, Earning>();
  for (const r of rows) {
    const channelId = r.channelId ?? "";
    const e = byChannel.get(channelId) ?? { channelId, period, adsCents: 0, premiumCents: 0 };
    // A correction can leave a pot's share below zero (it took back more than the period gave);
    // what is published must be ≥ 0 (EarningSchema) or the whole publish fails. Shown as 0 here
    // only: the ledger, with the negative correction, stays the truth.
    const cents = Math.max(0, 0 - Number(r.total ?? 0));
    if (r.kind === REVENUE_KINDS.ads) e.adsCents = cents;
    else e.premiumCents = cents;
    byChannel.set(channelId, e);
  }
  return [...byChannel.values()];
}
