/**
 * Property tests of the revenue share and the ledger (issue 14's acceptance): random channels, ad
 * impressions (prices in millicents), watch times, payments, refunds and percentages →
 * (a) creator shares + the platform's share = the revenue, to the cent, for ads and for premium;
 * (b) no share is negative (and a channel without facts gets nothing);
 * (c) recording the same period twice — and again after re-opening the database file — writes
 *     nothing and leaves every balance as it was;
 * (d) the trial balance is zero after every step (revenue, payouts reserved and paid).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type ChannelFacts, type PeriodFacts, splitPeriod } from "@marquee/shared";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type Ledger, openLedger } from "./db";
import {
  balancesByKind,
  channelBalances,
  channelPayable,
  PAYOUTS_IN_TRANSIT,
  postEntry,
  STRIPE_CLEARING,
  trialBalance,
} from "./ledger";
import { earningsOf, recordPeriod } from "./revenue";

const channelArb = fc.record({
  channelId: fc.stringMatching(/^ch_[a-z0-9]{1,6}$/),
  /** Each impression's price in millicents (a CPM of up to $100 = 10,000 cents → ≤ 10,000 millicents). */
  impressions: fc.array(fc.integer({ min: 0, max: 10_000 }), { maxLength: 30 }),
  /** Premium watch time, ms per play. */
  plays: fc.array(fc.integer({ min: 0, max: 7_200_000 }), { maxLength: 10 }),
});

const periodArb = fc.record({
  channels: fc.uniqueArray(channelArb, { selector: (c) => c.channelId, maxLength: 8 }),
  payments: fc.array(fc.integer({ min: 0, max: 100_000 }), { maxLength: 20 }),
  refunds: fc.array(fc.integer({ min: 0, max: 100_000 }), { maxLength: 5 }),
  creatorAdSharePct: fc.integer({ min: 0, max: 100 }),
  premiumPoolPct: fc.integer({ min: 0, max: 100 }),
});
type GenPeriod = typeof periodArb extends fc.Arbitrary<infer T> ? T : never;

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

function snapshotOf(gen: GenPeriod, period: string): { facts: PeriodFacts; channels: ChannelFacts[] } {
  const channels = gen.channels.map((c) => ({
    channelId: c.channelId,
    adMillicents: sum(c.impressions),
    premiumWatchMs: sum(c.plays),
  }));
  const [y, m] = period.split("-").map(Number) as [number, number];
  return {
    facts: {
      period,
      start: Date.UTC(y, m - 1, 1),
      end: Date.UTC(y, m, 1),
      currency: "usd",
      rules: { creatorAdSharePct: gen.creatorAdSharePct, premiumPoolPct: gen.premiumPoolPct },
      premiumPaidCents: sum(gen.payments),
      premiumRefundedCents: sum(gen.refunds),
      adMillicents: sum(channels.map((c) => c.adMillicents)),
      premiumWatchMs: sum(channels.map((c) => c.premiumWatchMs)),
      channelCount: channels.length,
    },
    channels,
  };
}

describe("revenue share (property)", () => {
  it("(a) creators + platform = revenue to the cent and (b) no share is negative, for ads and premium", () => {
    fc.assert(
      fc.property(periodArb, (gen) => {
        const { facts, channels } = snapshotOf(gen, "2026-11");
        const split = splitPeriod(facts, channels);
        const adRevenue = Math.floor(facts.adMillicents / 1000);
        const net = Math.max(0, facts.premiumPaidCents - facts.premiumRefundedCents);
        expect(split.ads.revenueCents).toBe(adRevenue);
        expect(sum(Object.values(split.ads.creators)) + split.ads.platformCents).toBe(adRevenue);
        expect(split.premium.netCents).toBe(net);
        expect(sum(Object.values(split.premium.creators)) + split.premium.platformCents).toBe(net);
        expect(split.premium.poolCents).toBe(sum(Object.values(split.premium.creators)));
        expect(split.ads.otherCreatorsCents + split.premium.otherCreatorsCents).toBe(0);
        for (const pot of [split.ads, split.premium]) {
          expect(pot.platformCents).toBeGreaterThanOrEqual(0);
          for (const cents of Object.values(pot.creators)) expect(cents).toBeGreaterThanOrEqual(0);
        }
        for (const c of channels) {
          if (c.adMillicents === 0) expect(split.ads.creators[c.channelId]).toBe(0);
          if (c.premiumWatchMs === 0) expect(split.premium.creators[c.channelId]).toBe(0);
          // Never more than a cent above the exact share of what was collected.
          const exactAds =
            (adRevenue * gen.creatorAdSharePct * c.adMillicents) / (100 * (facts.adMillicents || 1));
          expect(split.ads.creators[c.channelId]).toBeLessThan(exactAds + 1);
        }
        if (facts.premiumWatchMs === 0) expect(split.premium.platformCents).toBe(net);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("the ledger under random periods (property)", () => {
  it("(c) recording a period twice, and after re-opening the file, writes nothing; (d) the trial balance stays 0", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(periodArb, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 5_000 }),
        async (periods, minimum) => {
          const dir = mkdtempSync(path.join(tmpdir(), "ledger-prop-"));
          const url = `file:${path.join(dir, "ledger.sqlite")}`;
          let l: Ledger = await openLedger(url);
          try {
            const owed = new Map<string, number>();
            for (const [i, gen] of periods.entries()) {
              const snap = snapshotOf(gen, `2026-${String(i + 1).padStart(2, "0")}`);
              const split = splitPeriod(snap.facts, snap.channels);
              const posted = await recordPeriod(l, snap);
              expect(posted.written).toBe(
                (split.ads.revenueCents > 0 ? 1 : 0) + (split.premium.netCents > 0 ? 1 : 0),
              );
              expect(await trialBalance(l)).toBe(0);
              for (const c of snap.channels) {
                const got =
                  (split.ads.creators[c.channelId] ?? 0) + (split.premium.creators[c.channelId] ?? 0);
                owed.set(c.channelId, (owed.get(c.channelId) ?? 0) + got);
              }
              const earned = await earningsOf(l, snap.facts.period);
              for (const e of earned) {
                expect(e.adsCents).toBe(split.ads.creators[e.channelId]);
                expect(e.premiumCents).toBe(split.premium.creators[e.channelId]);
              }

              const before = { kinds: await balancesByKind(l), channels: await channelBalances(l) };
              expect((await recordPeriod(l, snap)).written).toBe(0);
              l.close();
              l = await openLedger(url);
              expect((await recordPeriod(l, snap)).written).toBe(0);
              expect({ kinds: await balancesByKind(l), channels: await channelBalances(l) }).toEqual(before);
              expect(await trialBalance(l)).toBe(0);

              // Pay every channel at or above the minimum: reserve, then paid (as payout runs post them).
              for (const { channelId, cents } of await channelBalances(l)) {
                expect(cents).toBe(owed.get(channelId));
                if (cents < minimum) continue;
                const id = `${snap.facts.period}:${channelId}`;
                await postEntry(l, {
                  externalId: `payout:${id}:reserve`,
                  period: snap.facts.period,
                  kind: "payout.reserve",
                  lines: [
                    { account: channelPayable(channelId), amountCents: cents },
                    { account: PAYOUTS_IN_TRANSIT, amountCents: -cents },
                  ],
                });
                expect(await trialBalance(l)).toBe(0);
                await postEntry(l, {
                  externalId: `payout:${id}:paid`,
                  period: snap.facts.period,
                  kind: "payout.paid",
                  lines: [
                    { account: PAYOUTS_IN_TRANSIT, amountCents: cents },
                    { account: STRIPE_CLEARING, amountCents: -cents },
                  ],
                });
                expect(await trialBalance(l)).toBe(0);
                owed.set(channelId, 0);
              }
            }
            const kinds = await balancesByKind(l);
            expect(kinds.payouts_in_transit).toBe(0);
            expect(kinds.channel_payable).toBe(0 - sum([...owed.values()]));
          } finally {
            l.close();
            rmSync(dir, { recursive: true, force: true });
          }
        },
      ),
      { numRuns: 25 },
    );
  }, 120_000);
});
