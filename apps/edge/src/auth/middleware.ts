import { and, eq } from "drizzle-orm";
import type { Context, MiddlewareHandler } from "hono";
import { accounts, profiles, sessions } from "../db/schema";
import { AppError } from "../lib/errors";
import type { Actor, AppEnv } from "../types";
import { verifyAccessToken } from "./tokens";

const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i;

/**
 * Resolves the caller. A request without credentials continues anonymously; a request with a
 * bad, expired or revoked token is refused outright rather than silently downgraded, so a client
 * notices that it must refresh. One D1 read per authenticated request checks that the session
 * is alive and picks up role changes immediately.
 */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const header = c.req.header("authorization");
  if (header === undefined) return next();
  const match = BEARER.exec(header);
  if (!match?.[1]) {
    throw new AppError("invalid_token", "The Authorization header must be `Bearer <token>`");
  }
  c.set("actor", await resolveActor(c, match[1]));
  return next();
};

/**
 * The actor an access token names, with the session checked in D1. Exported for routes that
 * cannot use the Authorization header (a browser WebSocket sends the token another way).
 */
export async function resolveActor(c: Context<AppEnv>, token: string): Promise<Actor> {
  const claims = await verifyAccessToken(c.var.config, token);
  const [row] = await c.var.db
    .select({
      accountId: accounts.id,
      email: accounts.email,
      emailVerifiedAt: accounts.emailVerifiedAt,
      roles: accounts.roles,
      revokedAt: sessions.revokedAt,
      expiresAt: sessions.expiresAt,
      profileId: profiles.id,
      maturity: profiles.maturity,
      language: profiles.language,
    })
    .from(sessions)
    .innerJoin(accounts, eq(accounts.id, sessions.accountId))
    .leftJoin(profiles, and(eq(profiles.id, claims.profileId ?? ""), eq(profiles.accountId, accounts.id)))
    .where(and(eq(sessions.id, claims.sessionId), eq(sessions.accountId, claims.accountId)));
  if (!row || row.revokedAt !== null || row.expiresAt <= Date.now()) {
    throw new AppError("invalid_token", "The session has ended; sign in again");
  }
  const actor: Actor = {
    accountId: row.accountId,
    sessionId: claims.sessionId,
    email: row.email,
    emailVerified: row.emailVerifiedAt !== null,
    roles: row.roles,
    profileId: row.profileId,
    profileMaturity: row.maturity,
    profileLanguage: row.language,
  };
  return actor;
}

/** The caller, or a 401 problem when the route needs one and none was given. */
export function requireActor(c: Context<AppEnv>): Actor {
  const actor = c.var.actor;
  if (!actor) {
    throw new AppError("unauthenticated", "Send an access token: Authorization: Bearer <token>", {
      headers: { "www-authenticate": "Bearer" },
    });
  }
  return actor;
}
