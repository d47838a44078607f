/**
 * Reading the discovery routes as a profile does for the maturity property: a listing walked page
 * by page, and the route family a route belongs to (the property's coverage is counted per family).
 */
import type { Maturity } from "@marquee/shared";
import { api } from "../harness";

/** Pages walked per listing at most. */
export const PAGE_CAP = 30;

export interface Card {
  id: string;
  title: string;
  maturity: Maturity;
}

/** "search" for /api/v1/search?q=…, "feed/subscriptions", "me/history", "channels", … */
export function routeFamily(route: string): string {
  const path = route.replace(/^\/api\/v1\//, "").split("?")[0] ?? "";
  if (path.startsWith("feed/subscriptions")) return "feed/subscriptions";
  if (path.startsWith("me/history")) return "me/history";
  return path.split("/")[0] ?? path;
}

/** Where a card was seen, for failure messages. */
export type Seen = { route: string; card: Card };

export async function getJson<T>(route: string, token: string): Promise<T> {
  const res = await api(route, { token });
  const text = await res.text();
  if (res.status !== 200) {
    // A missing route is a loud failure, not a skip: the property covers every discovery route.
    throw new Error(`GET ${route}: expected 200, got ${res.status}: ${text.slice(0, 400)}`);
  }
  return JSON.parse(text) as T;
}

/**
 * Every card of a `{ items, nextCursor }` listing, walking all pages. With `emptyIs404`, a first page
 * answered 404 by the route itself (tag pages: a tag none of whose videos the caller may see does not
 * exist for them) counts as an empty listing; a 404 from the router (no such route) still fails.
 */
export async function walk(
  route: string,
  token: string,
  options: { pick?: (item: unknown) => Card; emptyIs404?: boolean } = {},
) {
  const pick = options.pick ?? ((i: unknown) => i as Card);
  const cards: Card[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < PAGE_CAP; page++) {
    const sep = route.includes("?") ? "&" : "?";
    const url = `${route}${sep}limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    if (page === 0 && options.emptyIs404) {
      const res = await api(url, { token });
      const text = await res.text();
      if (res.status === 404 && !text.includes("No route matches")) return cards;
      if (res.status !== 200)
        throw new Error(`GET ${url}: expected 200 or 404, got ${res.status}: ${text.slice(0, 400)}`);
      const body = JSON.parse(text) as { items: unknown[]; nextCursor: string | null };
      cards.push(...body.items.map(pick));
      cursor = body.nextCursor;
    } else {
      const body: { items: unknown[]; nextCursor: string | null } = await getJson(url, token);
      cards.push(...body.items.map(pick));
      cursor = body.nextCursor;
    }
    if (!cursor) break;
  }
  return cards;
}

export interface FeedReason {
  type: string;
  videoId?: string;
  videoTitle?: string;
}

export interface FeedPage {
  /** The rows of the page, each a row of cards. */
  items: { id: string; title: string; reason: FeedReason; items: { video: Card; reason: FeedReason }[] }[];
  nextCursor: string | null;
}
