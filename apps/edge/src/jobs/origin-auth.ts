import type { MiddlewareHandler } from "hono";
import { AppError } from "../lib/errors";
import type { AppEnv } from "../types";

const BEARER = /^Bearer +([\x21-\x7e]{1,512})$/i;

async function digest(value: string): Promise<ArrayBuffer> {
  return crypto.subtle.digest("SHA-256", new TextEncoder().encode(value));
}

/**
 * Constant-time comparison of a presented secret with the expected one: both are hashed first,
 * so the comparison sees equal lengths and its time says nothing about the secret's length or
 * how much of a guess was right.
 */
export async function sameSecret(presented: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([digest(presented), digest(expected)]);
  return crypto.subtle.timingSafeEqual(a, b);
}

type InternalSecret = "originToken" | "payoutsToken";

const WHO: Record<InternalSecret, { realm: string; name: string }> = {
  originToken: { realm: 'Bearer realm="marquee-internal"', name: "the origin's" },
  payoutsToken: { realm: 'Bearer realm="marquee-payouts"', name: "the payout run's" },
};

/**
 * A machine credential on /internal/*: `Authorization: Bearer <secret>`. User JWTs are not
 * accepted here, whatever their roles. Runs before any route or validation, so an
 * unauthenticated caller learns nothing about the API but its 401.
 */
function requireBearer(secret: InternalSecret): MiddlewareHandler<AppEnv> {
  const { realm, name } = WHO[secret];
  return async (c, next) => {
    const header = c.req.header("authorization");
    if (!header) {
      throw new AppError("unauthenticated", `The internal API needs ${name} bearer token`, {
        headers: { "www-authenticate": realm },
      });
    }
    const token = BEARER.exec(header.trim())?.[1];
    if (!token || !(await sameSecret(token, c.var.config[secret]))) {
      throw new AppError("invalid_token", `The bearer token is not ${name} token`, {
        headers: { "www-authenticate": `${realm}, error="invalid_token"` },
      });
    }
    await next();
  };
}

/** ORIGIN_TOKEN: the transcoder's jobs, outputs and ads under /internal (not /internal/payouts). */
export const requireOriginToken = requireBearer("originToken");

/**
 * PAYOUTS_TOKEN on /internal/payouts/*: only the payout run may read Connect accounts and period
 * facts or publish statements. ORIGIN_TOKEN is refused there, so a transcoder that leaks its token
 * (it runs ffmpeg on strangers' files) cannot touch money.
 */
export const requirePayoutsToken = requireBearer("payoutsToken");

/**
 * Whether a request path is under /internal/payouts/: the one prefix whose routes (payouts/
 * internal-routes.ts, mounted at /internal) check PAYOUTS_TOKEN instead of ORIGIN_TOKEN. The same
 * prefix as that router's `/payouts/*` middleware, so no path skips both checks.
 */
export function isPayoutsPath(path: string): boolean {
  return path.startsWith("/internal/payouts/");
}
