/**
 * The routes of bench/ads.ts, served only by the bench worker (worker.ts): no production or
 * `bun run dev` edge has them, and a bench worker started with production vars answers 404. They
 * are not in openapi.json.
 *
 * Both are the same authenticated request — the production request context, the access token
 * checked, the session read — followed by the video's D1 point read and its read check:
 * - `ads/point/{videoId}` stops there: the baseline, one D1 point read.
 * - `ads/decide/{videoId}` then makes the ad decision playback makes for that viewer and video
 *   (`adContextFor` + `decideAd`: targeting, the auction, the reservations in the campaign's and the
 *   viewer's objects). Its answer says whether an ad was chosen, so the benchmark can refuse to
 *   time decisions that found nothing. The reservation is left to lapse, as an unplayed one would.
 * - `ads/context/{videoId}` builds the decision's context only (`adContextFor`), to attribute the
 *   decision's cost between the context and `decideAd` itself.
 */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { adContextFor } from "../src/ads/context";
import { decideAd } from "../src/ads/decision";
import { authenticate, requireActor } from "../src/auth/middleware";
import { AppError } from "../src/lib/errors";
import { VideoParam } from "../src/lib/params";
import { requestContext } from "../src/middleware/request-context";
import { services } from "../src/services";
import type { AppEnv } from "../src/types";
import { assertCanRead, loadVideo } from "../src/videos/access";

export const BENCH_ADS = "/api/v1/dev/bench/ads";

const outsideProduction: MiddlewareHandler<AppEnv> = async (c, next) =>
  c.var.config.env === "production" ? c.notFound() : next();

/** The video of the request, read once from D1 (the point read both routes pay). */
async function readableVideo(c: Context<AppEnv>) {
  const param = VideoParam.safeParse({ videoId: c.req.param("videoId") });
  if (!param.success) throw new AppError("not_found", "No such video");
  const actor = requireActor(c);
  const s = services(c);
  const video = await loadVideo(s.db, param.data.videoId);
  assertCanRead(actor, video);
  return { actor, s, video };
}

async function point(c: Context<AppEnv>) {
  const { video } = await readableVideo(c);
  return c.json({ videoId: video.id }, 200);
}

async function context(c: Context<AppEnv>) {
  const { actor, s, video } = await readableVideo(c);
  const ctx = await adContextFor(s, actor, video, c.req.raw);
  return c.json({ videoId: video.id, language: ctx.language }, 200);
}

async function decide(c: Context<AppEnv>) {
  const { actor, s, video } = await readableVideo(c);
  const decision = await decideAd(s, await adContextFor(s, actor, video, c.req.raw));
  return c.json(
    {
      videoId: video.id,
      ad: decision && { campaignId: decision.campaignId, priceMillicents: decision.priceMillicents },
    },
    200,
  );
}

/** The production app's own request context and authentication run in front of each route. */
export const adRoutes = new Hono<AppEnv>()
  .get(`${BENCH_ADS}/point/:videoId`, requestContext, authenticate, outsideProduction, point)
  .get(`${BENCH_ADS}/context/:videoId`, requestContext, authenticate, outsideProduction, context)
  .get(`${BENCH_ADS}/decide/:videoId`, requestContext, authenticate, outsideProduction, decide);
