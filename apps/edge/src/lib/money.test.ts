import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { centsToDecimal, decimalToCents, MoneyFormatError, shareOf } from "./money";

describe("decimalToCents", () => {
  it("reads whole, one-decimal and two-decimal amounts exactly", () => {
    expect(decimalToCents("17.99")).toBe(1799);
    expect(decimalToCents("17.9")).toBe(1790);
    expect(decimalToCents("17")).toBe(1700);
    expect(decimalToCents("0.01")).toBe(1);
    expect(decimalToCents("0")).toBe(0);
    // The classic float traps: parseFloat(x) * 100 gives 1.0999999999999999e1 / 57.99999999999999 here.
    expect(decimalToCents("0.11")).toBe(11);
    expect(decimalToCents("0.58")).toBe(58);
  });

  it("refuses more than two decimals, exponents, signs, whitespace and junk", () => {
    for (const junk of [
      "17.999",
      "0.001",
      "1e3",
      "1E2",
      "1.5e1",
      "+1",
      "-1",
      " 1",
      "1 ",
      "1,00",
      "1.",
      ".5",
      "",
      "-",
      "01",
      "00.10",
      "NaN",
      "Infinity",
      "0x10",
      "1_000",
      "١٢",
      "9007199254740992",
    ]) {
      expect(() => decimalToCents(junk), junk).toThrow(MoneyFormatError);
    }
  });

  it("accepts negatives only when allowed, and never yields -0", () => {
    expect(decimalToCents("-17.99", { allowNegative: true })).toBe(-1799);
    expect(Object.is(decimalToCents("-0.00", { allowNegative: true }), 0)).toBe(true);
    expect(() => decimalToCents("-0.01")).toThrow(MoneyFormatError);
  });

  it("matches an independent digit-string oracle for every 0–2 decimal string (property)", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 13n }),
        fc.integer({ min: 0, max: 2 }),
        (units, decimals) => {
          // Build the string from an integer of the smallest unit and compare cents by string algebra.
          const digits = units.toString().padStart(decimals + 1, "0");
          const text = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
          const expected = Number(units * 10n ** BigInt(2 - decimals));
          expect(decimalToCents(text)).toBe(expected);
        },
      ),
    );
  });

  it("refuses any string with three or more decimals (property)", () => {
    fc.assert(
      fc.property(fc.nat(), fc.stringMatching(/^[0-9]{3,8}$/), (whole, fraction) => {
        expect(() => decimalToCents(`${whole}.${fraction}`)).toThrow(MoneyFormatError);
      }),
    );
  });

  it("refuses arbitrary strings that are not plain decimals (property)", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        fc.pre(!/^(0|[1-9][0-9]*)(\.[0-9]{1,2})?$/.test(s));
        expect(() => decimalToCents(s)).toThrow(MoneyFormatError);
      }),
      { numRuns: 500 },
    );
  });
});

describe("centsToDecimal", () => {
  it("prints two decimals", () => {
    expect(centsToDecimal(1799)).toBe("17.99");
    expect(centsToDecimal(5)).toBe("0.05");
    expect(centsToDecimal(0)).toBe("0.00");
    expect(centsToDecimal(-5)).toBe("-0.05");
    expect(() => centsToDecimal(1.5)).toThrow(MoneyFormatError);
    expect(() => centsToDecimal(Number.NaN)).toThrow(MoneyFormatError);
  });

  it("round-trips cents → decimal → cents for every safe integer (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }), (cents) => {
        expect(decimalToCents(centsToDecimal(cents), { allowNegative: true })).toBe(cents);
      }),
    );
  });
});

describe("shareOf", () => {
  it("rounds down and leaves the remainder to the caller", () => {
    expect(shareOf(1000, 1, 3)).toBe(333);
    expect(shareOf(1799, 70, 100)).toBe(1259); // 1259.3 → 1259; the 0.3 cent stays with the platform
    expect(shareOf(1, 1, 2)).toBe(0);
    expect(shareOf(1799, 1, 1)).toBe(1799);
    expect(shareOf(Number.MAX_SAFE_INTEGER, 99, 100)).toBe(
      Number((BigInt(Number.MAX_SAFE_INTEGER) * 99n) / 100n),
    );
  });

  it("refuses negative, fractional and over-whole inputs", () => {
    expect(() => shareOf(-1, 1, 2)).toThrow(MoneyFormatError);
    expect(() => shareOf(1.5, 1, 2)).toThrow(MoneyFormatError);
    expect(() => shareOf(10, 3, 2)).toThrow(MoneyFormatError);
    expect(() => shareOf(10, 0, 0)).toThrow(MoneyFormatError);
  });

  it("splitting among n shares never pays out more than collected, and the remainder is under n cents (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 20 }),
        (cents, weights) => {
          const total = weights.reduce((a, b) => a + b, 0);
          const shares = weights.map((w) => shareOf(cents, w, total));
          const remainder = cents - shares.reduce((a, b) => a + b, 0);
          expect(remainder).toBeGreaterThanOrEqual(0);
          expect(remainder).toBeLessThan(weights.length);
        },
      ),
    );
  });
});
