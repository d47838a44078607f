import { eq } from "drizzle-orm";
import { videos } from "../db/schema";
import { AppError } from "../lib/errors";
import type { Services } from "../services";
import type { Actor } from "../types";
import { assertCanWatch, planMaxHeight } from "./access";
import { issuePlaybackToken } from "./token";

export async function getPlayback(s: Services, actor: Actor | null, videoId: string, origin: string) {
  const video = await s.db.select().from(videos).where(eq(videos.id, videoId)).get();
  if (!video) throw new AppError("not_found", "No such video");
  assertCanWatch(actor, video, s.config);
  if (!video.playable) {
    throw new AppError(
      "conflict",
      `The video is not playable yet (status ${video.status}, ${video.progress}% processed)`,
    );
  }
  const maxHeight = planMaxHeight(actor, s.config);
  const expires = Math.floor(Date.now() / 1000) + s.config.playback.tokenTtlSeconds;
  const token = await issuePlaybackToken(s.config.mediaSigningKey, { videoId, expires, maxHeight });
  const base = `${origin}/media/${videoId}/${token}`;
  return {
    videoId,
    status: video.status,
    playable: video.playable,
    progress: video.progress,
    /** True while the ladder is still growing: the playlist is an EVENT playlist without an end yet. */
    growing: video.status !== "ready",
    durationMs: video.durationMs,
    maxHeight,
    manifestUrl: `${base}/hls/master.m3u8`,
    posterUrl: `${base}/thumbs/poster.jpg`,
    storyboardUrl: `${base}/storyboard/storyboard.vtt`,
    expiresAt: new Date(expires * 1000).toISOString(),
  };
}
