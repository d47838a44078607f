import type { Context, MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import { loadConfig } from "../config";
import { createSessionDb } from "../db/client";
import { BOOKMARK_HEADER, responseBookmark, sessionStart } from "../db/session";
import { createLogger, isSecretField, REDACTED } from "../lib/logger";
import type { AppEnv } from "../types";

const VALID_REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * The path without its query (reset links, signed URLs) and with every secret-named route parameter
 * masked (e.g. `/media/:videoId/:token/*`): whatever route is added later, its `:token` is not logged.
 */
function loggedPath(c: Context<AppEnv>): string {
  const path = new URL(c.req.url).pathname;
  let params: Record<string, string> = {};
  try {
    params = c.req.param() as Record<string, string>;
  } catch {
    // no route matched (404): no parameters
  }
  const secrets = new Set(
    Object.entries(params)
      .filter(([name, value]) => isSecretField(name) && value)
      .flatMap(([, value]) => [value, encodeURIComponent(value)]),
  );
  if (secrets.size === 0) return path;
  return path
    .split("/")
    .map((segment) => (secrets.has(segment) ? REDACTED : segment))
    .join("/");
}

/**
 * First middleware of every request: request id (taken from the caller when well-formed, so a
 * trace can span services), validated config, database handle, and one access-log line.
 *
 * The database handle is one D1 session per request (db/session.ts, docs/read-replicas.md): it
 * starts at the caller's `X-D1-Bookmark`, on the primary, or anywhere, and every /api response
 * hands back the session's latest bookmark for the client's next request.
 */
export const requestContext: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = Date.now();
  const incoming = c.req.header("x-request-id");
  const requestId = incoming && VALID_REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
  const log = createLogger({ requestId });
  c.set("requestId", requestId);
  c.set("log", log);
  c.set("actor", null);
  c.header("x-request-id", requestId);
  // Config errors surface through onError as a 500 problem, with the field names in the log.
  c.set("config", loadConfig(c.env));
  const sentBookmark = c.req.header(BOOKMARK_HEADER);
  const start = sessionStart(c.req.method, c.req.path, sentBookmark);
  if (start.reason === "malformed-bookmark") {
    log("warn", { event: "d1_bookmark_malformed", length: sentBookmark?.length ?? 0 });
  }
  const session = c.env.DB.withSession(start.constraint);
  c.set("db", createSessionDb(session));
  try {
    await next();
  } finally {
    c.res.headers.set("x-request-id", requestId);
    // Only the API's clients carry bookmarks: media and pages stay free of it (and cacheable alike).
    const bookmark = c.req.path.startsWith("/api/") ? responseBookmark(session, sentBookmark) : null;
    if (bookmark) c.res.headers.set(BOOKMARK_HEADER, bookmark);
    log(c.res.status >= 500 ? "error" : "info", {
      event: "request",
      method: c.req.method,
      route: routePath(c),
      path: loggedPath(c),
      status: c.res.status,
      d1: start.reason,
      durationMs: Date.now() - started,
    });
  }
};
