/**
 * The internal API's service functions (origin → edge; docs/media-pipeline.md). Each one asks the
 * TranscodeQueue first — it decides who holds which job — and then brings the videos row in D1
 * in line with the answer (video-state.ts).
 *
 * Why the handlers, not the queue object, write D1: the queue's methods stay purely synchronous
 * SQLite, which is what makes each of them atomic; a D1 round trip inside them would let other
 * calls interleave. The origin retries a call whose answer it did not get, and every D1 update
 * is conditional and idempotent, so a failure between the two steps heals on the retry (or on the
 * next heartbeat). The one path with no HTTP caller — a lease lapsing — is written to D1 by the
 * queue's alarm through its outbox.
 */
import type {
  CompleteRequest,
  FailRequest,
  HeartbeatRequest,
  LeasedJob,
  OutputsRequest,
  ReleaseRequest,
  SignedOutput,
} from "@marquee/shared";
import { eq } from "drizzle-orm";
import type { z } from "zod";
import { videos } from "../db/schema";
import { publishEvent } from "../events/publish";
import { AppError } from "../lib/errors";
import type { Services } from "../services";
import { createStorageSigner } from "../storage/signer";
import { transcodeQueue } from "../transcode-queue/client";
import { announceFailure } from "./failure-event";
import { applyVideoUpdate, markFirstPlayable, markReady, type VideoUpdate, videoGone } from "./video-state";

/** Long enough to download a large source slowly; a Range request resumes within it. */
export const SOURCE_URL_TTL_SECONDS = 6 * 3600;
/** Output URLs are asked for as files finish, so one hour is plenty. */
export const OUTPUT_URL_TTL_SECONDS = 3600;
/** Jobs whose video vanished are dropped during a lease; at most this many per call. */
const MAX_STALE_SKIPS = 10;

export const masterKey = (videoId: string) => `videos/${videoId}/hls/master.m3u8`;

const leaseLost = () =>
  new AppError(
    "conflict",
    "The lease on this job is no longer yours (expired, cancelled, or handed to another worker): stop and discard the work",
  );

/** Applies a D1 update that a later call repeats anyway (a heartbeat); failures are logged, not fatal. */
async function bestEffort(s: Services, videoId: string, update: VideoUpdate): Promise<void> {
  try {
    await applyVideoUpdate(s.db, videoId, update);
  } catch (error) {
    s.log("warn", { event: "video-state-update-failed", videoId, update: update.kind, error: String(error) });
  }
}

export async function leaseJob(s: Services, workerId: string): Promise<LeasedJob | null> {
  const queue = transcodeQueue(s.env);
  const { leaseSeconds, maxAttempts } = s.config.jobs;
  for (let skipped = 0; skipped <= MAX_STALE_SKIPS; skipped++) {
    const lease = await queue.lease(workerId, { leaseSeconds, maxAttempts });
    if (!lease) return null;
    const { job, leaseToken } = lease;
    try {
      const video = await s.db
        .select({
          status: videos.status,
          sourceKey: videos.sourceKey,
          size: videos.sourceSize,
          type: videos.sourceType,
          kind: videos.kind,
        })
        .from(videos)
        .where(eq(videos.id, job.videoId))
        .get();
      if (!video || video.status === "deleted") {
        // The video went away but its job survived (DELETE's cancel did not reach the queue).
        // Drop the job here and hand out the next one instead.
        await queue.cancel(job.videoId);
        s.log("warn", {
          event: "transcode-job-dropped",
          jobId: job.id,
          videoId: job.videoId,
          reason: "video gone",
        });
        continue;
      }
      await bestEffort(s, job.videoId, { kind: "processing" });
      // Pinned to the version upload-complete checked: a later write to the source (an upload URL
      // is still valid for a while) answers 412 instead of being transcoded.
      const ifMatch = lease.sourceEtag ?? undefined;
      const url = await createStorageSigner(s.config).presign({
        method: "GET",
        key: video.sourceKey,
        expiresInSeconds: SOURCE_URL_TTL_SECONDS,
        ifMatch,
      });
      s.log("info", {
        event: "transcode-job-leased",
        jobId: job.id,
        videoId: job.videoId,
        workerId,
        attempt: lease.attempt,
      });
      return {
        id: job.id,
        videoId: job.videoId,
        leaseToken,
        leaseExpiresAt: lease.leaseExpiresAt,
        attempt: lease.attempt,
        kind: video.kind,
        source: { url, size: video.size, contentType: video.type, ...(ifMatch ? { etag: ifMatch } : {}) },
        // An ad creative is at most ADS_MAX_CREATIVE_SECONDS long (the origin refuses a longer source).
        limits:
          video.kind === "ad"
            ? { ...s.config.sourceLimits, maxDurationSeconds: s.config.ads.maxCreativeSeconds }
            : s.config.sourceLimits,
      };
    } catch (error) {
      // The caller never learns this lease: give it back now rather than let it lapse, which
      // would cost the job an attempt.
      await queue.release(job.id, leaseToken).catch(() => {});
      await bestEffort(s, job.videoId, { kind: "requeued" });
      throw error;
    }
  }
  return null;
}

export async function heartbeat(
  s: Services,
  jobId: string,
  body: z.infer<typeof HeartbeatRequest>,
): Promise<{ leaseExpiresAt: number }> {
  const queue = transcodeQueue(s.env);
  const beat = await queue.heartbeat(jobId, body.leaseToken, body.progress, body.playable);
  if (!beat.ok) throw leaseLost();
  try {
    // Subscribers hear of a video as soon as it can be watched, not when the whole ladder is done.
    const firstPlayable = beat.playable ? await markFirstPlayable(s.db, beat.videoId) : null;
    if (firstPlayable) await announce(s, firstPlayable);
    const moved = await applyVideoUpdate(s.db, beat.videoId, {
      kind: "progress",
      progress: beat.progress,
      playable: beat.playable,
    });
    // The video was deleted but the cancel never reached the queue: end the job now, so the
    // origin stops spending hours on it.
    if (!moved && (await videoGone(s.db, beat.videoId))) {
      await queue.cancel(beat.videoId);
      throw leaseLost();
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    // The lease is extended, which is what matters; the next heartbeat writes the progress again.
    s.log("warn", {
      event: "video-state-update-failed",
      videoId: beat.videoId,
      update: "progress",
      error: String(error),
    });
  }
  return { leaseExpiresAt: beat.leaseExpiresAt };
}

/** Signs one PUT per requested output under `videos/{videoId}/`, for the current lease holder only. */
export async function signOutputs(
  s: Services,
  jobId: string,
  body: z.infer<typeof OutputsRequest>,
): Promise<{ urls: SignedOutput[] }> {
  const held = await transcodeQueue(s.env).verifyLease(jobId, body.leaseToken);
  if (!held.ok) throw leaseLost();
  const signer = createStorageSigner(s.config);
  const urls = await Promise.all(
    body.files.map(async (file): Promise<SignedOutput> => {
      // The path was validated against OUTPUT_PATH; the video id comes from the job, never from
      // the caller, so a lease can only ever write under its own video's prefix. Content types
      // are signed in lower case, the form the storage route compares against.
      const contentType = file.contentType.toLowerCase();
      const url = await signer.presign({
        method: "PUT",
        key: `videos/${held.videoId}/${file.path}`,
        expiresInSeconds: OUTPUT_URL_TTL_SECONDS,
        contentType,
        ...(file.size !== undefined ? { contentLength: file.size } : {}),
      });
      return { path: file.path, url, method: "PUT", headers: { "content-type": contentType } };
    }),
  );
  return { urls };
}

export async function completeJob(
  s: Services,
  jobId: string,
  body: z.infer<typeof CompleteRequest>,
): Promise<{ videoId: string; status: "ready" }> {
  const queue = transcodeQueue(s.env);
  const held = await queue.verifyLease(jobId, body.leaseToken, { orCompleted: true });
  if (!held.ok) throw leaseLost();
  // A cheap check that the outputs exist: one HEAD for the master playlist, which names every
  // rendition (checking each segment would cost a request per object).
  if (!(await s.env.MEDIA.head(masterKey(held.videoId)))) {
    throw new AppError(
      "bad_request",
      `${masterKey(held.videoId)} is not stored: upload the outputs before completing the job`,
    );
  }
  // The queue decides: a lease that lapsed between the check above and here loses.
  const done = await queue.complete(jobId, body.leaseToken);
  if (!done.ok) throw leaseLost();
  const published = await markReady(s.db, done.videoId, body.result);
  // Usually already announced when it became playable; the per-video event id makes the
  // consumer drop the repeat, and covers an origin that never reported playable.
  if (published) await announce(s, published);
  s.log("info", { event: "transcode-job-completed", jobId, videoId: done.videoId, repeated: done.repeated });
  return { videoId: done.videoId, status: "ready" };
}

/**
 * `video.published`, with one event id per video so repeats are dropped by the consumer. Never for
 * an ad creative: it is no video of the channel's to announce (the fan-out would drop it as private
 * anyway; not emitting it keeps every other consumer from hearing of it too).
 */
async function announce(
  s: Services,
  video: NonNullable<Awaited<ReturnType<typeof markReady>>>,
): Promise<void> {
  if (video.kind === "ad") return;
  await publishEvent(
    s.env,
    "video.published",
    {
      videoId: video.videoId,
      channelId: video.channelId,
      accountId: video.accountId,
      title: video.title,
      visibility: video.visibility,
    },
    { id: `evt_published_${video.videoId}` },
  );
}

export async function failJob(
  s: Services,
  jobId: string,
  body: z.infer<typeof FailRequest>,
): Promise<{ status: "queued" | "failed"; attempts: number; maxAttempts: number }> {
  const result = await transcodeQueue(s.env).fail(jobId, body.leaseToken, body.reason, body.retryable);
  if (!result.ok) throw leaseLost();
  await applyVideoUpdate(
    s.db,
    result.videoId,
    result.state === "failed" ? { kind: "failed", reason: result.reason } : { kind: "requeued" },
  );
  if (result.state === "failed") {
    await announceFailure(s.env, s.db, result.videoId, `evt_failed_${jobId}`, result.reason);
  }
  s.log(result.state === "failed" ? "warn" : "info", {
    event: "transcode-job-failed",
    jobId,
    videoId: result.videoId,
    final: result.state === "failed",
    attempts: result.attempts,
    reason: body.reason,
  });
  return { status: result.state, attempts: result.attempts, maxAttempts: result.maxAttempts };
}

export async function releaseJob(
  s: Services,
  jobId: string,
  body: z.infer<typeof ReleaseRequest>,
): Promise<{ status: "queued" }> {
  const result = await transcodeQueue(s.env).release(jobId, body.leaseToken);
  if (!result.ok) throw leaseLost();
  await applyVideoUpdate(s.db, result.videoId, { kind: "requeued" });
  return { status: "queued" };
}
