/** A video's source upload after creation: progress and resume, completion, abort. */
import { and, eq } from "drizzle-orm";
import { videos } from "../db/schema";
import { storeUnavailable } from "../lib/db-errors";
import { AppError } from "../lib/errors";
import { assertCanUpload } from "../moderation/strikes";
import type { Services } from "../services";
import { enqueueTranscode } from "../transcode-queue/client";
import type { Actor } from "../types";
import { authorizeUpload, loadVideo } from "./access";
import { forgetParts, listStoredParts, partProgress, plannedParts, type StoredPart } from "./parts";
import { signParts, signSinglePut, singlePutHeaders, uploadExpiry } from "./upload-urls";
import { type VideoRow, videoView } from "./view";

const isMultipart = (v: VideoRow) => v.uploadPartCount !== null;

/**
 * What storage holds of the upload, with freshly signed URLs for whatever is missing, so an
 * interrupted upload resumes where it stopped. Once the upload is over nothing is missing.
 */
export async function getUploadStatus(s: Services, actor: Actor, videoId: string) {
  const v = await loadVideo(s.db, videoId);
  authorizeUpload(actor, v);
  // Fresh part URLs are an upload: a strike's freeze (or a suspension) also stops resuming an
  // upload created before it.
  await assertCanUpload(s, v.channelId);
  const waiting = v.status === "awaiting_upload";
  const base = {
    status: v.status,
    size: v.sourceSize,
    contentType: v.sourceType,
    headers: isMultipart(v) ? {} : singlePutHeaders(v),
  };

  if (!isMultipart(v)) {
    const stored = waiting ? await s.env.MEDIA.head(v.sourceKey) : null;
    const done = waiting ? stored?.size === v.sourceSize : v.uploadedAt !== null;
    return {
      kind: "single" as const,
      ...base,
      uploadedParts: done ? [{ partNumber: 1, size: v.sourceSize }] : [],
      missingParts:
        waiting && !done
          ? [{ partNumber: 1, url: await signSinglePut(s.config, v), size: v.sourceSize }]
          : [],
      expiresAt: waiting && !done ? uploadExpiry(s.config) : null,
    };
  }

  const multipart = {
    ...base,
    kind: "multipart" as const,
    partSize: v.uploadPartSize ?? 0,
    partCount: v.uploadPartCount ?? 0,
  };
  if (!waiting) {
    const uploadedParts = v.uploadedAt !== null ? plannedParts(v) : [];
    return { ...multipart, uploadedParts, missingParts: [], expiresAt: null };
  }
  const { uploaded, missing } = partProgress(v, await listStoredParts(s.db, s.config, v));
  return {
    ...multipart,
    uploadedParts: uploaded.map(({ partNumber, size }) => ({ partNumber, size })),
    missingParts: await signParts(
      s.config,
      v,
      missing.map((p) => p.partNumber),
    ),
    expiresAt: missing.length > 0 ? uploadExpiry(s.config) : null,
  };
}

function describeMissing(missing: { partNumber: number }[], partCount: number): string {
  const numbers = missing.slice(0, 10).map((p) => p.partNumber);
  const more = missing.length > numbers.length ? ", …" : "";
  return `${missing.length} of ${partCount} parts are missing (part ${numbers.join(", ")}${more}); GET /api/v1/videos/{id}/upload gives fresh URLs for them`;
}

/** Joins the stored parts into the source object; a concurrent completion that won is fine too. */
async function completeMultipart(s: Services, v: VideoRow): Promise<void> {
  const { uploaded, missing } = partProgress(v, await listStoredParts(s.db, s.config, v));
  if (missing.length > 0) throw new AppError("conflict", describeMissing(missing, v.uploadPartCount ?? 0));
  const parts = uploaded.map((p: StoredPart) => ({ partNumber: p.partNumber, etag: p.etag }));
  try {
    await s.env.MEDIA.resumeMultipartUpload(v.sourceKey, v.uploadId ?? "").complete(parts);
  } catch (error) {
    // R2 failing for its own reasons is the 503 `unavailable` (middleware/errors.ts): the parts are
    // still there and completing again joins them. Anything else may be a completion that won.
    if (storeUnavailable(error)) throw error;
    const stored = await s.env.MEDIA.head(v.sourceKey);
    if (stored?.size !== v.sourceSize) {
      throw new AppError("conflict", "Storage could not join the parts; check GET …/upload and retry", {
        cause: error,
      });
    }
  }
}

/**
 * Checks that storage holds the whole file (exactly the declared size), marks the video `uploaded`,
 * queues its transcode and marks it `queued`. Before any upload, or with parts missing: 409 and
 * nothing changes. Calling it again once queued: 409. If queueing failed after the file was
 * stored, the video stays `uploaded` and calling again retries the queueing.
 */
export async function completeUpload(s: Services, actor: Actor, videoId: string) {
  const v = await loadVideo(s.db, videoId);
  authorizeUpload(actor, v);
  // Completing queues the transcode that publishes the video: frozen like starting one.
  await assertCanUpload(s, v.channelId);
  let sourceEtag: string;
  if (v.status === "awaiting_upload") sourceEtag = await markUploaded(s, v);
  else if (v.status === "uploaded") {
    // A retry after the queue failed: the storage route has refused writes to this source since
    // it left awaiting_upload, so what is stored now is what the first call checked (an R2
    // presigned PUT could still write, but only the declared length — see docs/media-pipeline.md).
    const stored = await s.env.MEDIA.head(v.sourceKey);
    if (!stored) throw new AppError("conflict", "The stored file is gone; create a new video");
    sourceEtag = stored.etag;
  } else {
    const why =
      v.status === "failed" ? `it failed: ${v.failureReason ?? "unknown reason"}` : `status ${v.status}`;
    throw new AppError("conflict", `The upload is already over (${why})`);
  }

  try {
    // The job is pinned to the version just checked (snapshot by ETag): the source's upload URLs
    // stay valid for a while (R2 presigned PUTs cannot be revoked), so a later write must not
    // become what is transcoded; the origin's signed GET answers 412 for any other version.
    await enqueueTranscode(s.env, videoId, { sourceEtag });
  } catch (error) {
    s.log("error", { event: "transcode-enqueue-failed", videoId, error: String(error) });
    throw new AppError(
      "delivery_failed",
      "The file is stored, but the job queue did not answer; call upload-complete again to queue it",
      { cause: error },
    );
  }
  // The queue may already have moved it on (queued → processing); only `uploaded` becomes `queued`.
  await s.db
    .update(videos)
    .set({ status: "queued", updatedAt: Date.now() })
    .where(and(eq(videos.id, videoId), eq(videos.status, "uploaded")));
  return videoView(await loadVideo(s.db, videoId));
}

/** Checks the stored source and moves the video to `uploaded`; returns the ETag it checked. */
async function markUploaded(s: Services, v: VideoRow): Promise<string> {
  if (isMultipart(v)) await completeMultipart(s, v);
  const stored = await s.env.MEDIA.head(v.sourceKey);
  if (!stored) throw new AppError("conflict", "Nothing has been uploaded yet");
  if (stored.size !== v.sourceSize) {
    if (isMultipart(v)) await fail(s, v.id, "the stored file's size differs from the declared size");
    throw new AppError(
      "conflict",
      `Storage holds ${stored.size} bytes but ${v.sourceSize} were declared${isMultipart(v) ? "" : "; upload the file again"}`,
    );
  }
  const now = Date.now();
  // One batch (one transaction): the video leaves awaiting_upload and its part records go with it.
  // Apart, a failure between the two would leave part rows of an upload that is over, claiming
  // parts R2 no longer keeps (the multipart upload was joined), with no request left to clear them.
  const [moved] = await s.db.batch([
    s.db
      .update(videos)
      .set({ status: "uploaded", uploadedAt: now, updatedAt: now, uploadId: null })
      .where(and(eq(videos.id, v.id), eq(videos.status, "awaiting_upload")))
      .returning({ id: videos.id }),
    forgetParts(s.db, v.id),
  ]);
  if (moved.length === 0)
    throw new AppError("conflict", "The upload was completed, aborted or deleted meanwhile");
  return stored.etag;
}

/** Ends an upload in progress as `failed`, its part records in the same batch; false if it was not in progress. */
async function fail(s: Services, videoId: string, reason: string): Promise<boolean> {
  const now = Date.now();
  const [failed] = await s.db.batch([
    s.db
      .update(videos)
      .set({ status: "failed", failureReason: reason, uploadId: null, updatedAt: now })
      .where(and(eq(videos.id, videoId), eq(videos.status, "awaiting_upload")))
      .returning({ id: videos.id }),
    forgetParts(s.db, videoId),
  ]);
  return failed.length > 0;
}

/**
 * Gives up on the upload: the multipart upload is aborted, any stored bytes are deleted, and the
 * video becomes `failed` ("upload aborted"). To try again, create a new video.
 */
export async function abortUpload(s: Services, actor: Actor, videoId: string) {
  const v = await loadVideo(s.db, videoId);
  authorizeUpload(actor, v);
  if (v.status !== "awaiting_upload" || !(await fail(s, videoId, "upload aborted"))) {
    throw new AppError("conflict", `Only an upload in progress can be aborted (status ${v.status})`);
  }
  // The part records went with the status (fail); the bytes go after, in R2.
  await discardSource(s.env, v);
  return videoView(await loadVideo(s.db, videoId));
}

/** Aborts the multipart upload (if any) and deletes whatever source bytes were stored. */
export async function discardSource(env: Env, v: Pick<VideoRow, "sourceKey" | "uploadId">): Promise<void> {
  if (v.uploadId) {
    await env.MEDIA.resumeMultipartUpload(v.sourceKey, v.uploadId)
      .abort()
      .catch(() => {});
  }
  await env.MEDIA.delete(v.sourceKey);
}
