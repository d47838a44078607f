import type { Maturity, Role } from "@marquee/shared";
import type { Context, MiddlewareHandler } from "hono";
import { AppError } from "../lib/errors";
import type { Actor, AppEnv } from "../types";
import { verifyAccessToken } from "./tokens";

const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i;

interface ActorRow {
  account_id: string;
  email: string;
  email_verified_at: number | null;
  roles: string;
  plan: string;
  revoked_at: number | null;
  expires_at: number;
  profile_id: string | null;
  maturity: Maturity | null;
}

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
  const row = await c.env.DB.prepare(
    `SELECT a.id AS account_id, a.email, a.email_verified_at, a.roles, a.plan,
            s.revoked_at, s.expires_at, p.id AS profile_id, p.maturity
       FROM sessions s
       JOIN accounts a ON a.id = s.account_id
       LEFT JOIN profiles p ON p.id = ?3 AND p.account_id = a.id
      WHERE s.id = ?1 AND s.account_id = ?2`,
  )
    .bind(claims.sessionId, claims.accountId, claims.profileId)
    .first<ActorRow>();
  if (!row || row.revoked_at !== null || row.expires_at <= Date.now()) {
    throw new AppError("invalid_token", "The session has ended; sign in again");
  }
  const actor: Actor = {
    accountId: row.account_id,
    sessionId: claims.sessionId,
    email: row.email,
    emailVerified: row.email_verified_at !== null,
    roles: JSON.parse(row.roles) as Role[],
    plan: row.plan,
    profileId: row.profile_id,
    profileMaturity: row.maturity,
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
