/**
 * Where a watch came from (the `request` beacon's `source` and `feedRow`; docs/analytics.md), without
 * touching the URLs viewers see: the lists that lead to videos mark themselves
 * (`data-traffic-source="feed|search|channel"`, a feed row also `data-feed-row="<reason type>"`), a
 * click on a watch link inside one is remembered, and the router's next navigation keeps it only if it
 * went to that video. The player session asks `trafficOriginOf(videoId)` once, at the play request.
 * Without a remembered click: the embed page is `embed`; the page the browser loaded itself is
 * `external` (another site's referrer), `direct` (none) or `other` (our own, e.g. a new tab; or a
 * reload or back/forward load, whose referrer is the first load's); any other in-app way there (up next, history, a notification, back/forward) is `other`.
 */
import type { TrafficSource } from "@marquee/shared";
import type { paths } from "../api/schema";

export type FeedRowReason =
  paths["/api/v1/feed"]["get"]["responses"][200]["content"]["application/json"]["items"][number]["reason"]["type"];

export interface TrafficOrigin {
  source: TrafficSource;
  /** The home row's reason type, with source `feed` only. */
  feedRow?: FeedRowReason;
}

/** The attributes lists put on themselves (read by the click listener). */
export const SOURCE_ATTRIBUTE = "data-traffic-source";
export const FEED_ROW_ATTRIBUTE = "data-feed-row";

/** Sources a list may claim by its attribute (the others are decided here, not by markup). */
const LIST_SOURCES: readonly TrafficSource[] = ["feed", "search", "channel"];
const REASONS: Record<FeedRowReason, true> = {
  continue_watching: true,
  new_from_subscriptions: true,
  because_you_watched: true,
  trending_in_category: true,
  trending: true,
  new: true,
  popular: true,
};

/** The video a path watches ("/watch/vid_1" → "vid_1"), else null. */
export function watchedVideoOf(pathname: string): string | null {
  const m = /^\/watch\/([^/]+)\/?$/.exec(pathname);
  return m?.[1] ? decodeURIComponent(m[1]) : null;
}

/** A list's claim from its attributes; null when it names no source we take from markup. */
export function originOfList(source: string | null, feedRow: string | null): TrafficOrigin | null {
  const s = LIST_SOURCES.find((x) => x === source);
  if (!s) return null;
  if (s !== "feed") return { source: s };
  return feedRow && feedRow in REASONS ? { source: s, feedRow: feedRow as FeedRowReason } : { source: s };
}

export interface SourceFacts {
  /** The page's path now (the player's page). */
  pathname: string;
  /** The origin remembered for the navigation that brought this page, if it came to this video. */
  clicked: TrafficOrigin | null;
  /** In-app navigations since the browser loaded the page (0: this is the page it loaded). */
  navigations: number;
  /** document.referrer ("" when none). */
  referrer: string;
  /** location.origin. */
  ownOrigin: string;
  /**
   * How the browser loaded the page (Navigation Timing's `type`: navigate, reload, back_forward,
   * prerender); absent where unknown. A reload or a back/forward load keeps the referrer of the
   * page's first load: that visit's source, not this one's.
   */
  navigationType?: string;
}

/** The traffic source from what the page knows (pure; trafficSource.test.ts). */
export function decideSource(f: SourceFacts): TrafficOrigin {
  if (f.pathname.startsWith("/embed/")) return { source: "embed" };
  if (f.clicked) return f.clicked;
  if (f.navigations > 0) return { source: "other" };
  if (f.navigationType === "reload" || f.navigationType === "back_forward") return { source: "other" };
  if (!f.referrer) return { source: "direct" };
  let from: string;
  try {
    from = new URL(f.referrer).origin;
  } catch {
    return { source: "other" };
  }
  return { source: from === f.ownOrigin ? "other" : "external" };
}

// The page's navigation state (module-level: one per page load).
let navigations = 0;
/** The last click on a watch link: which video, from which list (null: from none). */
let pendingClick: { videoId: string; origin: TrafficOrigin | null } | null = null;
/** The origin of the watch page on screen, kept from the click that led to it. */
let current: { videoId: string; origin: TrafficOrigin } | null = null;

/** Remembers a click on a watch link (capture phase: before the router's own handler navigates). */
function onClick(event: MouseEvent) {
  // A modified or middle click opens another tab: this page's navigation is not it.
  if (
    event.defaultPrevented ||
    event.button !== 0 ||
    event.metaKey ||
    event.ctrlKey ||
    event.shiftKey ||
    event.altKey
  )
    return;
  const target = event.target instanceof Element ? event.target : null;
  const link = target?.closest("a[href]");
  if (!(link instanceof HTMLAnchorElement) || link.origin !== location.origin) return;
  const videoId = watchedVideoOf(link.pathname);
  if (!videoId) return;
  const list = link.closest(`[${SOURCE_ATTRIBUTE}]`);
  noteWatchClick(
    videoId,
    list ? originOfList(list.getAttribute(SOURCE_ATTRIBUTE), list.getAttribute(FEED_ROW_ATTRIBUTE)) : null,
  );
}

/** A click on a link to `videoId`'s watch page, inside a list claiming `origin` (null: none). */
export function noteWatchClick(videoId: string, origin: TrafficOrigin | null): void {
  pendingClick = { videoId, origin };
}

/** The origin remembered for the watch page of `videoId` now on screen, if a list click led there. */
export function rememberedOrigin(videoId: string): TrafficOrigin | null {
  return current?.videoId === videoId ? current.origin : null;
}

/**
 * The router moved to `pathname` (an in-app navigation; call it for location changes only). The
 * remembered click counts only if this navigation went to its video; it lasts while that video's
 * watch page stays on screen.
 */
export function noteNavigation(pathname: string): void {
  navigations += 1;
  const videoId = watchedVideoOf(pathname);
  if (pendingClick && videoId !== null && pendingClick.videoId === videoId)
    current = pendingClick.origin ? { videoId, origin: pendingClick.origin } : null;
  // The same watch page again (its query changed, say) is still the visit the click began.
  else if (current?.videoId !== videoId) current = null;
  pendingClick = null;
}

/** The traffic source of a player session for `videoId` on this page. */
export function trafficOriginOf(videoId: string): TrafficOrigin {
  if (typeof window === "undefined") return { source: "other" };
  return decideSource({
    pathname: location.pathname,
    clicked: rememberedOrigin(videoId),
    navigations,
    referrer: document.referrer,
    ownOrigin: location.origin,
    navigationType: pageNavigationType(),
  });
}

/** The page load's Navigation Timing type ("reload", "back_forward", …), undefined where unknown. */
function pageNavigationType(): string | undefined {
  if (typeof performance === "undefined" || typeof performance.getEntriesByType !== "function")
    return undefined;
  const [entry] = performance.getEntriesByType("navigation") as PerformanceNavigationTiming[];
  return entry?.type;
}

if (typeof document !== "undefined") document.addEventListener("click", onClick, true);
