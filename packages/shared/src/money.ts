/**
 * Money is integer cents, everywhere: in D1, in snapshots, in the API, in the origin's ledger. This
 * file (`@marquee/shared`, re-exported by the edge's `lib/money.ts`) is the only place that turns a
 * provider's decimal string into cents or back, and the only place that rounds money.
 *
 * - `decimalToCents` reads the string digit by digit (never `parseFloat`: 0.1 + 0.2 is not 0.3, and
 *   `Math.round(17.99 * 100)` only happens to work). It accepts "17", "17.9", "17.99" and throws on
 *   anything it would have to round or guess: more than 2 decimals, an exponent, whitespace, a sign
 *   (negatives only with `allowNegative`, for refunds), leading zeros, a bare "." or an amount past
 *   Number.MAX_SAFE_INTEGER cents.
 * - `centsToDecimal` is its exact inverse: `decimalToCents(centsToDecimal(c)) === c`.
 * - **One share of an amount rounds down**: `shareOf(cents, n, d)` is ⌊cents·n/d⌋, computed in BigInt
 *   so no intermediate product loses precision. Use it when a single share is taken and the caller
 *   keeps the remainder.
 * - **Splitting a pot among parties uses largest remainder** (Hamilton): `apportion(total, weights)`
 *   gives every party ⌊total·wᵢ/Σw⌋, then one more cent to each of the parties with the largest
 *   remainders until the pot is empty (ties: the earlier party first). The shares sum to `total`
 *   exactly, none is negative, and none is more than one cent from its exact value. Callers list
 *   the parties in a fixed order — channels by id ascending, the platform last — so the same
 *   inputs always give the same cents (packages/shared/src/revenue-share.ts, docs/payouts.md).
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
 * ⌊cents × numerator / denominator⌋ — one share of a non-negative amount, rounded down (the caller
 * keeps the remainder). To split a pot among several parties use `apportion`, which hands out the
 * remainder too. 0 ≤ numerator ≤ denominator, denominator > 0.
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

/**
 * Splits `total` cents among parties in proportion to `weights` by the largest remainder method:
 * floors first (in BigInt, exact for any weights), then the cents left over (fewer than the number
 * of parties) one each to the largest remainders, ties to the lower index. Σ result = total, every
 * share ≥ 0, a zero weight gets 0 (unless every weight is 0).
 *
 * Edge cases, decided rather than guessed:
 * - `total` 0 → every share 0.
 * - **every weight 0 → the LAST party gets everything.** Callers put the platform last, so a pot
 *   nobody earned a share of (no watch time, no impressions) stays with the platform.
 * - no parties, a negative/fractional/unsafe total or a negative weight → MoneyFormatError.
 */
export function apportion(total: number, weights: readonly bigint[]): number[] {
  if (!Number.isSafeInteger(total) || total < 0)
    throw new MoneyFormatError("total must be a non-negative integer of cents");
  if (weights.length === 0) throw new MoneyFormatError("apportion needs at least one party");
  let sum = 0n;
  for (const w of weights) {
    if (typeof w !== "bigint" || w < 0n) throw new MoneyFormatError("weights must be non-negative bigints");
    sum += w;
  }
  if (sum === 0n) return weights.map((_, i) => (i === weights.length - 1 ? total : 0));
  const pot = BigInt(total);
  const shares = weights.map((w) => (pot * w) / sum);
  const remainders = weights.map((w, i) => ({ i, r: (pot * w) % sum }));
  let left = pot - shares.reduce((a, b) => a + b, 0n);
  // Largest remainder first; equal remainders in party order (stable, explicit).
  remainders.sort((a, b) => (a.r === b.r ? a.i - b.i : a.r > b.r ? -1 : 1));
  for (const { i } of remainders) {
    if (left === 0n) break;
    shares[i] = (shares[i] as bigint) + 1n;
    left -= 1n;
  }
  return shares.map(Number);
}
