import { Hono } from "hono";
import { AppError } from "../lib/errors";
import type { AppEnv } from "../types";

/**
 * Routes that serve the web app's own pages from the worker (the embeddable player).
 *
 * /embed/{videoId} runs the worker first (wrangler.toml `run_worker_first`) so its response goes
 * through the security-headers middleware, which makes /embed/* the one frameable path
 * (`frame-ancestors *`, no X-Frame-Options). The page itself is the SPA's index.html from the
 * static assets; the app's router renders the player alone for this path.
 */
export const webRoutes = new Hono<AppEnv>().get("/embed/:videoId", async (c) => {
  // "/" is the SPA's index.html (asking for /index.html would redirect to "/").
  const index = await c.env.ASSETS.fetch(new URL("/", c.req.url), { method: "GET" });
  const type = index.headers.get("content-type") ?? "";
  if (!index.ok || !type.includes("text/html")) {
    await index.body?.cancel();
    throw new AppError("misconfigured", "The web app's index.html is not available (is apps/web built?)");
  }
  // A fresh response: none of the asset's own headers (its _headers rules forbid framing).
  return new Response(c.req.method === "HEAD" ? null : index.body, {
    status: 200,
    headers: { "content-type": type, "cache-control": "no-cache" },
  });
});
