import { eq } from "drizzle-orm";
import { type PlaybackAd, playbackAd } from "../ads/delivery";
import { entitlementsFor } from "../billing/entitlements";
import { publicPosterUrl } from "../catalog/cards";
import { videos } from "../db/schema";
import { AppError } from "../lib/errors";
import type { Services } from "../services";
import type { Actor } from "../types";
import { isPubliclyVisible } from "../videos/access";
import { assertCanWatch, sourceHeightOf } from "./access";
import { currentGeneration } from "./revocation";
import { acquireStream, deviceLabel, heartbeatSeconds } from "./streams/service";
import { issuePlaybackToken } from "./token";
import { mediaUrl } from "./urls";

export interface PlaybackRequest {
  /** Re-issue for the caller's own live stream instead of taking another slot. */
  streamId?: string;
  userAgent?: string;
  /** The raw request, for the ad decision's context (country, device, language); no ad without it. */
  request?: Request;
}

export async function getPlayback(
  s: Services,
  actor: Actor | null,
  videoId: string,
  req: PlaybackRequest = {},
) {
  // The generation is read before the row: a narrowing change writes the row first and then moves
  // the generation, so a grant that still saw the old row carries the old generation and is revoked.
  const [generation, video, entitlements] = await Promise.all([
    currentGeneration(s.env.SETTINGS, videoId),
    s.db.select().from(videos).where(eq(videos.id, videoId)).get(),
    // Once per request: the plan decides premium videos, the height cap and the stream limit.
    entitlementsFor(s, actor?.accountId ?? null),
  ]);
  if (!video) throw new AppError("not_found", "No such video");
  assertCanWatch(actor, video, entitlements);
  if (!video.playable) {
    throw new AppError(
      "conflict",
      `The video is not playable yet (status ${video.status}, ${video.progress}% processed)`,
    );
  }
  // A signed-in viewer holds one of the plan's concurrent streams (after the access checks, so a
  // refused request takes no slot; before signing, so a refused stream gets no URL).
  const stream = actor
    ? await acquireStream(s, {
        accountId: actor.accountId,
        profileId: actor.profileId,
        limit: entitlements.streams,
        ...(req.streamId ? { streamId: req.streamId } : {}),
        // One stream per signed-in session: a re-request from the same browser keeps its slot.
        sessionId: actor.sessionId,
        device: deviceLabel(req.userAgent),
        videoId,
      })
    : null;
  const maxHeight = entitlements.maxHeight;
  const issuedAt = Math.floor(Date.now() / 1000);
  const expires = issuedAt + s.config.playback.tokenTtlSeconds;
  // A pre-roll only for plans with ads, before finished content (a growing playlist has no end to
  // stitch against), and only on a video anyone may see: not for the owner's preview of a private
  // video, nor the owner or a moderator playing one moderation hid (no advertiser pays for those).
  // Decided after the stream slot, so a refused playback reserves no budget.
  const adRequest =
    req.request &&
    !entitlements.adFree &&
    video.status === "ready" &&
    video.kind === "content" &&
    isPubliclyVisible(video)
      ? req.request
      : null;
  const preroll = adRequest ? await playbackAd(s, actor, video, adRequest, issuedAt) : null;
  const token = await issuePlaybackToken(s.config.mediaSigningKey, {
    videoId,
    expires,
    maxHeight,
    generation,
    ...(preroll ? { ad: preroll.grant } : {}),
  });
  const url = (path: string) => mediaUrl(s.config, videoId, token, path);
  // A video anyone may see gets the poster link its cards carry (day-stable, same generation): the
  // watch page's first screen (web/first-screen.ts) painted that one, so the player's poster is the
  // same request, already in the browser's cache, instead of a second download of the same image.
  const posterUrl = isPubliclyVisible(video)
    ? await publicPosterUrl(s.config, videoId, issuedAt * 1000, generation)
    : url("thumbs/poster.jpg");
  return {
    videoId,
    status: video.status,
    playable: video.playable,
    progress: video.progress,
    /** True while the ladder is still growing: the playlist is an EVENT playlist without an end yet. */
    growing: video.status !== "ready",
    durationMs: video.durationMs,
    maxHeight,
    /** The tallest rendition the video has: above maxHeight, the quality menu offers an upgrade. */
    sourceHeight: sourceHeightOf(video),
    /** The stream slot this playback holds (signed in), kept alive by heartbeats every heartbeatSeconds. */
    streamId: stream?.streamId ?? null,
    heartbeatSeconds: stream ? heartbeatSeconds(s.config) : null,
    manifestUrl: url("hls/master.m3u8"),
    posterUrl,
    storyboardUrl: url("storyboard/storyboard.vtt"),
    expiresAt: new Date(expires * 1000).toISOString(),
    /** The pre-roll stitched into this playback's media playlists (null: none). */
    ad: (preroll?.ad ?? null) satisfies PlaybackAd | null,
  };
}
