/**
 * Routes for bench/likes.ts. They exist only when the edge was started for a benchmark
 * (BENCH_ROUTES=1, set by bench/lib/edge.ts; refused in production by config.ts): otherwise every
 * request falls through to the app's own 404, like an unknown path. `store-like` takes no token at
 * all, so "development" is not enough: `bun run dev` must not serve them. They are plain routes,
 * so they are not in openapi.json.
 *
 * - `naive-like`: the naive baseline. The same request as `PUT /videos/{videoId}/reaction` (same
 *   authentication, same video read and checks), but the like is one D1 statement,
 *   `UPDATE videos SET like_count = like_count + 1`, per request — what the Durable Object path
 *   replaces. Deliberately not idempotent: that is the naive design.
 * - `store-like?store=d1|do`: the two stores alone, for attributing the figures: no token, no
 *   video read; the profile comes from the `x-bench-profile` header. `do` is exactly the route's
 *   call (`homeShard` + `react`), `d1` the naive UPDATE.
 */
import { type Context, Hono } from "hono";
import { requireActor } from "../../auth/middleware";
import { authorize } from "../../auth/permissions";
import { AppError } from "../../lib/errors";
import { services } from "../../services";
import type { AppEnv } from "../../types";
import { assertCanRead, loadVideo } from "../../videos/access";
import { VideoParam } from "./schemas";
import { homeShard, shardCount, shardStub } from "./shards";

function benchVideoId(c: Context<AppEnv>): string {
  const param = VideoParam.safeParse({ videoId: c.req.param("videoId") });
  if (!param.success) throw new AppError("not_found", "No such video");
  return param.data.videoId;
}

const naiveUpdate = (d1: D1Database, videoId: string) =>
  d1
    .prepare("UPDATE videos SET like_count = like_count + 1 WHERE id = ? RETURNING like_count")
    .bind(videoId)
    .first<{ like_count: number }>();

export async function benchNaiveLike(c: Context<AppEnv>) {
  const videoId = benchVideoId(c);
  const actor = requireActor(c);
  const s = services(c);
  const video = await loadVideo(s.db, videoId);
  assertCanRead(actor, video);
  authorize(actor, "reaction.set");
  const row = await naiveUpdate(s.env.DB, video.id);
  return c.json({ value: "like", likes: row?.like_count ?? 0 }, 200);
}

export async function benchStoreLike(c: Context<AppEnv>) {
  const videoId = benchVideoId(c);
  const profileId = c.req.header("x-bench-profile") ?? "";
  if (!/^prf_[a-z0-9]{1,60}$/.test(profileId))
    throw new AppError("bad_request", "x-bench-profile: a profile id");
  const store = c.req.query("store");
  if (store === "d1") {
    const row = await naiveUpdate(c.env.DB, videoId);
    return c.json({ value: "like", likes: row?.like_count ?? 0 }, 200);
  }
  if (store !== "do") throw new AppError("bad_request", "store=d1 or store=do");
  const at = homeShard(
    videoId,
    await shardCount(c.env.SETTINGS, videoId, c.var.config.reactions.defaultShards),
    profileId,
  );
  const answer = await shardStub(c.env, at).react(at, profileId, "like");
  return c.json({ value: answer.value, likes: answer.total.likes }, 200);
}

/** Mounted under /api/v1 by routes.ts; the gate runs before either handler. */
export const benchRoutes = new Hono<AppEnv>()
  .use("/dev/bench/*", async (c, next) => (c.var.config.benchRoutes ? next() : c.notFound()))
  .put("/dev/bench/videos/:videoId/naive-like", benchNaiveLike)
  .put("/dev/bench/videos/:videoId/store-like", benchStoreLike);
