import type { TranscodeQueue } from "./transcode-queue";

/** The name of the one global queue instance (docs/media-pipeline.md). */
export const QUEUE_NAME = "global";

/**
 * The global TranscodeQueue stub, typed for RPC. Callers outside the jobs domain (upload-complete,
 * video DELETE) use `transcodeQueue(env).enqueue(videoId)` / `.cancel(videoId)`.
 */
export function transcodeQueue(env: Env): DurableObjectStub<TranscodeQueue> {
  return env.TRANSCODE_QUEUE.get(env.TRANSCODE_QUEUE.idFromName(QUEUE_NAME));
}
