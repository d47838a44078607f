/**
 * The baseline route of bench/segment-serving.ts, served only by the bench worker (worker.ts): no
 * production or `bun run dev` edge has it, and a bench worker started with production vars answers
 * 404. It is not in openapi.json.
 *
 * `GET /api/v1/dev/bench/r2/{storage key}` is the floor any R2-serving route pays in this runtime:
 * one `MEDIA.get` and the body streamed back with the same Content-Type and Content-Length `/media`
 * sends — no token, no revocation read, no cache, no request context (no access-log line). It takes
 * no credentials, so it serves media outputs only (the `/media` route's OUTPUT_PATH under a video
 * folder), never a source upload.
 */
import { z } from "@hono/zod-openapi";
import { OUTPUT_PATH } from "@marquee/shared";
import { type Context, Hono } from "hono";
import { loadConfig } from "../src/config";
import { AppError } from "../src/lib/errors";
import { requestContext } from "../src/middleware/request-context";
import { securityHeaders } from "../src/middleware/security-headers";
import { mediaCors } from "../src/playback/media-cors";
import { contentTypeOf } from "../src/playback/playlists";
import type { AppEnv } from "../src/types";

export const BENCH_R2 = "/api/v1/dev/bench/r2";
export const BENCH_R2_CTX = "/api/v1/dev/bench/r2-ctx";

/** `videos/{videoId}/{an output path}`, as /media builds its storage keys. */
const MediaKey = z
  .string()
  .max(300)
  .regex(new RegExp(`^videos/[a-z]+_[a-z0-9]{1,40}/${OUTPUT_PATH.source.replace(/^\^/, "")}`));

async function bareObject(c: Context<AppEnv>, prefix: string) {
  // The config is parsed once per env object (config.ts), so the gate costs a map lookup.
  if (loadConfig(c.env).env === "production") return c.notFound();
  const key = MediaKey.safeParse(new URL(c.req.url).pathname.slice(prefix.length + 1));
  if (!key.success) throw new AppError("not_found", "No such object");
  const object = await c.env.MEDIA.get(key.data);
  if (!object) throw new AppError("not_found", "No such object");
  return new Response(object.body, {
    headers: { "content-type": contentTypeOf(key.data), "content-length": String(object.size) },
  });
}

/**
 * `r2-ctx/{key}`: the same read behind the middleware every production request pays (request
 * context with its D1 session and access-log line, security headers, /media's CORS), to tell the
 * app's fixed cost per request from the media route's own work (token, revocation read, cache).
 */
export const r2Routes = new Hono<AppEnv>()
  .get(`${BENCH_R2}/*`, (c) => bareObject(c, BENCH_R2))
  .get(`${BENCH_R2_CTX}/*`, requestContext, securityHeaders, mediaCors, (c) => bareObject(c, BENCH_R2_CTX));
