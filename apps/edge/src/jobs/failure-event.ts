import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { videos } from "../db/schema";
import { publishEvent } from "../events/publish";

/**
 * `video.failed` for a content video whose transcode failed for good: from the origin's last
 * `fail` (jobs/service.ts) or from a lapsed last lease (the transcode queue's outbox). `eventId` is
 * stable per failure, so a repeat is dropped by the consumer. Not for ad creatives (like
 * `video.published`).
 */
export async function announceFailure(env: Env, db: Db, videoId: string, eventId: string, reason: string) {
  const video = await db
    .select({ channelId: videos.channelId, kind: videos.kind })
    .from(videos)
    .where(eq(videos.id, videoId))
    .get();
  if (!video || video.kind === "ad") return;
  await publishEvent(env, "video.failed", { videoId, channelId: video.channelId, reason }, { id: eventId });
}
