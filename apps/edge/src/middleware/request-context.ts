import type { Context, MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import { loadConfig } from "../config";
import { lazySessionDb } from "../db/client";
import { BOOKMARK_HEADER, responseBookmark, sessionStart } from "../db/session";
import { createLogger, isSecretField, REDACTED } from "../lib/logger";
import type { AppEnv } from "../types";

const VALID_REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * The path of a request URL without query or fragment: `new URL(url).pathname` without parsing,
 * which the runtime has already done (a request's `url` is the parser's normalised serialisation, so
 * the path starts at the first `/` after the authority and is already percent-encoded and resolved).
 */
export function requestPathname(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  if (start === -1) return "/";
  let end = url.length;
  const query = url.indexOf("?", start);
  if (query !== -1) end = query;
  const fragment = url.indexOf("#", start);
  if (fragment !== -1 && fragment < end) end = fragment;
  return url.slice(start, end);
}

/**
 * The path without its query (reset links, signed URLs) and with every secret-named route parameter
 * masked (e.g. `/media/:videoId/:token/*`): whatever route is added later, its `:token` is not logged.
 */
function loggedPath(c: Context<AppEnv>, path: string): string {
  let params: Record<string, string> = {};
  try {
    params = c.req.param() as Record<string, string>;
  } catch {
    // no route matched (404): no parameters
  }
  let secrets: Set<string> | null = null;
  for (const name in params) {
    const value = params[name];
    if (!value || !isSecretField(name)) continue;
    secrets ??= new Set();
    secrets.add(value).add(encodeURIComponent(value));
  }
  if (!secrets) return path;
  const masked = secrets;
  return path
    .split("/")
    .map((segment) => (masked.has(segment) ? REDACTED : segment))
    .join("/");
}

/**
 * First middleware of every request: request id (taken from the caller when well-formed, so a
 * trace can span services), validated config, database handle, and one access-log line.
 *
 * The database handle is one D1 session per request (db/session.ts, docs/read-replicas.md): it
 * starts at the caller's `X-D1-Bookmark`, on the primary, or anywhere, and every /api response
 * hands back the session's latest bookmark for the client's next request. The session is opened by
 * the first query (db/client.ts `lazySessionDb`): most media and page requests never open one.
 */
export const requestContext: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = Date.now();
  const incoming = c.req.header("x-request-id");
  const requestId = incoming && VALID_REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
  const log = createLogger({ requestId });
  c.set("requestId", requestId);
  c.set("log", log);
  c.set("actor", null);
  // On the context before anything can throw: a problem made by onError copies it from there.
  c.header("x-request-id", requestId);
  // Config errors surface through onError as a 500 problem, with the field names in the log.
  c.set("config", loadConfig(c.env));
  // The routing path (Hono's, percent-decoded: what picked the handler) decides the session's start;
  // the log shows the path as sent.
  const { method, path } = c.req;
  const sentBookmark = c.req.header(BOOKMARK_HEADER);
  const start = sessionStart(method, path, sentBookmark);
  if (start.reason === "malformed-bookmark") {
    log("warn", { event: "d1_bookmark_malformed", length: sentBookmark?.length ?? 0 });
  }
  const database = lazySessionDb(c.env.DB, start.constraint);
  c.set("db", database.db);
  try {
    await next();
  } finally {
    // Set on the final response (a handler's own `new Response` included), errors' problems too.
    const headers = c.res.headers;
    headers.set("x-request-id", requestId);
    // Only the API's clients carry bookmarks: media and pages stay free of it (and cacheable alike).
    // No session opened means no query ran: the client's own bookmark goes back (responseBookmark).
    if (path.startsWith("/api/")) {
      const bookmark = responseBookmark(database.session(), sentBookmark);
      if (bookmark) headers.set(BOOKMARK_HEADER, bookmark);
    }
    const status = c.res.status;
    log(status >= 500 ? "error" : "info", {
      event: "request",
      method,
      route: routePath(c),
      path: loggedPath(c, requestPathname(c.req.url)),
      status,
      d1: start.reason,
      durationMs: Date.now() - started,
    });
  }
};
