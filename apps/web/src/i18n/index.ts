/**
 * i18next for the app: English bundled, German loaded when chosen. The active profile's `language`
 * picks the UI language (before sign-in, the browser's); <html lang> follows.
 * Components: `const { t } = useTranslation("home")`, keys in locales/en/home.json and locales/de/home.json.
 */
import i18next from "i18next";
import { useEffect } from "react";
import { initReactI18next } from "react-i18next";
import { compactNumber } from "../lib/format";
import { bestLanguage, browserLanguages, DEFAULT_LANGUAGE, type Language, NAMESPACES } from "./languages";
import { english } from "./resources";

export { bestLanguage, type Language, NAMESPACES, SUPPORTED_LANGUAGES } from "./languages";

const CACHE_KEY = "marquee.language";

/** Loads a language's strings once (English is already there). */
async function loadLanguage(language: Language): Promise<void> {
  if (language === DEFAULT_LANGUAGE || i18next.hasResourceBundle(language, "common")) return;
  const { default: files } = await import("./locales/german");
  for (const [path, strings] of Object.entries(files)) {
    const ns = path.replace(/^.*\/|\.json$/g, "");
    i18next.addResourceBundle(language, ns, strings, true, true);
  }
}

function cachedLanguage(): string | null {
  try {
    return localStorage.getItem(CACHE_KEY);
  } catch {
    return null;
  }
}

/** Switches the UI to the best supported language for `tag` (a profile's, or the browser's). */
export async function setLanguage(tag?: string | null): Promise<Language> {
  const language = bestLanguage(tag, ...browserLanguages());
  await loadLanguage(language);
  if (i18next.language !== language) await i18next.changeLanguage(language);
  try {
    if (tag) localStorage.setItem(CACHE_KEY, language);
  } catch {
    // private mode: the profile still says it next time
  }
  return language;
}

/**
 * Starts i18next before the first render, in the language last used in this browser (so a German
 * profile does not flash English), else the browser's.
 */
export async function initI18n(): Promise<void> {
  i18next.on("languageChanged", (language) => {
    if (typeof document !== "undefined") document.documentElement.lang = language;
  });
  await i18next.use(initReactI18next).init({
    resources: { en: english },
    partialBundledLanguages: true,
    lng: DEFAULT_LANGUAGE,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: ["en", "de"],
    ns: [...NAMESPACES],
    defaultNS: "common",
    interpolation: { escapeValue: false },
    react: { useSuspense: false },
    initAsync: false,
  });
  i18next.services.formatter?.add("compact", (value, language) => compactNumber(Number(value), language));
  await setLanguage(cachedLanguage());
}

/** Follows the active profile's language tag (null when signed out: the browser's). */
export function useProfileLanguage(tag: string | null | undefined): void {
  useEffect(() => {
    void setLanguage(tag);
  }, [tag]);
}

export { i18next as i18n };
