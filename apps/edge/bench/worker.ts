/**
 * The worker the benchmarks run (bench/lib/edge.ts bundles this entry; wrangler.toml's `main` stays
 * src/index.ts): the production worker unchanged — its fetch, queue and scheduled handlers and
 * every Durable Object class — with the benchmark routes of like-routes.ts, ad-routes.ts and r2-routes.ts in
 * front. Nothing in src/ imports this folder, so the production bundle never holds them.
 */
import { Hono } from "hono";
import worker from "../src/index";
import { notFound, onError } from "../src/middleware/errors";
import type { AppEnv } from "../src/types";
import { adRoutes } from "./ad-routes";
import { likeRoutes } from "./like-routes";
import { r2Routes } from "./r2-routes";

export * from "../src/index";

const app = new Hono<AppEnv>()
  .route("/", likeRoutes)
  .route("/", adRoutes)
  .route("/", r2Routes)
  .all("*", (c) => worker.fetch(c.req.raw, c.env, c.executionCtx))
  .notFound(notFound)
  .onError(onError);

export default { ...worker, fetch: app.fetch } satisfies ExportedHandler<Env>;
