/**
 * The parts of a multipart source upload that storage holds. Locally the edge's /storage route
 * stores every part and records it in `video_upload_parts`; with R2 presigned URLs the bytes never
 * pass through the edge, so R2 itself is asked (S3 ListParts).
 */
import { and, eq, notExists, sql } from "drizzle-orm";
import type { Config } from "../config";
import type { Db } from "../db/client";
import { videos, videoUploadParts } from "../db/schema";
import { AppError } from "../lib/errors";
import { r2PresignerFor } from "../storage/signer";
import { partLength } from "./plan";
import type { VideoRow } from "./view";

export interface StoredPart {
  partNumber: number;
  size: number;
  etag: string;
}

export async function listStoredParts(db: Db, config: Config, v: VideoRow): Promise<StoredPart[]> {
  if (!v.uploadId) return [];
  if (config.storage.mode === "r2") return (await r2PresignerFor(config)).listParts(v.sourceKey, v.uploadId);
  return db
    .select({
      partNumber: videoUploadParts.partNumber,
      size: videoUploadParts.size,
      etag: videoUploadParts.etag,
    })
    .from(videoUploadParts)
    .where(eq(videoUploadParts.videoId, v.id))
    .orderBy(videoUploadParts.partNumber);
}

/** Every part of a multipart plan with its size (the last part holds the rest). */
export function plannedParts(v: VideoRow): { partNumber: number; size: number }[] {
  const partSize = v.uploadPartSize ?? v.sourceSize;
  const partCount = v.uploadPartCount ?? 1;
  return Array.from({ length: partCount }, (_, i) => ({
    partNumber: i + 1,
    size: partLength(i + 1, v.sourceSize, partSize),
  }));
}

/** Splits a multipart plan into the parts storage has (with the right size) and the ones it lacks. */
export function partProgress(v: VideoRow, stored: StoredPart[]) {
  const byNumber = new Map(stored.map((p) => [p.partNumber, p]));
  const uploaded: StoredPart[] = [];
  const missing: { partNumber: number; size: number }[] = [];
  for (const planned of plannedParts(v)) {
    const part = byNumber.get(planned.partNumber);
    if (part && part.size === planned.size) uploaded.push(part);
    else missing.push(planned);
  }
  return { uploaded, missing };
}

/**
 * Called by the storage route before it accepts bytes for `videos/{id}/source`: the video must be
 * waiting for exactly this upload (single, or the multipart upload the URL was signed for).
 */
export async function assertAcceptsSource(db: Db, videoId: string, uploadId: string | null): Promise<void> {
  const row = await db
    .select({ status: videos.status, uploadId: videos.uploadId, partCount: videos.uploadPartCount })
    .from(videos)
    .where(eq(videos.id, videoId))
    .get();
  if (!row || row.status === "deleted") throw new AppError("not_found", "No such video");
  if (row.status !== "awaiting_upload") {
    throw new AppError("conflict", `This video no longer accepts uploads (status ${row.status})`);
  }
  const expectsMultipart = row.partCount !== null;
  if (expectsMultipart !== (uploadId !== null) || (uploadId !== null && uploadId !== row.uploadId)) {
    throw new AppError("conflict", "This upload is not the video's current upload");
  }
}

/** Records a part storage confirmed (a retried part replaces its earlier copy) and marks activity. */
export async function recordStoredPart(db: Db, videoId: string, part: StoredPart): Promise<void> {
  const now = Date.now();
  await db.batch([
    db
      .insert(videoUploadParts)
      .values({ videoId, ...part, uploadedAt: now })
      .onConflictDoUpdate({
        target: [videoUploadParts.videoId, videoUploadParts.partNumber],
        set: { etag: part.etag, size: part.size, uploadedAt: now },
      }),
    touchUpload(db, videoId, now),
  ]);
}

/** Bytes arrived for a video still awaiting its upload: the abandoned-upload sweep measures from here. */
export function touchUpload(db: Db, videoId: string, now = Date.now()) {
  return db
    .update(videos)
    .set({ updatedAt: sql`max(${videos.updatedAt}, ${now})` })
    .where(and(eq(videos.id, videoId), eq(videos.status, "awaiting_upload")));
}

/**
 * Deletes the part records of a video whose upload is over (it left `awaiting_upload`): a
 * statement, so callers put it in the same batch as the status change that ends the upload (a
 * failure between the two would otherwise leave records of parts nobody will join). Guarded by the
 * status inside the statement, so it never drops the parts of an upload that is still going.
 */
export function forgetParts(db: Db, videoId: string) {
  const stillUploading = db
    .select({ id: videos.id })
    .from(videos)
    .where(and(eq(videos.id, videoId), eq(videos.status, "awaiting_upload")));
  return db
    .delete(videoUploadParts)
    .where(and(eq(videoUploadParts.videoId, videoId), notExists(stillUploading)));
}
