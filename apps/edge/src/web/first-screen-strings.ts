import { COMPACT_NUMBER, formatDuration, RELATIVE_TIME, relativeTime } from "@marquee/shared/format";
import deCommon from "../../../web/src/i18n/locales/de/common.json";
import deHome from "../../../web/src/i18n/locales/de/home.json";
import deLayout from "../../../web/src/i18n/locales/de/layout.json";
import enCommon from "../../../web/src/i18n/locales/en/common.json";
import enHome from "../../../web/src/i18n/locales/en/home.json";
import enLayout from "../../../web/src/i18n/locales/en/layout.json";

/**
 * The words of the first screen, from the web app's own locale files (never copied), in the
 * language the app would pick for a signed-out visitor: German when the browser prefers it, else
 * English (apps/web/src/i18n: "de-AT" → German, "pt-BR" → English).
 */
export type FirstScreenLanguage = "en" | "de";

const LOCALES = {
  en: { common: enCommon, home: enHome, layout: enLayout },
  de: { common: deCommon, home: deHome, layout: deLayout },
} as const;

/** The first language of Accept-Language that the app speaks (by its primary subtag), else English. */
export function languageOf(acceptLanguage: string | undefined): FirstScreenLanguage {
  const ranked = (acceptLanguage ?? "")
    .split(",")
    .map((part, i) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = Number(
        params
          .find((p) => p.trim().startsWith("q="))
          ?.trim()
          .slice(2) ?? "1",
      );
      return { tag: tag.trim().toLowerCase(), q: Number.isFinite(q) ? q : 0, i };
    })
    .filter((l) => l.tag && l.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    const primary = tag.split("-")[0];
    if (primary === "de" || primary === "en") return primary;
  }
  return "en";
}

/** The strings and formatters one first screen uses. */
export function firstScreenStrings(lang: FirstScreenLanguage, now = Date.now()) {
  const l = LOCALES[lang];
  const compact = new Intl.NumberFormat(lang, COMPACT_NUMBER);
  const plural = new Intl.PluralRules(lang);
  const relative = new Intl.RelativeTimeFormat(lang, RELATIVE_TIME);
  return {
    lang,
    brand: "Marquee",
    skip: l.layout.skip,
    trending: l.home.reason.trending,
    signedOutHint: l.home.signedOut.hint,
    signedOutAction: l.home.signedOut.action,
    premium: l.layout.card.premium,
    processing: l.layout.card.processing,
    maturity: (m: "kids" | "teen") => l.common.maturity[m],
    /** "1.5K views": the app's `common:count.views` plural with its `compact` format. */
    views: (n: number) => {
      const form = plural.select(n) === "one" ? l.common.count.views_one : l.common.count.views_other;
      return form.replace("{{count, compact}}", compact.format(n));
    },
    timeAgo: (iso: string | null) => relativeTime(relative, iso, now),
    duration: formatDuration,
  };
}

export type FirstScreenStrings = ReturnType<typeof firstScreenStrings>;
