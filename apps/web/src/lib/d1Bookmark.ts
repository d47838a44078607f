/**
 * Read-your-writes across API calls (docs/read-replicas.md): the edge answers every API request with
 * `X-D1-Bookmark`, the position in the database its session reached; sending the latest one back
 * makes the next read come from a copy at least that new, so a page never misses what this browser
 * just wrote while other reads still come from the nearest replica.
 *
 * Kept in localStorage, not sessionStorage: a reload right after a write still reads it, and every
 * tab of this browser shares it, so a write in one tab is seen by a read in another (once the
 * write's response arrived). A bookmark is a database position, not a secret.
 */
import type { Middleware } from "openapi-fetch";

export const BOOKMARK_HEADER = "x-d1-bookmark";
const STORAGE_KEY = "marquee.d1Bookmark";

/**
 * Lenient on purpose: the edge validates the exact form and reads the primary for anything it
 * cannot parse, so a format change costs latency, never correctness. Here only junk is dropped.
 */
const PLAUSIBLE = /^[\x21-\x7e]{1,256}$/;

type BookmarkStorage = Pick<Storage, "getItem" | "setItem">;

export interface BookmarkStore {
  /** The newest bookmark this browser holds, or null before its first API response. */
  current(): string | null;
  /** Keeps `value` if it is newer than what is held; ignores null and junk. */
  remember(value: string | null): void;
}

/**
 * D1 bookmarks compare lexically in time order, so the greatest wins: responses of concurrent
 * requests arrive in any order, and an older one must not move the client back before a newer write.
 */
function newer(a: string | null, b: string | null): string | null {
  if (a === null) return b;
  if (b === null) return a;
  return a >= b ? a : b;
}

function plausible(value: string | null | undefined): string | null {
  return value && PLAUSIBLE.test(value) ? value : null;
}

export function createBookmarkStore(storage: BookmarkStorage | null): BookmarkStore {
  // Memory as well as storage: storage can be missing or throw (private modes, quota), and then
  // the bookmark still holds for this page's life.
  let memory: string | null = null;
  const stored = (): string | null => {
    try {
      return plausible(storage?.getItem(STORAGE_KEY));
    } catch {
      return null;
    }
  };
  return {
    // Read storage every time: another tab may have written (and stored a newer bookmark) since.
    current: () => newer(memory, stored()),
    remember(value) {
      const next = newer(newer(memory, stored()), plausible(value));
      if (next === null || next === memory) return;
      memory = next;
      try {
        storage?.setItem(STORAGE_KEY, next);
      } catch {
        // memory only
      }
    },
  };
}

/** localStorage, looked up on each use (a throw there is handled by the store like any other). */
const browserStorage: BookmarkStorage = {
  getItem: (key) => globalThis.localStorage?.getItem(key) ?? null,
  setItem: (key, value) => globalThis.localStorage?.setItem(key, value),
};

/** The browser's bookmark, shared by every API call of the page. */
export const d1Bookmarks: BookmarkStore = createBookmarkStore(browserStorage);

/**
 * openapi-fetch middleware: sends the held bookmark on every request and keeps the one each
 * response returns (problem responses included: a refused request may still have read).
 */
export function bookmarkMiddleware(store: BookmarkStore = d1Bookmarks): Middleware {
  return {
    onRequest({ request }) {
      const bookmark = store.current();
      if (bookmark && !request.headers.has(BOOKMARK_HEADER)) request.headers.set(BOOKMARK_HEADER, bookmark);
      return request;
    },
    onResponse({ response }) {
      store.remember(response.headers.get(BOOKMARK_HEADER));
      return undefined;
    },
  };
}
