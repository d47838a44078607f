/**
 * Reads the analytics rollups for the API (docs/analytics.md). Each request checks who may read the
 * scope, then sends that scope's reads (query.ts) in one batch and shapes them (figures.ts).
 *
 * Who reads what: a video's analytics, its owner (a grown-up profile) or an admin; anyone else gets
 * 404, as for every owner-only read, so ids cannot be probed. The channel's, the caller's own channel
 * (404 without one). Platform quality, grown-up admins.
 */
import type { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { authorize } from "../auth/permissions";
import { channels, videos } from "../db/schema";
import { AppError } from "../lib/errors";
import { currentGeneration } from "../playback/revocation";
import { issuePlaybackToken } from "../playback/token";
import { publicBaseUrl } from "../playback/urls";
import type { Services } from "../services";
import type { Actor } from "../types";
import { iso, scopeFigures } from "./figures";
import { type ScopeKey, type ScopeRows, scopeQueries, topVideoRows } from "./query";
import { type AnalyticsRange, resolveRange } from "./range";
import type { AnalyticsQuery, ChannelAnalytics, PlatformQoe, VideoAnalytics } from "./schemas";

/** The channel page's "top videos". */
export const TOP_VIDEOS = 10;
/** The startup histograms the platform's quality breakdowns need (renditions have none: a view starts before it plays any). */
const PLATFORM_STARTUP_DIMS = ["country", "device", "player"] as const;

const rangeFields = (range: AnalyticsRange) => ({
  from: iso(range.from),
  to: iso(range.to),
  granularity: range.grain,
});

const rowsOf = ([series, cover, dims, startup, dimStartup]: readonly [
  ScopeRows["series"],
  ScopeRows["cover"],
  ScopeRows["dims"],
  ScopeRows["startup"],
  ScopeRows["dimStartup"],
  ...unknown[],
]): ScopeRows => ({ series, cover, dims, startup, dimStartup });

/**
 * The video's storyboard (WebVTT index; its cues name the sprite beside it) for the owner's analytics
 * page, whatever the video's visibility or moderation state. Signed as the owner's own playback grant
 * (the lowest rung, as catalog/listings.ts signs the studio's posters of hidden videos): a card grant
 * opens the storyboard of public and unlisted videos only (playback/media.ts assertCardImagePath),
 * and the owner may play every video of theirs. Null until the video is ready (the storyboard is
 * published with the last rung). Carries the current generation, so narrowing the video revokes it.
 */
function ownerStoryboardUrl(s: Services, video: { id: string; status: string }, generation: number) {
  if (video.status !== "ready") return Promise.resolve(null);
  const expires = Math.floor(Date.now() / 1000) + s.config.playback.tokenTtlSeconds;
  return issuePlaybackToken(s.config.mediaSigningKey, {
    videoId: video.id,
    expires,
    maxHeight: 1,
    generation,
  }).then((token) => `${publicBaseUrl(s.config)}/media/${video.id}/${token}/storyboard/storyboard.vtt`);
}

export async function videoAnalytics(
  s: Services,
  actor: Actor,
  videoId: string,
  q: AnalyticsQuery,
): Promise<z.infer<typeof VideoAnalytics>> {
  const range = resolveRange(q);
  const key: ScopeKey = { scope: "video", scopeId: videoId };
  // The video and its figures in one round trip. The figures are read before the check and dropped
  // when it refuses: they leave this function only for a caller who may read them.
  // The generation (KV) is read beside the batch, not after it: the storyboard link needs it.
  const [[videoRows, ...rows], generation] = await Promise.all([
    s.db.batch([
      s.db.select().from(videos).where(eq(videos.id, videoId)).limit(1),
      ...scopeQueries(s.db, key, range, []),
    ]),
    currentGeneration(s.env.SETTINGS, videoId),
  ]);
  const video = videoRows[0];
  if (!video || video.status === "deleted") throw new AppError("not_found", "No such video");
  authorize(actor, "analytics.own", { ownerAccountId: video.accountId }, { hideExistence: true });
  const f = scopeFigures(rowsOf(rows));
  return {
    videoId: video.id,
    durationMs: video.durationMs,
    storyboardUrl: await ownerStoryboardUrl(s, video, generation),
    ...rangeFields(range),
    computedAt: f.computedAt,
    totals: f.totals,
    qoe: f.qoe,
    series: f.series,
    trafficSources: f.breakdown("source"),
    countries: f.breakdown("country"),
    devices: f.breakdown("device"),
    retention: f.retention(video.durationMs),
    renditions: f.qoeBreakdown("rendition"),
  };
}

export async function channelAnalytics(
  s: Services,
  actor: Actor,
  q: AnalyticsQuery,
): Promise<z.infer<typeof ChannelAnalytics>> {
  // The caller's own account: this refuses only a kids profile (analytics.own wants a grown-up).
  authorize(actor, "analytics.own", { ownerAccountId: actor.accountId });
  const channel = await s.db
    .select({ id: channels.id })
    .from(channels)
    .where(eq(channels.accountId, actor.accountId))
    .get();
  if (!channel) throw new AppError("not_found", "Your account has no channel");
  const range = resolveRange(q);
  const key: ScopeKey = { scope: "channel", scopeId: channel.id };
  const batch = await s.db.batch([
    ...scopeQueries(s.db, key, range, []),
    topVideoRows(s.db, channel.id, range, TOP_VIDEOS),
  ]);
  const top = batch[5];
  const f = scopeFigures(rowsOf(batch));
  return {
    channelId: channel.id,
    ...rangeFields(range),
    computedAt: f.computedAt,
    totals: f.totals,
    qoe: f.qoe,
    series: f.series,
    trafficSources: f.breakdown("source"),
    countries: f.breakdown("country"),
    devices: f.breakdown("device"),
    topVideos: top.map((v) => ({
      videoId: v.videoId,
      title: v.title,
      views: v.views,
      watchTimeMs: v.watchMs,
      averageViewDurationMs: v.views > 0 ? Math.round(v.watchMs / v.views) : 0,
    })),
  };
}

export async function platformQoe(
  s: Services,
  actor: Actor,
  q: AnalyticsQuery,
): Promise<z.infer<typeof PlatformQoe>> {
  authorize(actor, "analytics.platform");
  const range = resolveRange(q);
  const key: ScopeKey = { scope: "platform", scopeId: "" };
  const f = scopeFigures(rowsOf(await s.db.batch(scopeQueries(s.db, key, range, PLATFORM_STARTUP_DIMS))));
  return {
    ...rangeFields(range),
    computedAt: f.computedAt,
    totals: f.qoe,
    series: f.series,
    byRendition: f.qoeBreakdown("rendition"),
    byCountry: f.qoeBreakdown("country"),
    byDevice: f.qoeBreakdown("device"),
    byPlayerVersion: f.qoeBreakdown("player"),
  };
}
