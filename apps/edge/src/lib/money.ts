/**
 * Money is integer cents, everywhere: in D1, in snapshots, in the API. This file is the only place
 * that turns a provider's decimal string into cents or back, and the only rounding rule.
 *
 * - `decimalToCents` reads the string digit by digit (never `parseFloat`: 0.1 + 0.2 is not 0.3, and
 *   `Math.round(17.99 * 100)` only happens to work). It accepts "17", "17.9", "17.99" and throws on
 *   anything it would have to round or guess: more than 2 decimals, an exponent, whitespace, a sign
 *   (negatives only with `allowNegative`, for refunds), leading zeros, a bare "." or an amount past
 *   Number.MAX_SAFE_INTEGER cents.
 * - `centsToDecimal` is its exact inverse: `decimalToCents(centsToDecimal(c)) === c`.
 * - **The rounding rule is floor**: `shareOf(cents, n, d)` is ⌊cents·n/d⌋, computed in BigInt so no
 *   intermediate product loses precision. Whoever splits an amount takes the shares and gives the
 *   remainder (`cents − Σ shares`, always ≥ 0 and < the number of shares) to the platform: a
 *   creator is never paid a cent that was not collected, and the books add up to the cent. The payouts
 *   issue uses this; nothing else rounds money.
 */

const DECIMAL = /^(-)?(0|[1-9][0-9]*)(?:\.([0-9]{1,2}))?$/;

export class MoneyFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "MoneyFormatError";
  }
}

/** "17.99" → 1799. Throws MoneyFormatError for anything that is not an exact amount of cents. */
export function decimalToCents(value: string, opts: { allowNegative?: boolean } = {}): number {
  if (typeof value !== "string") throw new MoneyFormatError("amount must be a decimal string");
  const match = DECIMAL.exec(value);
  if (!match) throw new MoneyFormatError(`not an amount with at most 2 decimals: ${JSON.stringify(value)}`);
  const [, sign, whole = "0", fraction = ""] = match;
  if (sign && !opts.allowNegative) throw new MoneyFormatError(`negative amount refused: ${value}`);
  const cents = BigInt(whole) * 100n + BigInt(fraction.padEnd(2, "0"));
  if (cents > BigInt(Number.MAX_SAFE_INTEGER)) throw new MoneyFormatError(`amount too large: ${value}`);
  // "-0.00" is zero, not -0 (which would print as "0.00" but compare oddly with Object.is).
  return sign && cents !== 0n ? -Number(cents) : Number(cents);
}

/** 1799 → "17.99"; -5 → "-0.05". Throws for non-integers and unsafe integers. */
export function centsToDecimal(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new MoneyFormatError(`cents must be a safe integer: ${cents}`);
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100);
  const fraction = String(abs % 100).padStart(2, "0");
  return `${cents < 0 ? "-" : ""}${whole}.${fraction}`;
}

/**
 * ⌊cents × numerator / denominator⌋ — a share of a non-negative amount, rounded down (the file's one
 * rule: the caller keeps the remainder for the platform). 0 ≤ numerator ≤ denominator, denominator > 0.
 */
export function shareOf(cents: number, numerator: number, denominator: number): number {
  for (const [name, n] of [
    ["cents", cents],
    ["numerator", numerator],
    ["denominator", denominator],
  ] as const) {
    if (!Number.isSafeInteger(n) || n < 0)
      throw new MoneyFormatError(`${name} must be a non-negative integer`);
  }
  if (denominator === 0) throw new MoneyFormatError("denominator must be positive");
  if (numerator > denominator) throw new MoneyFormatError("a share cannot exceed the whole");
  return Number((BigInt(cents) * BigInt(numerator)) / BigInt(denominator));
}
