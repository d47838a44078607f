/**
 * The strings. English for the shell and the landing page is bundled (every page needs it); every
 * other English namespace is its own small chunk, loaded with the page that uses it (routes.tsx
 * names them; a namespace a page forgot is loaded when first used, and the page waits for it under
 * its Suspense boundary rather than showing keys). German is one chunk, loaded when chosen (index.ts).
 */

import type { Language, Namespace } from "./languages";
import type account from "./locales/en/account.json";
import type admin from "./locales/en/admin.json";
import type ads from "./locales/en/ads.json";
import type analytics from "./locales/en/analytics.json";
import type auth from "./locales/en/auth.json";
import type billing from "./locales/en/billing.json";
import type channel from "./locales/en/channel.json";
import type comments from "./locales/en/comments.json";
import common from "./locales/en/common.json";
import type history from "./locales/en/history.json";
import home from "./locales/en/home.json";
import layout from "./locales/en/layout.json";
import type moderation from "./locales/en/moderation.json";
import notifications from "./locales/en/notifications.json";
import type payouts from "./locales/en/payouts.json";
import type player from "./locales/en/player.json";
import type playlists from "./locales/en/playlists.json";
import type profiles from "./locales/en/profiles.json";
import type reports from "./locales/en/reports.json";
import type search from "./locales/en/search.json";
import type studio from "./locales/en/studio.json";
import type upload from "./locales/en/upload.json";
import type watch from "./locales/en/watch.json";
import type webhooks from "./locales/en/webhooks.json";

/** Bundled: what the header, the bell and the home page say. */
export const bundledEnglish = { common, layout, home, notifications };

const englishChunks = import.meta.glob<Record<string, unknown>>("./locales/en/*.json", { import: "default" });

/** One namespace's strings in one language, fetched on demand. */
export async function loadStrings(language: Language, ns: Namespace): Promise<Record<string, unknown>> {
  if (language === "en") {
    const load = englishChunks[`./locales/en/${ns}.json`];
    return load ? load() : {};
  }
  const { default: files } = await import("./locales/german");
  return files[`./de/${ns}.json`] ?? {};
}

export interface EnglishStrings {
  common: typeof common;
  layout: typeof layout;
  home: typeof home;
  notifications: typeof notifications;
  watch: typeof watch;
  player: typeof player;
  studio: typeof studio;
  upload: typeof upload;
  auth: typeof auth;
  account: typeof account;
  profiles: typeof profiles;
  channel: typeof channel;
  search: typeof search;
  history: typeof history;
  comments: typeof comments;
  billing: typeof billing;
  ads: typeof ads;
  payouts: typeof payouts;
  reports: typeof reports;
  moderation: typeof moderation;
  admin: typeof admin;
  analytics: typeof analytics;
  webhooks: typeof webhooks;
  playlists: typeof playlists;
}

declare module "i18next" {
  // Typed keys: t("home:title") is a type error until the key exists in locales/en/home.json.
  interface CustomTypeOptions {
    defaultNS: "common";
    resources: EnglishStrings;
  }
}
