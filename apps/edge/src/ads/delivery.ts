/**
 * Ad delivery (docs/ads.md): the pre-roll of a playback (playback/service.ts), VAST 4.2 for
 * third-party players, and the signed beacons and click redirect. The decision itself is
 * decision.ts; counting is the campaign object's (`track`, once per session and event).
 */
import { AD_MP4_MAX_HEIGHT, AD_MP4_PATH } from "@marquee/shared";
import { eq } from "drizzle-orm";
import { entitlementsFor } from "../billing/entitlements";
import type { Db } from "../db/client";
import { adCampaigns, type CampaignStatus, videos } from "../db/schema";
import { AppError } from "../lib/errors";
import { isDemonetised } from "../moderation/decisions";
import { currentGeneration } from "../playback/revocation";
import { type AdGrant, issuePlaybackToken } from "../playback/token";
import { mediaUrl } from "../playback/urls";
import type { Services } from "../services";
import type { Actor } from "../types";
import { assertMaturityAllows, isPubliclyVisible } from "../videos/access";
import { adContextFor } from "./context";
import { decideAd } from "./decision";
import {
  beaconExpiry,
  clickUrl,
  trackSession,
  trackUrl,
  verifyBeaconToken,
  verifyClickToken,
} from "./tracking";
import type { AdDecision, TrackEvent } from "./types";
import { EMPTY_VAST, type VastAd, vastDocument } from "./vast";

type VideoRow = typeof videos.$inferSelect;

/** A decision for this viewer and content, or null; a failing decision costs the viewer no playback. */
async function decide(
  s: Services,
  actor: Actor | null,
  video: VideoRow | null,
  request: Request,
): Promise<AdDecision | null> {
  try {
    // A demonetised video, or any video of a demonetised channel, carries no ad (docs/moderation.md).
    if (video && (await isDemonetised(s.db, video))) return null;
    return await decideAd(s, await adContextFor(s, actor, video, request));
  } catch (error) {
    s.log("error", { msg: "ad decision failed", videoId: video?.id ?? null, error: String(error) });
    return null;
  }
}

/** What GET /videos/{id}/playback answers about its pre-roll. */
export interface PlaybackAd {
  sessionId: string;
  campaignId: string;
  durationMs: number;
  title: string;
  /** Absolute, signed: records the click and redirects to the campaign's registered URL. */
  clickUrl: string;
}

/**
 * The pre-roll of a playback the caller already decided may carry one (not ad-free, a ready
 * content video): the grant to sign into the content token and what the response shows. Null when
 * nothing is eligible.
 */
export async function playbackAd(
  s: Services,
  actor: Actor | null,
  video: VideoRow,
  request: Request,
  issuedAtSeconds: number,
): Promise<{ grant: AdGrant; ad: PlaybackAd } | null> {
  const decision = await decide(s, actor, video, request);
  if (!decision) return null;
  const [creativeGeneration, click] = await Promise.all([
    currentGeneration(s.env.SETTINGS, decision.creativeVideoId),
    clickUrl(s.config, {
      sessionId: decision.sessionId,
      campaignId: decision.campaignId,
      expires: beaconExpiry(issuedAtSeconds),
    }),
  ]);
  return {
    grant: {
      sessionId: decision.sessionId,
      campaignId: decision.campaignId,
      creativeVideoId: decision.creativeVideoId,
      creativeGeneration,
    },
    ad: {
      sessionId: decision.sessionId,
      campaignId: decision.campaignId,
      durationMs: decision.durationMs,
      title: decision.title,
      clickUrl: click,
    },
  };
}

// ---- the ad title of stitched playlists ----

/** Creative titles per isolate: a stitched playlist must not cost a D1 read (bench/ads.ts). */
const titles = new Map<string, { title: string; at: number }>();
const TITLE_TTL_MS = 60_000;
const TITLES_MAX = 1000;

/** The creative video's title (the ad's title, as the decision names it), kept a minute per isolate. */
export async function adTitle(db: Db, creativeVideoId: string): Promise<string> {
  const now = Date.now();
  const hit = titles.get(creativeVideoId);
  if (hit && now - hit.at < TITLE_TTL_MS && now >= hit.at) return hit.title;
  const row = await db
    .select({ title: videos.title })
    .from(videos)
    .where(eq(videos.id, creativeVideoId))
    .get();
  const title = row?.title ?? "Ad";
  if (titles.size >= TITLES_MAX) titles.delete(titles.keys().next().value ?? "");
  titles.set(creativeVideoId, { title, at: now });
  return title;
}

// ---- VAST ----

/**
 * A VAST 4.2 document for the caller: an InLine pre-roll, or the empty document when the viewer is
 * ad-free or nothing is eligible. `videoId` names the content it plays before (context and the
 * channel credited); it must be a public, playable content video the caller may see, else 404.
 */
export async function vastFor(
  s: Services,
  actor: Actor | null,
  videoId: string | null,
  request: Request,
): Promise<string> {
  const [entitlements, video] = await Promise.all([
    entitlementsFor(s, actor?.accountId ?? null),
    videoId ? s.db.select().from(videos).where(eq(videos.id, videoId)).get() : null,
  ]);
  if (videoId) {
    const usable =
      video &&
      video.kind === "content" &&
      video.visibility === "public" &&
      video.playable &&
      video.deletedAt === null &&
      isPubliclyVisible(video);
    if (!usable) throw new AppError("not_found", "No such video");
    assertMaturityAllows(actor, video);
  }
  if (entitlements.adFree) return EMPTY_VAST;
  const decision = await decide(s, actor, video ?? null, request);
  if (!decision) return EMPTY_VAST;
  const issuedAt = Math.floor(Date.now() / 1000);
  const [creative, generation] = await Promise.all([
    s.db
      .select({ renditions: videos.renditions, width: videos.width, height: videos.height })
      .from(videos)
      .where(eq(videos.id, decision.creativeVideoId))
      .get(),
    currentGeneration(s.env.SETTINGS, decision.creativeVideoId),
  ]);
  const adToken = await issuePlaybackToken(s.config.mediaSigningKey, {
    videoId: decision.creativeVideoId,
    expires: issuedAt + s.config.playback.tokenTtlSeconds,
    maxHeight: entitlements.maxHeight,
    generation,
    adSession: { sessionId: decision.sessionId, campaignId: decision.campaignId },
  });
  const session = { sessionId: decision.sessionId, campaignId: decision.campaignId };
  const expires = beaconExpiry(issuedAt);
  const beacon = (event: TrackEvent) => trackUrl(s.config, { ...session, event, expires });
  const [impression, start, firstQuartile, midpoint, thirdQuartile, complete, clickTracking, click] =
    await Promise.all([
      beacon("impression"),
      beacon("start"),
      beacon("firstQuartile"),
      beacon("midpoint"),
      beacon("thirdQuartile"),
      beacon("complete"),
      beacon("click"),
      clickUrl(s.config, { ...session, expires }),
    ]);
  // The MP4 is made of the tallest rung at or below AD_MP4_MAX_HEIGHT, else the smallest (the origin's rule).
  const tallestFirst = [...(creative?.renditions ?? [])].sort((a, b) => b.height - a.height);
  const mp4Rung = tallestFirst.find((r) => r.height <= AD_MP4_MAX_HEIGHT) ?? tallestFirst.at(-1);
  const size = {
    width: mp4Rung?.width ?? creative?.width ?? 1280,
    height: mp4Rung?.height ?? creative?.height ?? 720,
  };
  const ad: VastAd = {
    sessionId: decision.sessionId,
    campaignId: decision.campaignId,
    creativeVideoId: decision.creativeVideoId,
    title: decision.title,
    durationMs: decision.durationMs,
    impressionUrl: impression,
    tracking: { start, firstQuartile, midpoint, thirdQuartile, complete },
    clickThroughUrl: click,
    clickTrackingUrl: clickTracking,
    hls: { url: mediaUrl(s.config, decision.creativeVideoId, adToken, "hls/master.m3u8"), ...size },
    mp4: { url: mediaUrl(s.config, decision.creativeVideoId, adToken, AD_MP4_PATH), ...size },
  };
  return vastDocument(ad);
}

// ---- beacons and clicks ----

/**
 * A VAST beacon. Counts only with a valid signature, for the session and event it was signed for;
 * the object counts each event once per session. Nothing is ever said to the caller (always 204).
 */
export async function recordBeacon(s: Services, token: string): Promise<void> {
  const beacon = await verifyBeaconToken(s.config.mediaSigningKey, token, Math.floor(Date.now() / 1000));
  if (!beacon) return;
  try {
    await trackSession(s.env, beacon.campaignId, beacon.sessionId, [beacon.event]);
  } catch (error) {
    s.log("warn", { msg: "ad beacon failed", campaignId: beacon.campaignId, error: String(error) });
  }
}

/** Statuses whose click-through a moderator approved as it is now. */
const REDIRECTING = new Set<CampaignStatus>(["active", "paused", "budget_spent"]);

/**
 * A click: counted once per session, then where to send the viewer — the campaign's registered
 * click-through URL, read now (never anything the link itself names). A bad link is 404.
 */
export async function recordClick(s: Services, token: string): Promise<string> {
  const grant = await verifyClickToken(s.config.mediaSigningKey, token, Math.floor(Date.now() / 1000));
  const missing = new AppError("not_found", "This ad link is invalid or has expired");
  if (!grant) throw missing;
  const campaign = await s.db
    .select({ url: adCampaigns.clickThroughUrl, status: adCampaigns.status })
    .from(adCampaigns)
    .where(eq(adCampaigns.id, grant.campaignId))
    .get();
  // Only a URL a moderator approved: a new click-through sends the campaign back to review (and
  // ending it there must not leave the unreviewed URL behind links handed out earlier).
  if (!campaign || !REDIRECTING.has(campaign.status)) throw missing;
  // Stored only after campaigns.ts checked it (https, no credentials, not us); checked again here
  // so a row written any other way can never turn the redirect into a javascript: or http: link.
  if (!URL.canParse(campaign.url) || new URL(campaign.url).protocol !== "https:") throw missing;
  try {
    await trackSession(s.env, grant.campaignId, grant.sessionId, ["click"]);
  } catch (error) {
    s.log("warn", { msg: "ad click tracking failed", campaignId: grant.campaignId, error: String(error) });
  }
  return campaign.url;
}
