/**
 * CORS of `/media/...`: an HLS player on another origin (an embed, a third-party player, the web app
 * on its own host) fetches playlists and segments with fetch/XHR, so every answer — 200, 206, 304
 * and every problem (403, 404, 416, …) — must carry `Access-Control-Allow-Origin`, or the player
 * sees an opaque network error instead of the status it could act on (ask for a new link on 403).
 *
 * The origin is `*`: a media URL is a bearer capability (the token is in the path, docs/security.md),
 * no cookie or Authorization header is ever involved, so a wildcard gives no other origin anything
 * the URL does not already give whoever holds it; and without credentials `*` is all a browser needs.
 *
 * A preflight (`OPTIONS`) never carries credentials, so it is answered for any `/media/...` path
 * before the token is looked at, identically whatever the path names: nothing is read, and the answer
 * cannot tell a valid link, an existing object or a video id from garbage.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../types";

export const MEDIA_ALLOWED_METHODS = "GET, HEAD, OPTIONS";
/**
 * What a player may set: `Range` (byte-range playlists, seeking in progressive files) and the
 * conditional headers a loader may add by hand when it revalidates.
 */
export const MEDIA_ALLOWED_HEADERS = "range, if-range, if-none-match, if-modified-since";
/**
 * Readable by the player's script beyond the CORS-safelisted ones: what range loaders and bandwidth
 * estimators read (length, range, validators), `retry-after` of a 429, and the request id for support.
 */
export const MEDIA_EXPOSED_HEADERS =
  "content-length, content-range, accept-ranges, etag, age, retry-after, x-request-id, x-marquee-cache";
/** A day; browsers cap it lower (Chromium at 2 h), which only costs an extra preflight. */
export const MEDIA_PREFLIGHT_MAX_AGE = "86400";

/** Puts the CORS headers on whatever the route answered, errors and not-found included. */
export const mediaCors: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const h = c.res.headers;
  h.set("access-control-allow-origin", "*");
  h.set("access-control-expose-headers", MEDIA_EXPOSED_HEADERS);
};

/** `OPTIONS /media/...`: the preflight's answer, the same for every path (see above). */
export const mediaPreflight: MiddlewareHandler<AppEnv> = async (c) =>
  c.body(null, 204, {
    allow: MEDIA_ALLOWED_METHODS,
    "access-control-allow-methods": MEDIA_ALLOWED_METHODS,
    "access-control-allow-headers": MEDIA_ALLOWED_HEADERS,
    "access-control-max-age": MEDIA_PREFLIGHT_MAX_AGE,
  });
