/** The English strings, bundled (every page needs some); other languages load on demand (index.ts). */
import account from "./locales/en/account.json";
import auth from "./locales/en/auth.json";
import channel from "./locales/en/channel.json";
import comments from "./locales/en/comments.json";
import common from "./locales/en/common.json";
import history from "./locales/en/history.json";
import home from "./locales/en/home.json";
import layout from "./locales/en/layout.json";
import notifications from "./locales/en/notifications.json";
import player from "./locales/en/player.json";
import profiles from "./locales/en/profiles.json";
import search from "./locales/en/search.json";
import studio from "./locales/en/studio.json";
import upload from "./locales/en/upload.json";
import watch from "./locales/en/watch.json";

export const english = {
  common,
  layout,
  home,
  watch,
  player,
  studio,
  upload,
  auth,
  account,
  profiles,
  channel,
  search,
  history,
  comments,
  notifications,
};

declare module "i18next" {
  // Typed keys: t("home:title") is a type error until the key exists in locales/en/home.json.
  interface CustomTypeOptions {
    defaultNS: "common";
    resources: typeof english;
  }
}
