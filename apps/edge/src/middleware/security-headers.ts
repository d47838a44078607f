import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../types";
import { requestPathname } from "./request-context";

const API_CSP = "default-src 'none'; frame-ancestors 'none'";
/** HTML we render ourselves (the API docs) loads only same-origin scripts and styles. */
export const HTML_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "media-src 'self' blob:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/** Paths that other sites may put in an iframe (the embeddable player). */
const FRAMEABLE = /^\/embed\//;

/** Every answer's headers, whatever it is. */
const ALWAYS: [string, string][] = [
  ["x-content-type-options", "nosniff"],
  ["referrer-policy", "strict-origin-when-cross-origin"],
  ["cross-origin-opener-policy", "same-origin"],
];
const HSTS = "max-age=31536000; includeSubDomains";
/** The CSP a response gets unless it set its own, by [frameable][html]; made once, not per request. */
const CSP = [false, true].map((frameable) =>
  [API_CSP, HTML_CSP].map((csp) =>
    frameable ? csp.replace("frame-ancestors 'none'", "frame-ancestors *") : csp,
  ),
) as [[string, string], [string, string]];

export const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const h = c.res.headers;
  for (const [name, value] of ALWAYS) h.set(name, value);
  const frameable = FRAMEABLE.test(requestPathname(c.req.url));
  if (!frameable) h.set("x-frame-options", "DENY");
  if (!h.has("content-security-policy")) {
    const isHtml = (h.get("content-type") ?? "").includes("text/html");
    h.set("content-security-policy", CSP[frameable ? 1 : 0][isHtml ? 1 : 0]);
  }
  if (c.get("config")?.env === "production") h.set("strict-transport-security", HSTS);
};
