/**
 * How the rest of the edge reaches the queue: the jobs domain through `transcodeQueue(env)` (RPC),
 * the videos domain through `enqueueTranscode` / `cancelTranscode`.
 */
import type { Logger } from "../lib/logger";
import type { TranscodeQueue } from "./object";

/** The name of the one global queue instance (docs/media-pipeline.md). */
export const QUEUE_NAME = "global";

/** The global TranscodeQueue stub, typed for RPC. */
export function transcodeQueue(env: Env): DurableObjectStub<TranscodeQueue> {
  return env.TRANSCODE_QUEUE.get(env.TRANSCODE_QUEUE.idFromName(QUEUE_NAME));
}

/**
 * Queues the video's transcode (idempotent per video on the queue's side). Throws on failure.
 * `sourceEtag` pins the job to the source version upload-complete checked (docs/security.md, 12).
 */
export async function enqueueTranscode(
  env: Env,
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
