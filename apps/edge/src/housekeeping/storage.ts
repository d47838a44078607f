import { loadConfig } from "../config";
import { purgeCachedMedia } from "../playback/media-cache";
import { revokeDeletedVideo } from "../playback/revocation";

/**
 * Deletes every object under a prefix, a page at a time (R2 lists and deletes up to 1,000 keys per
 * call). Each page leaves this data centre's media cache before it leaves R2: the keys are only
 * known while they are still listed, and a retry after a failure lists (and purges) them again.
 */
export async function deletePrefix(bucket: R2Bucket, prefix: string): Promise<number> {
  if (!prefix.endsWith("/")) throw new Error(`refusing to delete a prefix that is not a folder: ${prefix}`);
  let deleted = 0;
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix, limit: 1000, ...(cursor ? { cursor } : {}) });
    const keys = page.objects.map((o) => o.key);
    if (keys.length > 0) {
      await purgeCachedMedia(keys);
      await bucket.delete(keys);
    }
    deleted += keys.length;
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return deleted;
}

export const videoPrefix = (videoId: string) => `videos/${videoId}/`;

/**
 * Everything a deleted video leaves behind, for the `video.deleted` consumer and the orphan sweep:
 * its media links are revoked (again: DELETE already did, unless KV refused then; a failure here
 * throws, so the queue retries), then `videos/{id}/` leaves the media cache and R2.
 */
export async function removeVideoMedia(env: Env, videoId: string): Promise<number> {
  await revokeDeletedVideo(env.SETTINGS, videoId, loadConfig(env).playback.tokenTtlSeconds);
  return deletePrefix(env.MEDIA, videoPrefix(videoId));
}
