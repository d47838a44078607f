/**
 * The first screen the edge rendered into index.html (apps/edge/src/web/first-screen.ts): the
 * trending page on "/", the video on "/watch/:id", as the anonymous API answers them. The page's
 * first render starts from this data instead of asking again, so React draws what is already on
 * screen (the same posters, already loaded) rather than a skeleton over it.
 *
 * It is good for the page it was rendered for, once: after the first navigation, pages ask the API.
 */
import type { paths } from "../api/schema";
import type { Video } from "../api/types";

type CardPage = paths["/api/v1/trending"]["get"]["responses"][200]["content"]["application/json"];

/** What the edge put in `<script type="application/json" id="first-screen">`. */
export type FirstScreen =
  | { path: "/"; trending: CardPage }
  | { path: `/watch/${string}`; video: Video; posterUrl: string | null };

const ELEMENT_ID = "first-screen";

let current: FirstScreen | null = read();

function read(): FirstScreen | null {
  if (typeof document === "undefined") return null;
  const element = document.getElementById(ELEMENT_ID);
  if (!element?.textContent) return null;
  element.remove();
  try {
    const data = JSON.parse(element.textContent) as FirstScreen;
    // Rendered for the address the page is at: a redirect or a stale cache entry gets no data.
    return data.path === window.location.pathname ? data : null;
  } catch {
    return null;
  }
}

/** The first screen's data, while the page is still the one it was rendered for. */
export function firstScreen(): FirstScreen | null {
  return current;
}

/** Trending's first page, on the home page the edge rendered. */
export function firstTrending(): CardPage | undefined {
  return current?.path === "/" ? current.trending : undefined;
}

/**
 * The video and its poster, on the watch page of that video. The edge's answer is the anonymous
 * one, which a kids or teen profile may not be allowed: signed in, only a video rated for kids
 * (which every profile may see) is taken; anything else is asked for, and the API decides.
 */
export function firstWatch(
  videoId: string,
  signedIn: boolean,
): { video: Video; posterUrl: string | null } | undefined {
  if (!current || current.path !== `/watch/${videoId}` || !("video" in current)) return undefined;
  return signedIn && current.video.maturity !== "kids" ? undefined : current;
}

/** The visitor left the first page: from now on every page asks the API. */
export function leaveFirstScreen() {
  current = null;
}
