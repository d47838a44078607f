import { eq } from "drizzle-orm";
import { videos } from "../db/schema";
import { AppError } from "../lib/errors";
import type { Services } from "../services";
import type { Actor } from "../types";
import { assertCanWatch, planMaxHeight } from "./access";
import { currentGeneration } from "./revocation";
import { issuePlaybackToken } from "./token";
import { mediaUrl } from "./urls";

export async function getPlayback(s: Services, actor: Actor | null, videoId: string) {
  // The generation is read before the row: a narrowing change writes the row first and then moves
  // the generation, so a grant that still saw the old row carries the old generation and is revoked.
  const generation = await currentGeneration(s.env.SETTINGS, videoId);
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
  const token = await issuePlaybackToken(s.config.mediaSigningKey, {
    videoId,
    expires,
    maxHeight,
    generation,
  });
  const url = (path: string) => mediaUrl(s.config, videoId, token, path);
  return {
    videoId,
    status: video.status,
    playable: video.playable,
    progress: video.progress,
    /** True while the ladder is still growing: the playlist is an EVENT playlist without an end yet. */
    growing: video.status !== "ready",
    durationMs: video.durationMs,
    maxHeight,
    manifestUrl: url("hls/master.m3u8"),
    posterUrl: url("thumbs/poster.jpg"),
    storyboardUrl: url("storyboard/storyboard.vtt"),
    expiresAt: new Date(expires * 1000).toISOString(),
  };
}
