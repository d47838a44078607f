/**
 * Read-your-writes for the terminal tools (docs/read-replicas.md): wraps a fetch so that it sends the
 * newest `X-D1-Bookmark` any of its responses returned, the way the web app does
 * (apps/web/src/lib/d1Bookmark.ts). Give it to the API client: `new ApiClient(url, withBookmark())`.
 * In memory only: a CLI run is one logical session; the next run starts without one (any replica).
 */
import type { Fetch } from "./api-client";

export const BOOKMARK_HEADER = "x-d1-bookmark";

/** Junk is dropped; the edge validates the exact form and reads the primary for anything it cannot parse. */
const PLAUSIBLE = /^[\x21-\x7e]{1,256}$/;

export interface BookmarkedFetch extends Fetch {
  /** The newest bookmark received so far, or null. */
  bookmark(): string | null;
}

export function withBookmark(inner: Fetch = (input, init) => fetch(input, init)): BookmarkedFetch {
  let held: string | null = null;
  const wrapped = async (input: URL | string, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    if (held && !headers.has(BOOKMARK_HEADER)) headers.set(BOOKMARK_HEADER, held);
    const res = await inner(input, { ...init, headers });
    const received = res.headers.get(BOOKMARK_HEADER);
    // Bookmarks compare lexically in time order: keep the greatest, so the answer of an older
    // request arriving after a newer one (the uploader sends in parallel) never moves it back.
    if (received && PLAUSIBLE.test(received) && (held === null || received > held)) held = received;
    return res;
  };
  return Object.assign(wrapped, { bookmark: () => held });
}
