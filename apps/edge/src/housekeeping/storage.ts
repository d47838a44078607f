/** Deletes every object under a prefix, a page at a time (R2 lists and deletes up to 1,000 keys per call). */
export async function deletePrefix(bucket: R2Bucket, prefix: string): Promise<number> {
  if (!prefix.endsWith("/")) throw new Error(`refusing to delete a prefix that is not a folder: ${prefix}`);
  let deleted = 0;
  let cursor: string | undefined;
  do {
    const page = await bucket.list({ prefix, limit: 1000, ...(cursor ? { cursor } : {}) });
    const keys = page.objects.map((o) => o.key);
    if (keys.length > 0) await bucket.delete(keys);
    deleted += keys.length;
    cursor = page.truncated ? page.cursor : undefined;
  } while (cursor);
  return deleted;
}

export const videoPrefix = (videoId: string) => `videos/${videoId}/`;
