// Tests of packages/shared/src/money.ts `apportion` (packages/shared has no vitest project; the
// payouts are its first user). The edge's money.test.ts keeps the decimal and shareOf tests.
import { apportion, MoneyFormatError } from "@marquee/shared";
import fc from "fast-check";
import { describe, expect, it } from "vitest";

/** An independent Hamilton oracle: floors, then hand out cents one at a time to the largest remainder. */
function oracle(total: number, weights: bigint[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0n);
  if (sum === 0n) return weights.map((_, i) => (i === weights.length - 1 ? total : 0));
  const t = BigInt(total);
  const shares = weights.map((w) => (t * w) / sum);
  const rem = weights.map((w) => (t * w) % sum);
  const given = new Set<number>();
  let left = Number(t - shares.reduce((a, b) => a + b, 0n));
  while (left-- > 0) {
    let best = -1;
    for (let i = 0; i < weights.length; i++) {
      if (given.has(i)) continue;
      if (best === -1 || (rem[i] as bigint) > (rem[best] as bigint)) best = i;
    }
    given.add(best);
    shares[best] = (shares[best] as bigint) + 1n;
  }
  return shares.map(Number);
}

describe("apportion (largest remainder)", () => {
  it("splits the docs' worked example to the cent", () => {
    expect(apportion(2000, [67_901_185n, 42_098_815n, 90_000_000n])).toEqual([679, 421, 900]);
    expect(apportion(8201, [165_000_000n, 55_000_000n, 180_000_000n])).toEqual([3383, 1128, 3690]);
  });

  it("breaks ties by party order: the earlier party gets the odd cent", () => {
    expect(apportion(100, [1n, 1n, 1n])).toEqual([34, 33, 33]);
    expect(apportion(1, [5n, 5n])).toEqual([1, 0]);
    expect(apportion(2, [1n, 1n, 1n])).toEqual([1, 1, 0]);
  });

  it("a zero weight gets nothing, even when cents are left over", () => {
    expect(apportion(1, [1n, 0n, 1n])).toEqual([1, 0, 0]);
    expect(apportion(7, [0n, 3n, 0n, 4n])).toEqual([0, 3, 0, 4]);
  });

  it("total 0 gives zeros; all-zero weights give everything to the LAST party (the platform)", () => {
    expect(apportion(0, [3n, 4n])).toEqual([0, 0]);
    expect(apportion(0, [0n, 0n])).toEqual([0, 0]);
    expect(apportion(5, [0n, 0n, 0n])).toEqual([0, 0, 5]);
    expect(apportion(5, [0n])).toEqual([5]);
  });

  it("is exact with weights far beyond 2^53", () => {
    const big = 2n ** 80n;
    expect(apportion(Number.MAX_SAFE_INTEGER, [big, big, big + 1n])).toEqual([
      3_002_399_751_580_330, 3_002_399_751_580_330, 3_002_399_751_580_331,
    ]);
  });

  it("refuses no parties, negative or fractional totals and negative weights", () => {
    expect(() => apportion(1, [])).toThrow(MoneyFormatError);
    expect(() => apportion(-1, [1n])).toThrow(MoneyFormatError);
    expect(() => apportion(1.5, [1n])).toThrow(MoneyFormatError);
    expect(() => apportion(Number.MAX_SAFE_INTEGER + 1, [1n])).toThrow(MoneyFormatError);
    expect(() => apportion(1, [1n, -1n])).toThrow(MoneyFormatError);
    expect(() => apportion(1, [1 as unknown as bigint])).toThrow(MoneyFormatError);
  });

  it("sums to the total, never goes negative, stays within a cent of exact and matches the oracle (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000_000 }),
        fc.array(fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: 10n ** 15n })), {
          minLength: 1,
          maxLength: 12,
        }),
        (total, weights) => {
          const shares = apportion(total, weights);
          expect(shares.reduce((a, b) => a + b, 0)).toBe(total);
          for (const s of shares) expect(s).toBeGreaterThanOrEqual(0);
          const sum = weights.reduce((a, b) => a + b, 0n);
          if (sum > 0n) {
            shares.forEach((s, i) => {
              // |s − total·w/Σw| < 1  ⇔  |s·Σw − total·w| < Σw
              const diff = BigInt(s) * sum - BigInt(total) * (weights[i] as bigint);
              expect(diff < sum && -diff < sum).toBe(true);
            });
          }
          expect(shares).toEqual(oracle(total, weights));
        },
      ),
      { numRuns: 500 },
    );
  });
});
