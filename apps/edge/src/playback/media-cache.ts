/**
 * The edge cache of immutable media (segments, init segments, images, finished playlists), keyed by
 * storage key on a private host (never by token, so every viewer shares one copy).
 *
 * The Cache API is per data centre: `purgeCachedMedia` clears the one it runs in. What keeps cached
 * media of a deleted or narrowed video from being served everywhere is the generation check that
 * `/media` makes before every cache lookup (revocation.ts); purging frees the space and is a second
 * line for the data centre that handled the deletion.
 */
const CACHE_ORIGIN = "https://media-cache.marquee.internal/";

export const mediaCacheKey = (storageKey: string) => new Request(CACHE_ORIGIN + storageKey);

/** Drops these storage keys from this data centre's media cache. */
export async function purgeCachedMedia(storageKeys: string[]): Promise<void> {
  const cache = caches.default;
  await Promise.all(storageKeys.map((key) => cache.delete(mediaCacheKey(key))));
}
