/**
 * The routes of bench/likes.ts, served only by the bench worker (worker.ts): no production or
 * `bun run dev` edge has them. `store-like` takes no token at all, and a bench worker started
 * with production vars refuses both anyway. They are not in openapi.json.
 *
 * - `naive-like`: the naive baseline. The same request as `PUT /videos/{videoId}/reaction` (same
 *   authentication, same video read and checks), but the like is one D1 statement,
 *   `UPDATE videos SET like_count = like_count + 1`, per request — what the Durable Object path
 *   replaces. Deliberately not idempotent: that is the naive design.
 * - `store-like?store=d1|do`: the two stores alone, for attributing the figures: no token, no
 *   video read; the profile comes from the `x-bench-profile` header. `do` is exactly the route's
 *   call (`homeShard` + `react`), `d1` the naive UPDATE.
 */
import { eq, sql } from "drizzle-orm";
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { authenticate, requireActor } from "../src/auth/middleware";
import { authorize } from "../src/auth/permissions";
import type { Db } from "../src/db/client";
import { videos } from "../src/db/schema";
import { AppError } from "../src/lib/errors";
import { VideoParam } from "../src/lib/params";
import { requestContext } from "../src/middleware/request-context";
import { services } from "../src/services";
import { homeShard, shardAnswer, shardCount, shardStub } from "../src/social/reactions/shards";
import type { AppEnv } from "../src/types";
import { assertCanRead, loadVideo } from "../src/videos/access";

export const BENCH_VIDEO = "/api/v1/dev/bench/videos/:videoId";

const outsideProduction: MiddlewareHandler<AppEnv> = async (c, next) =>
  c.var.config.env === "production" ? c.notFound() : next();

function benchVideoId(c: Context<AppEnv>): string {
  const param = VideoParam.safeParse({ videoId: c.req.param("videoId") });
  if (!param.success) throw new AppError("not_found", "No such video");
  return param.data.videoId;
}

const naiveUpdate = (db: Db, videoId: string) =>
  db
    .update(videos)
    .set({ likeCount: sql`${videos.likeCount} + 1` })
    .where(eq(videos.id, videoId))
    .returning({ likes: videos.likeCount })
    .get();

async function naiveLike(c: Context<AppEnv>) {
  const videoId = benchVideoId(c);
  const actor = requireActor(c);
  const s = services(c);
  const video = await loadVideo(s.db, videoId);
  assertCanRead(actor, video);
  authorize(actor, "reaction.set");
  const row = await naiveUpdate(s.db, video.id);
  return c.json({ value: "like", likes: row?.likes ?? 0 }, 200);
}

async function storeLike(c: Context<AppEnv>) {
  const videoId = benchVideoId(c);
  const profileId = c.req.header("x-bench-profile") ?? "";
  if (!/^prf_[a-z0-9]{1,60}$/.test(profileId))
    throw new AppError("bad_request", "x-bench-profile: a profile id");
  const store = c.req.query("store");
  if (store === "d1") {
    const row = await naiveUpdate(c.var.db, videoId);
    return c.json({ value: "like", likes: row?.likes ?? 0 }, 200);
  }
  if (store !== "do") throw new AppError("bad_request", "store=d1 or store=do");
  const shards = await shardCount(c.env.SETTINGS, videoId, c.var.config.reactions.defaultShards);
  const at = homeShard(videoId, shards, profileId);
  const answer = shardAnswer(await shardStub(c.env, at).react(at, profileId, "like"));
  return c.json({ value: answer.value, likes: answer.total.likes }, 200);
}

/** The production app's own request context and authentication run in front of each route. */
export const likeRoutes = new Hono<AppEnv>()
  .put(`${BENCH_VIDEO}/naive-like`, requestContext, authenticate, outsideProduction, naiveLike)
  .put(`${BENCH_VIDEO}/store-like`, requestContext, authenticate, outsideProduction, storeLike);
