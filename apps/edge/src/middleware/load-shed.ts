/**
 * Load shedding: past `maxInFlight` requests being served at once by this isolate, a new request is
 * refused at once with 503 `unavailable` and `Retry-After`, before it reads a store or its body.
 * Over capacity a queue only grows: every request waits longer until clients time out with nothing
 * said (the load benchmark saw answers after 20 s at twice the local platform's capacity). Refusing the
 * excess keeps the admitted requests fast, and a refused request did nothing, so retrying it is safe.
 *
 * Only /api and /media are counted and refused. Never: the origin's /internal calls (a job's lease,
 * heartbeat and publish must not stall behind viewers), payment providers' webhooks (money; they
 * are few), WebSocket upgrades (they stay open for hours), local-storage uploads (/storage: one may
 * stream for minutes), the web pages (they fall back to the app's shell) and /healthz. Off when the limit is 0 (production: Cloudflare
 * runs more isolates as load grows, and each isolate's own limits answer for themselves; locally one
 * process serves everything and is what runs out).
 */
import type { MiddlewareHandler } from "hono";
import { AppError } from "../lib/errors";
import type { AppEnv } from "../types";

/**
 * Requests this isolate is serving now, by admission time (module state: one isolate, one count).
 * Not a bare counter: when a client disconnects mid-request, workerd may tear the request down with
 * its promises pending, so a `finally` never runs; a counter would leak a slot per reset request
 * until every request is refused (an easy lock-out, or just hls.js aborting fetches on seek). An
 * entry older than STALE_MS is taken for such a leak and forgotten; no /api or /media handler runs
 * that long (uploads to /storage are not counted).
 */
const inFlight = new Map<number, number>();
let nextId = 0;
export const STALE_MS = 30_000;

function liveCount(now: number): number {
  for (const [id, startedAt] of inFlight) if (now - startedAt > STALE_MS) inFlight.delete(id);
  return inFlight.size;
}

/** What is shed: the API and media, what viewers' and clients' traffic is made of. */
const SHED = /^\/(?:api|media)\//;
const EXEMPT = /^\/api\/v1\/webhooks\//;

/** Seconds a refused client waits: enough for the queue admitted before it to drain. */
export const SHED_RETRY_AFTER_SECONDS = 1;

export function loadShed(maxInFlight: (c: Parameters<MiddlewareHandler<AppEnv>>[0]) => number) {
  const handler: MiddlewareHandler<AppEnv> = async (c, next) => {
    const path = c.req.path;
    if (!SHED.test(path) || EXEMPT.test(path)) return next();
    const limit = maxInFlight(c);
    // Only a real WebSocket upgrade is exempt (it stays open for hours); any other Upgrade is counted.
    if (limit <= 0 || c.req.header("upgrade")?.toLowerCase() === "websocket") return next();
    const now = Date.now();
    if (liveCount(now) >= limit) {
      throw new AppError("unavailable", "Too many requests at once; try again in a moment", {
        headers: { "retry-after": String(SHED_RETRY_AFTER_SECONDS) },
      });
    }
    const id = nextId++;
    inFlight.set(id, now);
    try {
      await next();
    } finally {
      inFlight.delete(id);
    }
  };
  return handler;
}

/** For tests: the count now (stale entries forgotten). */
export const requestsInFlight = (now = Date.now()) => liveCount(now);

/** For tests: a request whose client vanished, its `finally` never run (what workerd may do). */
export const leakRequestForTest = (startedAt: number) => inFlight.set(nextId++, startedAt);
