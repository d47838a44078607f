/**
 * Housekeeping for uploads: a video still `awaiting_upload` with no activity (creation, a metadata
 * edit, or bytes arriving at the storage route) for 24 hours is given up on. Its multipart upload
 * is aborted, partial bytes are deleted, and it becomes `failed` ("upload abandoned").
 */
import { and, asc, eq, lt } from "drizzle-orm";
import { createDb } from "../db/client";
import { videos } from "../db/schema";
import { createLogger } from "../lib/logger";
import { forgetParts } from "./parts";
import { discardSource } from "./uploads";

export const ABANDONED_AFTER_MS = 24 * 3600 * 1000;
const BATCH = 100;

export interface AbandonedUploadsResult {
  /** Ids of the videos whose uploads were aborted in this run. */
  aborted: string[];
}

/**
 * One sweep. `now` is the cron's scheduled time (ms). Bounded per run (`maxVideos`); whatever is
 * left is found by the next run.
 */
export async function abortAbandonedUploads(
  env: Env,
  now: number,
  maxVideos = 500,
): Promise<AbandonedUploadsResult> {
  const db = createDb(env.DB);
  const log = createLogger({ task: "abandoned-uploads" });
  const cutoff = now - ABANDONED_AFTER_MS;
  const aborted: string[] = [];
  while (aborted.length < maxVideos) {
    const stale = await db
      .select({ id: videos.id, sourceKey: videos.sourceKey, uploadId: videos.uploadId })
      .from(videos)
      .where(and(eq(videos.status, "awaiting_upload"), lt(videos.updatedAt, cutoff)))
      .orderBy(asc(videos.updatedAt))
      .limit(Math.min(BATCH, maxVideos - aborted.length));
    if (stale.length === 0) break;
    for (const v of stale) {
      // The same condition again: a part that arrived since the select keeps the upload alive.
      // Its part records in the same batch: a failure after the status moved would otherwise leave
      // them for good (the next run looks only at uploads still awaiting).
      const [failed] = await db.batch([
        db
          .update(videos)
          .set({ status: "failed", failureReason: "upload abandoned", uploadId: null, updatedAt: now })
          .where(and(eq(videos.id, v.id), eq(videos.status, "awaiting_upload"), lt(videos.updatedAt, cutoff)))
          .returning({ id: videos.id }),
        forgetParts(db, v.id),
      ]);
      if (failed.length === 0) continue;
      await discardSource(env, v);
      aborted.push(v.id);
    }
    if (stale.length < BATCH) break;
  }
  if (aborted.length > 0) log("info", { event: "abandoned-uploads-aborted", count: aborted.length });
  return { aborted };
}
