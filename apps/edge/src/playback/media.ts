/**
 * `/media/{videoId}/{token}/{path}`: playlists and segments of one video. The token (in the path,
 * so relative playlist URIs need no rewriting) is checked first, then its generation against the
 * video's current one (revocation.ts) — before anything is served, cached or not; then:
 * - a card grant (maxHeight 0) opens thumbnails and the storyboard only (`assertCardImagePath`);
 * - the master playlist is filtered to the renditions this viewer may get;
 * - a rendition above the viewer's cap is refused, playlists and segments alike;
 * - segments, init segments, images and *finished* playlists are immutable: served through the
 *   Cache API keyed by storage key (never by token; media-cache.ts) with a year of `immutable` caching;
 * - a playlist still growing (no EXT-X-ENDLIST) is never cached anywhere;
 * - `Range` requests are answered 206 straight from R2; a cached entry's own ETag in If-None-Match, 304;
 * - every answer, problems included, carries CORS headers, and `OPTIONS` is answered for any path
 *   without a token (media-cors.ts);
 * - a content grant with an ad (token.ts) gets every finished media playlist stitched (ads/stitch.ts):
 *   the content's and the ad's playlists from isolate memory, else the Cache API, else R2 (immutable
 *   once finished), so it costs no D1, DO or KV call beyond the plain path's;
 * - an ad-session grant on the creative reports tracking when its video segments are served
 *   (ads/tracking.ts), after the response, in waitUntil.
 */
import { OUTPUT_PATH } from "@marquee/shared";
import { eq } from "drizzle-orm";
import type { Context } from "hono";
import { Hono } from "hono";
import { adTitle } from "../ads/delivery";
import {
  matchAdRendition,
  parseAdMaster,
  parseMediaPlaylist,
  segmentMillis,
  stitchMediaPlaylist,
} from "../ads/stitch";
import { beaconExpiry, clickUrl, segmentEvents, trackSession } from "../ads/tracking";
import type { Config } from "../config";
import { videos } from "../db/schema";
import { AppError } from "../lib/errors";
import { requestPathname } from "../middleware/request-context";
import { serveObject } from "../storage/serve";
import type { AppEnv } from "../types";
import { mediaCacheKey } from "./media-cache";
import { mediaPreflight } from "./media-cors";
import { contentTypeOf, filterMasterPlaylist, isFinishedPlaylist, lowestHeight } from "./playlists";
import { currentGeneration } from "./revocation";
import { adBreakSeconds, masterWithSubtitles, SUBTITLES_PATH, serveSubtitles } from "./subtitles";
import { type AdGrant, issuePlaybackToken, type PlaybackGrant, verifyPlaybackToken } from "./token";
import { mediaUrl } from "./urls";

const IMMUTABLE = "public, max-age=31536000, immutable";
const VIDEO_ID = /^[a-z]+_[a-z0-9]{1,40}$/;

function cap(c: Context<AppEnv>, tokenMaxHeight: number): number {
  const saveData = c.req.header("save-data")?.toLowerCase() === "on";
  return saveData ? Math.min(tokenMaxHeight, c.get("config").playback.saveDataMaxHeight) : tokenMaxHeight;
}

function baseHeaders(path: string): Headers {
  return new Headers({
    "content-type": contentTypeOf(path),
    "accept-ranges": "bytes",
  });
}

async function serveMaster(
  c: Context<AppEnv>,
  videoId: string,
  key: string,
  maxHeight: number,
): Promise<Response> {
  const [object, video] = await Promise.all([
    c.env.MEDIA.get(key),
    c.var.db.select({ status: videos.status }).from(videos).where(eq(videos.id, videoId)).get(),
  ]);
  if (!object || !video || video.status === "deleted")
    throw new AppError("not_found", "The video has no playlist yet");
  const text = await object.text();
  // A cap below every rendition still plays the smallest one rather than nothing.
  const effective = Math.max(maxHeight, lowestHeight(text));
  const headers = baseHeaders(key);
  headers.set("cache-control", video.status === "ready" ? "private, max-age=3600" : "no-store");
  headers.set("vary", "save-data");
  const filtered = filterMasterPlaylist(text, effective).playlist;
  return new Response(await masterWithSubtitles(c.var.db, videoId, filtered), { headers });
}

/**
 * A card grant (maxHeight 0, handed out on video cards to anyone) opens the thumbnails and the
 * hover-preview storyboard (its .vtt and sprite; OUTPUT_PATH admits nothing else there), never
 * playlists, segments or the source. The storyboard is frames of the video, so it is refused while
 * the video is premium or private: read now rather than trusted from the token, because a premium
 * card's poster token is the same kind of grant and its path could be edited to the storyboard.
 * Both are refused while moderation hides the video (held, removed, or its channel hidden;
 * docs/moderation.md, "Visibility"): the generation bump revokes links issued before, this covers
 * card links signed since. Its owner's studio signs its posters with a playback grant instead
 * (catalog/listings.ts), and the owner's and staff's playback responses carry their own poster.
 */
async function assertCardImagePath(c: Context<AppEnv>, videoId: string, path: string): Promise<void> {
  const thumbs = path.startsWith("thumbs/");
  if (thumbs || path.startsWith("storyboard/")) {
    const video = await c.var.db
      .select({
        visibility: videos.visibility,
        status: videos.status,
        deletedAt: videos.deletedAt,
        moderationState: videos.moderationState,
        channelHidden: videos.channelHidden,
      })
      .from(videos)
      .where(eq(videos.id, videoId))
      .get();
    // Deleted is refused here too, not only through the generation (KV may lag behind).
    const live = video && video.status !== "deleted" && video.deletedAt === null;
    const shown = live && video.moderationState === "visible" && !video.channelHidden;
    if (shown && (thumbs || video.visibility === "public" || video.visibility === "unlisted")) return;
    if (!shown) throw new AppError("forbidden", "This video's images are not available");
  }
  throw new AppError("forbidden", "This link is for the video's thumbnails and preview only");
}

/** Byte ranges come straight from R2 (storage/serve.ts), with the media headers on top. */
async function serveRange(c: Context<AppEnv>, key: string): Promise<Response> {
  const res = await serveObject(c.env.MEDIA, key, c.req.raw);
  const out = new Response(res.body, res);
  for (const [name, value] of baseHeaders(key)) out.headers.set(name, value);
  out.headers.set("cache-control", IMMUTABLE);
  return out;
}

/** A finished playlist's cache entry, exactly as serveCached stores it (one entry per storage key). */
function immutablePlaylistResponse(key: string, etag: string, text: string): Response {
  const headers = baseHeaders(key);
  headers.set("etag", etag);
  headers.set("cache-control", IMMUTABLE);
  return new Response(text, { headers });
}

/** 304 when If-None-Match names the cached entry's ETag (a key's content never changes once cached). */
function notModified(c: Context<AppEnv>, cached: Response): Response | null {
  const etag = cached.headers.get("etag");
  const given = c.req.header("if-none-match");
  if (!given || !etag) return null;
  const listed = given.split(",").map((v) => v.trim().replace(/^W\//, ""));
  if (!listed.includes(etag) && !listed.includes("*")) return null;
  const headers = new Headers({ etag, "cache-control": IMMUTABLE, "x-marquee-cache": "hit" });
  return new Response(null, { status: 304, headers });
}

async function serveCached(c: Context<AppEnv>, key: string): Promise<Response> {
  const cacheKey = mediaCacheKey(key);
  const cache = caches.default;
  const hit = await cache.match(cacheKey);
  if (hit) {
    const res = new Response(hit.body, hit);
    res.headers.set("x-marquee-cache", "hit");
    const unchanged = notModified(c, res);
    if (unchanged) await res.body?.cancel();
    return unchanged ?? res;
  }
  const object = await c.env.MEDIA.get(key);
  if (!object) throw new AppError("not_found");
  const headers = baseHeaders(key);
  headers.set("etag", object.httpEtag);
  headers.set("x-marquee-cache", "miss");
  if (key.endsWith(".m3u8")) {
    const text = await object.text();
    if (!isFinishedPlaylist(text)) {
      headers.set("cache-control", "no-store");
      return new Response(text, { headers });
    }
    c.executionCtx.waitUntil(cache.put(cacheKey, immutablePlaylistResponse(key, object.httpEtag, text)));
    const res = immutablePlaylistResponse(key, object.httpEtag, text);
    res.headers.set("x-marquee-cache", "miss");
    return res;
  }
  headers.set("cache-control", IMMUTABLE);
  headers.set("content-length", String(object.size));
  const res = new Response(object.body, { headers });
  c.executionCtx.waitUntil(cache.put(cacheKey, res.clone()));
  return res;
}

/** A playlist's text through the same Cache API entry serveCached uses (null: not stored). */
async function cachedPlaylistText(c: Context<AppEnv>, key: string): Promise<string | null> {
  const cacheKey = mediaCacheKey(key);
  const hit = await caches.default.match(cacheKey);
  // Decoded by hand: Response.text() on a non-text content type makes workerd log a warning.
  if (hit) return new TextDecoder().decode(await hit.arrayBuffer());
  const object = await c.env.MEDIA.get(key);
  if (!object) return null;
  const text = await object.text();
  if (isFinishedPlaylist(text)) {
    c.executionCtx.waitUntil(
      caches.default.put(cacheKey, immutablePlaylistResponse(key, object.httpEtag, text)),
    );
  }
  return text;
}

/**
 * Finished playlists the stitcher reads, in isolate memory: the ad's master and rungs (the same few
 * ads go into every playlist a location serves) and the content's rungs. Reading a cached body back
 * out of the Cache API costs more than the stitching itself, and a finished playlist never changes
 * while its video exists. Safe to serve from here exactly as from the Cache API: /media checks the
 * token and the video's generation before anything is read, so a deleted or narrowed video's old
 * links are refused whatever is kept. Bounded in characters and entries, oldest first out, and kept
 * ten minutes at most (a replaced ladder shows within that).
 */
const finishedPlaylists = new Map<string, { text: string; at: number }>();
const MEMORY_MAX_CHARS = 4_000_000;
const MEMORY_MAX_ENTRIES = 1000;
const MEMORY_TTL_MS = 10 * 60_000;
let memoryChars = 0;

function forget(key: string): void {
  const entry = finishedPlaylists.get(key);
  if (!entry) return;
  memoryChars -= entry.text.length;
  finishedPlaylists.delete(key);
}

/**
 * A finished media playlist (memory, Cache API, R2), or an ad creative's master (memory, R2): a
 * master has no end tag to tell it is final, but a grant only ever names a creative the decision
 * took once it was ready, so its master is the final one.
 */
async function finishedPlaylistText(
  c: Context<AppEnv>,
  key: string,
  kind: "media" | "ad-master" = "media",
): Promise<string | null> {
  const now = Date.now();
  const hit = finishedPlaylists.get(key);
  if (hit && now - hit.at < MEMORY_TTL_MS && now >= hit.at) return hit.text;
  forget(key);
  const text =
    kind === "media"
      ? await cachedPlaylistText(c, key)
      : ((await (await c.env.MEDIA.get(key))?.text()) ?? null);
  const final =
    kind === "media" ? text !== null && isFinishedPlaylist(text) : text?.includes("#EXT-X-STREAM-INF:");
  if (text !== null && final && text.length <= MEMORY_MAX_CHARS / 8) {
    while (
      finishedPlaylists.size > 0 &&
      (finishedPlaylists.size >= MEMORY_MAX_ENTRIES || memoryChars + text.length > MEMORY_MAX_CHARS)
    ) {
      forget(finishedPlaylists.keys().next().value ?? "");
    }
    // Two concurrent misses of one key both land here: drop the other's copy first, so the size
    // count stays the sum of what the map holds.
    forget(key);
    finishedPlaylists.set(key, { text, at: now });
    memoryChars += text.length;
  }
  return text;
}

/**
 * The ad session's signed links (the creative's ad-session token, the click URL), made once per
 * grant and kept per isolate: a viewer fetches every rendition's playlist with the same grant, and
 * both are a function of it alone.
 */
const sessionLinkCache = new Map<string, Promise<{ adToken: string; click: string }>>();
const SESSION_LINKS_MAX = 2000;

function sessionLinks(
  config: Config,
  grant: PlaybackGrant & { ad: AdGrant },
  issuedAt: number,
): Promise<{ adToken: string; click: string }> {
  const { ad } = grant;
  const key = [
    grant.videoId,
    grant.expires,
    grant.maxHeight,
    ad.sessionId,
    ad.campaignId,
    ad.creativeVideoId,
    ad.creativeGeneration,
  ].join(".");
  let links = sessionLinkCache.get(key);
  if (!links) {
    const session = { sessionId: ad.sessionId, campaignId: ad.campaignId };
    links = Promise.all([
      issuePlaybackToken(config.mediaSigningKey, {
        videoId: ad.creativeVideoId,
        expires: grant.expires,
        maxHeight: grant.maxHeight,
        generation: ad.creativeGeneration,
        adSession: session,
      }),
      clickUrl(config, { ...session, expires: beaconExpiry(issuedAt) }),
    ]).then(([adToken, click]) => ({ adToken, click }));
    if (sessionLinkCache.size >= SESSION_LINKS_MAX)
      sessionLinkCache.delete(sessionLinkCache.keys().next().value ?? "");
    sessionLinkCache.set(key, links);
    links.catch(() => sessionLinkCache.delete(key));
  }
  return links;
}

/**
 * A content media playlist with the grant's ad in front (ads/stitch.ts). Null when there is nothing
 * to stitch — the content still growing (only ready videos get ads, but the grant outlives a
 * re-transcode) or the ad's media missing — and the caller serves the plain playlist.
 */
async function serveStitched(
  c: Context<AppEnv>,
  grant: PlaybackGrant & { ad: AdGrant },
  path: string,
  key: string,
): Promise<Response | null> {
  const rendition = /^hls\/([a-z0-9]+)\/playlist\.m3u8$/.exec(path)?.[1];
  if (!rendition) return null;
  const { ad } = grant;
  const adHls = `videos/${ad.creativeVideoId}/hls/`;
  const [contentText, adMaster] = await Promise.all([
    finishedPlaylistText(c, key),
    finishedPlaylistText(c, `${adHls}master.m3u8`, "ad-master"),
  ]);
  if (contentText === null) throw new AppError("not_found");
  if (!isFinishedPlaylist(contentText) || adMaster === null) return null;
  const adRendition = matchAdRendition(rendition, parseAdMaster(adMaster));
  if (!adRendition) return null;
  const adText = await finishedPlaylistText(c, `${adHls}${adRendition}/playlist.m3u8`);
  if (adText === null || !isFinishedPlaylist(adText)) return null;
  const { config } = c.var;
  // The grant's issue time (getPlayback: now + TTL): the program clock of the ad break and the click
  // link's expiry, so every playlist of the session (and the playback response) spells them alike.
  const issuedAt = grant.expires - config.playback.tokenTtlSeconds;
  const [{ adToken, click }, title] = await Promise.all([
    sessionLinks(config, grant, issuedAt),
    adTitle(c.var.db, ad.creativeVideoId),
  ]);
  let text: string;
  try {
    text = stitchMediaPlaylist({
      content: parseMediaPlaylist(contentText),
      ad: parseMediaPlaylist(adText),
      adBaseUrl: mediaUrl(config, ad.creativeVideoId, adToken, `hls/${adRendition}/`),
      sessionId: ad.sessionId,
      campaignId: ad.campaignId,
      title,
      clickUrl: click,
      startDate: new Date(issuedAt * 1000),
    });
  } catch (error) {
    // An ad rendition that cannot splice (no init, a foreign URI) costs the viewer the ad, not the video.
    c.var.log("error", { msg: "ad stitching failed", ...ad, rendition: adRendition, error: String(error) });
    return null;
  }
  const headers = baseHeaders(path);
  // Per viewer (it names their ad session): never shared, and short, as the session is.
  headers.set("cache-control", "private, max-age=60");
  return new Response(text, { headers });
}

/**
 * Serving a video segment of an ad with an ad-session grant reports what that segment stands for
 * (ads/tracking.ts), after the response; the campaign object counts each event once per session.
 */
async function reportAdSegment(
  c: Context<AppEnv>,
  session: { sessionId: string; campaignId: string },
  videoId: string,
  path: string,
): Promise<void> {
  const m = /^hls\/(\d{3,4}p)\/([a-z0-9_.-]+\.m4s)$/.exec(path);
  if (!m) return;
  const text = await finishedPlaylistText(c, `videos/${videoId}/hls/${m[1]}/playlist.m3u8`);
  if (text === null || !isFinishedPlaylist(text)) return;
  const playlist = parseMediaPlaylist(text);
  const events = segmentEvents(
    segmentMillis(playlist),
    playlist.segments.findIndex((s) => s.uri === m[2]),
  );
  if (events.length === 0) return;
  c.executionCtx.waitUntil(
    trackSession(c.env, session.campaignId, session.sessionId, events).then(
      () => undefined,
      (error: unknown) => c.var.log("warn", { msg: "ad tracking failed", ...session, error: String(error) }),
    ),
  );
}

const MEDIA_ROUTE = "/media/:videoId/:token/*";

async function serveMedia(c: Context<AppEnv, typeof MEDIA_ROUTE>): Promise<Response> {
  const { videoId, token } = c.req.param();
  const prefix = `/media/${videoId}/${token}/`;
  const rawPath = requestPathname(c.req.url).slice(prefix.length);
  if (!VIDEO_ID.test(videoId) || /%/.test(rawPath)) throw new AppError("not_found");
  const path = rawPath;
  const grant = await verifyPlaybackToken(
    c.get("config").mediaSigningKey,
    videoId,
    token,
    Math.floor(Date.now() / 1000),
  );
  const invalid = () =>
    new AppError("forbidden", "The playback link is invalid or has expired; ask for a new one");
  if (!grant) throw invalid();
  // Revoked: the video's audience narrowed (or it was deleted) after this link was issued. Checked
  // on every request, before the cache, so cached segments stop with everything else.
  if (grant.generation < (await currentGeneration(c.env.SETTINGS, videoId))) throw invalid();
  const subtitles = SUBTITLES_PATH.exec(path);
  if (!subtitles && !OUTPUT_PATH.test(path)) throw new AppError("not_found");
  if (grant.maxHeight === 0) await assertCardImagePath(c, videoId, path);
  if (subtitles) {
    const { ad } = grant;
    const read = (key: string, kind?: "ad-master") => finishedPlaylistText(c, key, kind);
    return serveSubtitles(c, videoId, subtitles, async () => (ad ? adBreakSeconds(ad, read) : 0));
  }
  const key = `videos/${videoId}/${path}`;
  const maxHeight = cap(c, grant.maxHeight);
  if (path === "hls/master.m3u8") return serveMaster(c, videoId, key, maxHeight);
  const rung = /^hls\/(\d{3,4})p\//.exec(path);
  if (rung && Number(rung[1]) > maxHeight) {
    // The smallest rendition is always allowed (see serveMaster); anything taller than the cap is not.
    const master = await c.env.MEDIA.get(`videos/${videoId}/hls/master.m3u8`);
    const lowest = master ? lowestHeight(await master.text()) : 0;
    if (Number(rung[1]) > Math.max(maxHeight, lowest)) {
      throw new AppError("forbidden", `Your plan allows renditions up to ${maxHeight}p`);
    }
  }
  const { ad, adSession } = grant;
  if (ad && path.endsWith(".m3u8")) {
    const stitched = await serveStitched(c, { ...grant, ad }, path, key);
    if (stitched) return stitched;
  }
  if (adSession && c.req.method === "GET") await reportAdSegment(c, adSession, videoId, path);
  const range = c.req.header("range");
  if (range && !path.endsWith(".m3u8")) return serveRange(c, key);
  return serveCached(c, key);
}

/**
 * CORS (media-cors.ts `mediaCors`) wraps every `/media/...` answer, the problems of a refused request
 * included: app.ts mounts it once, ahead of the load shedder, so a shed 503 carries it too.
 */
export const mediaRoutes = new Hono<AppEnv>()
  .options("/media/*", mediaPreflight)
  .on(["GET", "HEAD"], MEDIA_ROUTE, serveMedia);
