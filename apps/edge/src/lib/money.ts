/**
 * The money module lives in `@marquee/shared` (packages/shared/src/money.ts) so the edge and the
 * origin's payout ledger round the same way; this re-export keeps the edge's existing imports.
 */
export { apportion, centsToDecimal, decimalToCents, MoneyFormatError, shareOf } from "@marquee/shared";
