import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../types";

const API_CSP = "default-src 'none'; frame-ancestors 'none'";
/** HTML we render ourselves (the API docs) loads only same-origin scripts and styles. */
export const HTML_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
  "media-src 'self' blob:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/** Paths that other sites may put in an iframe (the embeddable player). */
const FRAMEABLE = /^\/embed\//;

export const securityHeaders: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const h = c.res.headers;
  h.set("x-content-type-options", "nosniff");
  h.set("referrer-policy", "strict-origin-when-cross-origin");
  h.set("cross-origin-opener-policy", "same-origin");
  const path = new URL(c.req.url).pathname;
  const frameable = FRAMEABLE.test(path);
  if (!frameable) h.set("x-frame-options", "DENY");
  if (!h.has("content-security-policy")) {
    const isHtml = (h.get("content-type") ?? "").includes("text/html");
    const csp = isHtml ? HTML_CSP : API_CSP;
    h.set(
      "content-security-policy",
      frameable ? csp.replace("frame-ancestors 'none'", "frame-ancestors *") : csp,
    );
  }
  if (c.var.config?.env === "production") {
    h.set("strict-transport-security", "max-age=31536000; includeSubDomains");
  }
};
