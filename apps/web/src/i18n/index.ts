/**
 * i18next for the app: English bundled, German loaded when chosen. The active profile's `language`
 * picks the UI language (before sign-in, the browser's); <html lang> follows.
 * Components: `const { t } = useTranslation("home")`, keys in locales/en/home.json and locales/de/home.json.
 */
import i18next, { type BackendModule } from "i18next";
import { useEffect } from "react";
import { initReactI18next } from "react-i18next";
import { compactNumber } from "../lib/format";
import { bestLanguage, browserLanguages, DEFAULT_LANGUAGE, type Language, type Namespace } from "./languages";
import { bundledEnglish, loadStrings } from "./resources";

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
let latest = 0;

export async function setLanguage(tag?: string | null): Promise<Language> {
  const language = bestLanguage(tag, ...browserLanguages());
  // Profiles switched quickly: only the last call changes the language (German loads slower).
  const call = ++latest;
  await loadLanguage(language);
  if (call !== latest) return language;
  if (i18next.language !== language) await i18next.changeLanguage(language);
  try {
    if (tag) localStorage.setItem(CACHE_KEY, language);
  } catch {
    // private mode: the profile still says it next time
  }
  return language;
}

/** Fetches the namespaces not bundled (English) and not yet loaded, when a page asks for them. */
const lazyStrings: BackendModule = {
  type: "backend",
  init() {},
  read(language, ns, callback) {
    loadStrings(language as Language, ns as Namespace).then(
      (strings) => callback(null, strings),
      (error: Error) => callback(error, false),
    );
  },
};

/** Loads a page's namespaces alongside its code (routes.tsx), so it renders once, in words. */
export function loadNamespaces(namespaces: readonly Namespace[]): Promise<void> {
  return namespaces.length ? i18next.loadNamespaces([...namespaces]) : Promise.resolve();
}

/**
 * Starts i18next before the first render, in the language last used in this browser (so a German
 * profile does not flash English), else the browser's.
 */
export async function initI18n(): Promise<void> {
  i18next.on("languageChanged", (language) => {
    if (typeof document !== "undefined") document.documentElement.lang = language;
  });
  await i18next
    .use(initReactI18next)
    .use(lazyStrings)
    .init({
      resources: { en: bundledEnglish },
      partialBundledLanguages: true,
      lng: DEFAULT_LANGUAGE,
      fallbackLng: DEFAULT_LANGUAGE,
      supportedLngs: ["en", "de"],
      ns: Object.keys(bundledEnglish),
      defaultNS: "common",
      interpolation: { escapeValue: false },
      // A namespace not loaded yet suspends its component (the page's Suspense shows PageLoading).
      react: { useSuspense: true },
      initAsync: false,
    });
  i18next.services.formatter?.add("compact", (value, language) => compactNumber(Number(value), language));
  await setLanguage(cachedLanguage());
}

/**
 * Follows the active profile's language tag (null when signed out: the browser's); `waiting` while
 * the profile is still on its way, so the language cached at start-up holds instead.
 */
export function useProfileLanguage(tag: string | null | undefined, waiting = false): void {
  useEffect(() => {
    if (!waiting) void setLanguage(tag).catch(() => undefined);
  }, [tag, waiting]);
}

export { i18next as i18n };
