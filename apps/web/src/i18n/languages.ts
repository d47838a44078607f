/** The languages the UI is written in, and how a profile's or browser's language tag picks one. */
export const SUPPORTED_LANGUAGES = ["en", "de"] as const;
export type Language = (typeof SUPPORTED_LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = "en";

/** The namespaces (one JSON file per language in locales/<language>/), one per feature. */
export const NAMESPACES = [
  "common",
  "layout",
  "home",
  "watch",
  "player",
  "studio",
  "upload",
  "auth",
  "account",
  "profiles",
  "channel",
  "search",
  "history",
  "comments",
  "notifications",
  "billing",
  "ads",
  "payouts",
  "reports",
  "moderation",
  "admin",
  "analytics",
  "webhooks",
  "playlists",
] as const;
export type Namespace = (typeof NAMESPACES)[number];

function isSupported(tag: string): tag is Language {
  return (SUPPORTED_LANGUAGES as readonly string[]).includes(tag);
}

/**
 * The best supported language for BCP 47 tags in order of preference: "de-AT" → "de",
 * "pt-BR" → the next tag's, else English.
 */
export function bestLanguage(...tags: (string | null | undefined)[]): Language {
  for (const tag of tags) {
    if (!tag) continue;
    const lower = tag.trim().toLowerCase().replace(/_/g, "-");
    if (isSupported(lower)) return lower;
    const base = lower.split("-")[0] ?? "";
    if (isSupported(base)) return base;
  }
  return DEFAULT_LANGUAGE;
}

/** The browser's preferred languages (none outside a browser). */
export function browserLanguages(): readonly string[] {
  if (typeof navigator === "undefined") return [];
  return navigator.languages?.length ? navigator.languages : [navigator.language];
}
