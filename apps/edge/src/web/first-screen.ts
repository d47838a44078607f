import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { cardContext, publicPosterUrl } from "../catalog/cards";
import { listTrending } from "../feed/trending";
import { VideoParam } from "../lib/params";
import { currentGeneration } from "../playback/revocation";
import { services } from "../services";
import type { AppEnv } from "../types";
import { getVideo } from "../videos/service";
import { type FirstScreenCard, homeHtml, watchHtml } from "./first-screen-html";
import { firstScreenStrings, languageOf } from "./first-screen-strings";

/**
 * The first screen of the two pages people land on, rendered by the worker into the app's
 * index.html: the largest paint (the first cards' posters, the watch page's poster) then needs
 * the HTML, the CSS and the image, not the app's JavaScript and an API round trip after it.
 *
 * It is what the anonymous API answers, through the same services (so the same visibility,
 * maturity and signing rules), and the data goes into the page as JSON for the app's first render
 * (apps/web/src/lib/firstScreen.ts).
 *
 * It is always the anonymous answer (actor null), whoever asks: the session lives in localStorage,
 * which the worker cannot see, so a signed-in visitor is known only by SIGNED_IN_COOKIE, a flag the
 * app sets. Such a visitor may be a kids or teen profile, which the anonymous answer would not
 * narrow: home then gets the plain shell (its feed is personal anyway), and a watch page gets a
 * first screen only for a video rated for kids, which every profile may see. A private video, or
 * anything else the anonymous API would not show, gets the plain shell.
 */
export const SIGNED_IN_COOKIE = "marquee_signed_in";

/** Trending's first page, as the app asks for it (pages/Home.tsx). */
const HOME_CARDS = 24;

export interface FirstScreen {
  /** The JSON the app reads: `path` says which page it is for. */
  data: { path: string } & Record<string, unknown>;
  /** Markup for inside #root, after the shell's header. */
  html: string;
  /** The largest paint's image, preloaded from <head>. */
  preload: string | null;
}

function signedIn(c: Context<AppEnv>): boolean {
  return Boolean(getCookie(c, SIGNED_IN_COOKIE));
}

function strings(c: Context<AppEnv>) {
  return firstScreenStrings(languageOf(c.req.header("accept-language")));
}

/** `/`: the trending grid for a signed-out visitor; null when signed in or when nothing trends. */
export async function homeFirstScreen(c: Context<AppEnv>): Promise<FirstScreen | null> {
  if (signedIn(c)) return null;
  const page = await listTrending(services(c), null, { limit: HOME_CARDS }, cardContext(c));
  if (page.items.length === 0) return null;
  const cards: FirstScreenCard[] = page.items;
  return {
    data: { path: "/", trending: page },
    html: homeHtml(cards, strings(c)),
    preload: page.items[0]?.posterUrl ?? null,
  };
}

/** `/watch/{videoId}`: the poster and title of a video the visitor may see; null for any other id. */
export async function watchFirstScreen(c: Context<AppEnv>, rawVideoId: string): Promise<FirstScreen | null> {
  const param = VideoParam.safeParse({ videoId: rawVideoId });
  if (!param.success) return null;
  const { videoId } = param.data;
  const s = services(c);
  // Throws not_found for what this visitor may not see: the page is then the plain shell, and the
  // app shows its own "not found".
  const video = await getVideo(s, null, videoId);
  // A signed-in profile's maturity is unknown here: only what every profile may see.
  if (signedIn(c) && video.maturity !== "kids") return null;
  // The poster is made with the first rungs; the link is the card's (day-stable, the media
  // generation inside), the same one the playback answer carries for a video anyone may see.
  const posterUrl =
    video.playable || video.status === "ready"
      ? await publicPosterUrl(s.config, videoId, Date.now(), await currentGeneration(c.env.SETTINGS, videoId))
      : null;
  return {
    data: { path: `/watch/${videoId}`, video, posterUrl },
    html: watchHtml(video, posterUrl),
    preload: posterUrl,
  };
}
