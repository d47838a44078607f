/**
 * The videos domain's calls into the transcode job queue (the global `TranscodeQueue` Durable
 * Object; docs/media-pipeline.md).
 */
import { transcodeQueue } from "../jobs/queue";
import type { Logger } from "../lib/logger";

/**
 * Queues the video's transcode (idempotent per video on the queue's side). Throws on failure.
 * `sourceEtag` pins the job to the source version upload-complete checked (docs/security.md, 12).
 */
export async function enqueueTranscode(
  env: Env,
  _log: Logger,
  videoId: string,
  options: { sourceEtag?: string } = {},
): Promise<void> {
  await transcodeQueue(env).enqueue(videoId, options);
}

/**
 * Cancels the video's job, if any. Deleting a video must not fail because the queue is down: the
 * job then finds the video deleted when it reports, and the failure is logged.
 */
export async function cancelTranscode(env: Env, log: Logger, videoId: string): Promise<void> {
  try {
    await transcodeQueue(env).cancel(videoId);
  } catch (error) {
    log("error", { event: "transcode-cancel-failed", videoId, error: String(error) });
  }
}
