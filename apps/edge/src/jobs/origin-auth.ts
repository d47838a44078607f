import type { MiddlewareHandler } from "hono";
import { AppError } from "../lib/errors";
import type { AppEnv } from "../types";

const REALM = 'Bearer realm="marquee-internal"';
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

/**
 * The origin's credential on /internal/*: `Authorization: Bearer ORIGIN_TOKEN`. User JWTs are
 * not accepted here, whatever their roles. Runs before any route or validation, so an
 * unauthenticated caller learns nothing about the API but its 401.
 */
export const requireOriginToken: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header("authorization");
  if (!header) {
    throw new AppError("unauthenticated", "The internal API needs the origin's bearer token", {
      headers: { "www-authenticate": REALM },
    });
  }
  const token = BEARER.exec(header.trim())?.[1];
  if (!token || !(await sameSecret(token, c.var.config.originToken))) {
    throw new AppError("invalid_token", "The bearer token is not the origin's token", {
      headers: { "www-authenticate": `${REALM}, error="invalid_token"` },
    });
  }
  await next();
};
