// Tests of packages/shared/src/revenue-share.ts `splitPeriod` (packages/shared has no vitest project).
import { type ChannelFacts, MoneyFormatError, type PeriodFacts, splitPeriod } from "@marquee/shared";
import { describe, expect, it } from "vitest";

function factsOf(channels: ChannelFacts[], over: Partial<PeriodFacts> = {}): PeriodFacts {
  return {
    period: "2026-11",
    start: Date.UTC(2026, 10, 1),
    end: Date.UTC(2026, 11, 1),
    currency: "usd",
    rules: { creatorAdSharePct: 55, premiumPoolPct: 55 },
    premiumPaidCents: 0,
    premiumRefundedCents: 0,
    adMillicents: channels.reduce((a, c) => a + c.adMillicents, 0),
    premiumWatchMs: channels.reduce((a, c) => a + c.premiumWatchMs, 0),
    channelCount: channels.length,
    ...over,
  };
}

const A = { channelId: "ch_a", adMillicents: 1_234_567, premiumWatchMs: 3_000_000 };
const B = { channelId: "ch_b", adMillicents: 765_433, premiumWatchMs: 1_000_000 };
const example = factsOf([A, B], { premiumPaidCents: 10_000, premiumRefundedCents: 1_799 });

describe("splitPeriod", () => {
  it("reproduces the worked example of docs/payouts.md", () => {
    expect(splitPeriod(example, [A, B])).toEqual({
      ads: {
        revenueCents: 2000,
        platformCents: 900,
        otherCreatorsCents: 0,
        creators: { ch_a: 679, ch_b: 421 },
      },
      premium: {
        netCents: 8201,
        poolCents: 4511,
        platformCents: 3690,
        otherCreatorsCents: 0,
        creators: { ch_a: 3383, ch_b: 1128 },
      },
    });
  });

  it("orders parties by channel id whatever order they come in, so a tie goes to the lower id", () => {
    const x = { channelId: "x", adMillicents: 500, premiumWatchMs: 0 };
    const y = { channelId: "y", adMillicents: 500, premiumWatchMs: 0 };
    const facts = factsOf([x, y], { rules: { creatorAdSharePct: 100, premiumPoolPct: 55 } });
    expect(splitPeriod(facts, [y, x]).ads).toEqual({
      revenueCents: 1,
      platformCents: 0,
      otherCreatorsCents: 0,
      creators: { x: 1, y: 0 },
    });
    expect(splitPeriod(example, [B, A])).toEqual(splitPeriod(example, [A, B]));
  });

  it("keeps the sub-cent rest of the ad millicents out of the pot", () => {
    const c = { channelId: "c", adMillicents: 1_999, premiumWatchMs: 0 };
    const split = splitPeriod(factsOf([c], { rules: { creatorAdSharePct: 100, premiumPoolPct: 0 } }), [c]);
    expect(split.ads).toMatchObject({ revenueCents: 1, platformCents: 0, creators: { c: 1 } });
  });

  it("refunds beyond payments leave nothing to split; no watch time leaves the premium pot to the platform", () => {
    const refunded = splitPeriod(factsOf([A, B], { premiumPaidCents: 500, premiumRefundedCents: 900 }), [
      A,
      B,
    ]);
    expect(refunded.premium).toEqual({
      netCents: 0,
      poolCents: 0,
      platformCents: 0,
      otherCreatorsCents: 0,
      creators: { ch_a: 0, ch_b: 0 },
    });
    const idle = [{ ...A, premiumWatchMs: 0 }];
    const split = splitPeriod(factsOf(idle, { premiumPaidCents: 999 }), idle);
    expect(split.premium).toMatchObject({
      netCents: 999,
      poolCents: 0,
      platformCents: 999,
      creators: { ch_a: 0 },
    });
  });

  it("0 % and 100 % rules give everything to one side", () => {
    const none = splitPeriod({ ...example, rules: { creatorAdSharePct: 0, premiumPoolPct: 0 } }, [A, B]);
    expect(none.ads.platformCents).toBe(2000);
    expect(none.premium.platformCents).toBe(8201);
    const all = splitPeriod({ ...example, rules: { creatorAdSharePct: 100, premiumPoolPct: 100 } }, [A, B]);
    expect(all.ads).toMatchObject({ platformCents: 0, creators: { ch_a: 1235, ch_b: 765 } });
    expect(all.premium).toMatchObject({
      platformCents: 0,
      poolCents: 8201,
      creators: { ch_a: 6151, ch_b: 2050 },
    });
  });

  it("with only some channels (the edge's estimate) the others' part is reported apart and the listed shares match", () => {
    const alone = splitPeriod(example, [A]);
    expect(alone.ads).toEqual({
      revenueCents: 2000,
      platformCents: 900,
      otherCreatorsCents: 421,
      creators: { ch_a: 679 },
    });
    expect(alone.premium.creators).toEqual({ ch_a: 3383 });
    expect(alone.premium.otherCreatorsCents).toBe(1128);
    expect(alone.premium.poolCents).toBe(3383 + 1128);
  });

  it("refuses a channel listed twice and channels adding up to more than the period", () => {
    expect(() => splitPeriod(example, [A, A])).toThrow(/listed twice/);
    expect(() => splitPeriod({ ...example, adMillicents: 1 }, [A, B])).toThrow(MoneyFormatError);
    expect(() => splitPeriod({ ...example, premiumWatchMs: 3 }, [A])).toThrow(/more than the period's total/);
  });
});
