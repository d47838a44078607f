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
 * - `Range` requests are answered 206 straight from R2.
 */
import { OUTPUT_PATH } from "@marquee/shared";
import { eq } from "drizzle-orm";
import type { Context } from "hono";
import { Hono } from "hono";
import { videos } from "../db/schema";
import { AppError } from "../lib/errors";
import { serveObject } from "../storage/serve";
import type { AppEnv } from "../types";
import { mediaCacheKey } from "./media-cache";
import { contentTypeOf, filterMasterPlaylist, isFinishedPlaylist, lowestHeight } from "./playlists";
import { currentGeneration } from "./revocation";
import { verifyPlaybackToken } from "./token";

const IMMUTABLE = "public, max-age=31536000, immutable";
const VIDEO_ID = /^[a-z]+_[a-z0-9]{1,40}$/;

function cap(c: Context<AppEnv>, tokenMaxHeight: number): number {
  const saveData = c.req.header("save-data")?.toLowerCase() === "on";
  return saveData ? Math.min(tokenMaxHeight, c.var.config.playback.saveDataMaxHeight) : tokenMaxHeight;
}

function baseHeaders(path: string): Headers {
  return new Headers({
    "content-type": contentTypeOf(path),
    "access-control-allow-origin": "*",
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
  return new Response(filterMasterPlaylist(text, effective).playlist, { headers });
}

/**
 * A card grant (maxHeight 0, handed out on video cards to anyone) opens the thumbnails and the
 * hover-preview storyboard (its .vtt and sprite; OUTPUT_PATH admits nothing else there), never
 * playlists, segments or the source. The storyboard is frames of the video, so it is refused while
 * the video is premium or private: read now rather than trusted from the token, because a premium
 * card's poster token is the same kind of grant and its path could be edited to the storyboard.
 */
async function assertCardImagePath(c: Context<AppEnv>, videoId: string, path: string): Promise<void> {
  if (path.startsWith("thumbs/")) return;
  if (path.startsWith("storyboard/")) {
    const video = await c.var.db
      .select({ visibility: videos.visibility, status: videos.status, deletedAt: videos.deletedAt })
      .from(videos)
      .where(eq(videos.id, videoId))
      .get();
    // Deleted is refused here too, not only through the generation (KV may lag behind).
    const live = video && video.status !== "deleted" && video.deletedAt === null;
    if (live && (video.visibility === "public" || video.visibility === "unlisted")) return;
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

async function serveCached(c: Context<AppEnv>, key: string): Promise<Response> {
  const cacheKey = mediaCacheKey(key);
  const cache = caches.default;
  const hit = await cache.match(cacheKey);
  if (hit) {
    const res = new Response(hit.body, hit);
    res.headers.set("x-marquee-cache", "hit");
    return res;
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
    headers.set("cache-control", IMMUTABLE);
    const res = new Response(text, { headers });
    c.executionCtx.waitUntil(cache.put(cacheKey, res.clone()));
    return res;
  }
  headers.set("cache-control", IMMUTABLE);
  headers.set("content-length", String(object.size));
  const res = new Response(object.body, { headers });
  c.executionCtx.waitUntil(cache.put(cacheKey, res.clone()));
  return res;
}

export const mediaRoutes = new Hono<AppEnv>().on(["GET", "HEAD"], "/media/:videoId/:token/*", async (c) => {
  const { videoId, token } = c.req.param();
  const prefix = `/media/${videoId}/${token}/`;
  const rawPath = new URL(c.req.url).pathname.slice(prefix.length);
  if (!VIDEO_ID.test(videoId) || /%/.test(rawPath)) throw new AppError("not_found");
  const path = rawPath;
  const grant = await verifyPlaybackToken(
    c.var.config.mediaSigningKey,
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
  if (!OUTPUT_PATH.test(path)) throw new AppError("not_found");
  if (grant.maxHeight === 0) await assertCardImagePath(c, videoId, path);
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
  const range = c.req.header("range");
  if (range && !path.endsWith(".m3u8")) return serveRange(c, key);
  return serveCached(c, key);
});
