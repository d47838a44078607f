/** A rate 0..1 as a percent with one decimal (CTRs live under 1 %): 0.0123 → "1.2%" / "1,2 %". */
export function ratePercent(lang: string, rate: number): string {
  return new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 1 }).format(
    Number.isFinite(rate) ? rate : 0,
  );
}
