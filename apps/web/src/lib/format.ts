/**
 * Display helpers: durations, counts, dates and relative times in the UI's language (Intl), as
 * people read them. Each takes an optional BCP 47 language (default: i18next's current one);
 * components use `useFormat()`, which re-renders when the language changes.
 */

import { COMPACT_NUMBER, formatDuration, RELATIVE_TIME, relativeTime } from "@marquee/shared/format";
import i18next from "i18next";
import { useMemo } from "react";
import { useTranslation } from "react-i18next";

export { formatDuration };

/** The UI's current language ("en" before i18next starts). */
export function currentLanguage(): string {
  return i18next.resolvedLanguage ?? i18next.language ?? "en";
}

const cache = new Map<string, unknown>();
function cached<T>(key: string, make: () => T): T {
  let value = cache.get(key) as T | undefined;
  if (value === undefined) {
    value = make();
    cache.set(key, value);
  }
  return value;
}

const numberFormat = (lang: string, options: Intl.NumberFormatOptions = {}) =>
  cached(`n|${lang}|${JSON.stringify(options)}`, () => new Intl.NumberFormat(lang, options));

/** 3_725_000 → "1 hour, 2 minutes, 5 seconds" ("1 Stunde, 2 Minuten und 5 Sekunden"): for screen readers. */
export function durationLabel(ms: number | null | undefined, lang = currentLanguage()): string {
  if (ms == null || !Number.isFinite(ms) || ms < 0) return "";
  const total = Math.floor(ms / 1000);
  const parts: [number, string][] = [
    [Math.floor(total / 3600), "hour"],
    [Math.floor((total % 3600) / 60), "minute"],
    [total % 60, "second"],
  ];
  const words = parts
    .filter(([n], i) => n > 0 || (i === 2 && total === 0))
    .map(([n, unit]) => numberFormat(lang, { style: "unit", unit, unitDisplay: "long" }).format(n));
  return cached(`l|${lang}`, () => new Intl.ListFormat(lang, { type: "unit", style: "long" })).format(words);
}

/**
 * An integer under 1000 reads the same in every language we speak, plain or compact ("999",
 * "-12"): it needs no formatter. The first Intl.NumberFormat of a page loads ICU's number data,
 * the largest single task of the watch page's first render (~30 ms here, ~120 ms under
 * Lighthouse's 4x slowdown), and most counts on a page (likes, comments, a new video's views)
 * are small. The `lib/format.test.ts` cases compare this path with Intl's answer.
 */
function isSmallInteger(n: number): boolean {
  return Number.isInteger(n) && Math.abs(n) < 1000;
}

/** 1520 → "1.5K" (en), 1_520_000 → "1,5 Mio." (de). */
export function compactNumber(n: number, lang = currentLanguage()): string {
  if (isSmallInteger(n)) return String(n);
  return numberFormat(lang, COMPACT_NUMBER).format(n);
}

/** 12345 → "12,345" (en), "12.345" (de). */
export function formatNumber(n: number, lang = currentLanguage()): string {
  if (isSmallInteger(n)) return String(n);
  return numberFormat(lang).format(n);
}

/** 0.42 → "42%" (en), "42 %" (de). */
export function formatPercent(fraction: number, lang = currentLanguage()): string {
  return numberFormat(lang, { style: "percent", maximumFractionDigits: 0 }).format(fraction);
}

/**
 * Integer cents as money: (1799, "usd") → "$17.99" (en), "17,99 $" (de). Cents stay integers until
 * here (the API never sends floats); whole amounts keep their cents ("$10.00") so prices line up.
 */
export function formatMoney(cents: number, currency: string, lang = currentLanguage()): string {
  const code = currency.toUpperCase();
  const digits =
    cached(
      `c|${code}`,
      () => new Intl.NumberFormat("en", { style: "currency", currency: code }),
    ).resolvedOptions().maximumFractionDigits ?? 2;
  // Minor units → major exactly: a string split, not a division that a float could round.
  const sign = cents < 0 ? "-" : "";
  const abs = String(Math.abs(Math.trunc(cents))).padStart(digits + 1, "0");
  const major = digits > 0 ? `${sign}${abs.slice(0, -digits)}.${abs.slice(-digits)}` : `${sign}${abs}`;
  return numberFormat(lang, { style: "currency", currency: code }).format(Number(major));
}

/** 1_572_864 → "1.5 MB" (en), "1,5 MB" (de). */
export function formatFileSize(bytes: number, lang = currentLanguage()): string {
  const units = ["byte", "kilobyte", "megabyte", "gigabyte", "terabyte"];
  let value = Math.max(0, bytes);
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  const digits = i === 0 || value >= 100 ? 0 : 1;
  return numberFormat(lang, {
    style: "unit",
    unit: units[i],
    unitDisplay: "short",
    maximumFractionDigits: digits,
  }).format(value);
}

/**
 * 1 → "1 view", 1520 → "1.5K views". Prefer a plural key in the locale files
 * (`t("common:count.views", { count })`, "{{count, compact}} views"); this stays for callers that
 * pass the words.
 */
export function formatCount(n: number, one: string, many: string, lang = currentLanguage()): string {
  const rule = cached(`p|${lang}`, () => new Intl.PluralRules(lang)).select(n);
  return `${compactNumber(n, lang)} ${rule === "one" ? one : many}`;
}

/** An ISO date as "3 days ago" / "vor 3 Tagen" (or "now" / "jetzt" under a minute). */
export function timeAgo(iso: string | null | undefined, now = Date.now(), lang = currentLanguage()): string {
  return relativeTime(
    cached(`r|${lang}`, () => new Intl.RelativeTimeFormat(lang, RELATIVE_TIME)),
    iso,
    now,
  );
}

/** An ISO date as "Mar 5, 2025" / "05.03.2025" (`dateStyle`, default medium). */
export function formatDate(
  iso: string | null | undefined,
  lang = currentLanguage(),
  dateStyle: Intl.DateTimeFormatOptions["dateStyle"] = "medium",
): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return cached(`d|${lang}|${dateStyle}`, () => new Intl.DateTimeFormat(lang, { dateStyle })).format(date);
}

/** An ISO date and time as "Mar 5, 2025, 2:30 PM" / "05.03.2025, 14:30". */
export function formatDateTime(iso: string | null | undefined, lang = currentLanguage()): string {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  return cached(
    `dt|${lang}`,
    () => new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeStyle: "short" }),
  ).format(date);
}

/** The formatters bound to the UI's language; the component re-renders when it changes. */
export function useFormat() {
  const { i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? i18n.language ?? "en";
  return useMemo(
    () => ({
      lang,
      duration: formatDuration,
      durationLabel: (ms: number | null | undefined) => durationLabel(ms, lang),
      compact: (n: number) => compactNumber(n, lang),
      number: (n: number) => formatNumber(n, lang),
      percent: (fraction: number) => formatPercent(fraction, lang),
      fileSize: (bytes: number) => formatFileSize(bytes, lang),
      money: (cents: number, currency: string) => formatMoney(cents, currency, lang),
      timeAgo: (iso: string | null | undefined, now?: number) => timeAgo(iso, now, lang),
      date: (iso: string | null | undefined, style?: Intl.DateTimeFormatOptions["dateStyle"]) =>
        formatDate(iso, lang, style),
      dateTime: (iso: string | null | undefined) => formatDateTime(iso, lang),
    }),
    [lang],
  );
}
