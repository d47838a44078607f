import { and, inArray, ne } from "drizzle-orm";
import { createDb } from "../db/client";
import { videos } from "../db/schema";
import { removeVideoMedia } from "./storage";

export interface OrphanSweepResult {
  scanned: number;
  removed: string[];
  /** Where the next run continues; null when the whole bucket was covered. */
  cursor: string | null;
}

/**
 * Finds video folders in storage whose video row is gone or deleted, and removes them. Rows are
 * written before any object of a video exists, so a folder without a row is never an upload in
 * flight. Works through the bucket in pages, resuming from `cursor`, so one run stays bounded.
 */
export async function sweepOrphans(
  env: Env,
  cursor: string | null,
  pageSize = 500,
): Promise<OrphanSweepResult> {
  const page = await env.MEDIA.list({
    prefix: "videos/",
    delimiter: "/",
    limit: pageSize,
    ...(cursor ? { cursor } : {}),
  });
  const folders = page.delimitedPrefixes;
  const ids = folders.map((p) => p.slice("videos/".length, -1));
  const db = createDb(env.DB);
  const live = new Set<string>();
  // 90 ids a read: under D1's 100 bound parameters per statement.
  for (let i = 0; i < ids.length; i += 90) {
    const rows = await db
      .select({ id: videos.id })
      .from(videos)
      .where(and(ne(videos.status, "deleted"), inArray(videos.id, ids.slice(i, i + 90))));
    for (const row of rows) live.add(row.id);
  }
  const removed: string[] = [];
  for (const id of ids) {
    if (live.has(id)) continue;
    // Rows that vanished without DELETE /videos (an account's deletion cascades to its videos) never
    // had their links revoked: they stop here at the latest, this data centre's cached copies too.
    await removeVideoMedia(env, id);
    removed.push(id);
  }
  return { scanned: ids.length, removed, cursor: page.truncated ? page.cursor : null };
}
