import { and, eq, isNull, ne } from "drizzle-orm";
import { accountSuspended } from "../admin/suspended";
import type { Config } from "../config";
import type { Db } from "../db/client";
import { accounts, refreshTokens, sessions } from "../db/schema";
import { AppError } from "../lib/errors";
import { newId, randomToken, sha256Hex } from "../lib/ids";
import type { Logger } from "../lib/logger";
import { endSessionSockets, type SessionSocketScope } from "../social/notifications/session-sockets";
import { signAccessToken } from "./tokens";

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  tokenType: "Bearer";
  expiresIn: number;
  profileId: string | null;
}

/** Statements that open a session with its first refresh token; run inside the caller's batch. */
export async function openSession(
  db: Db,
  config: Config,
  input: { accountId: string; profileId: string | null; userAgent: string | null },
) {
  const sessionId = newId("ses");
  const refreshToken = randomToken(32);
  const now = Date.now();
  const expiresAt = now + config.refreshTokenTtl * 1000;
  const statements = [
    db.insert(sessions).values({
      id: sessionId,
      accountId: input.accountId,
      profileId: input.profileId,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
      expiresAt,
    }),
    db.insert(refreshTokens).values({ tokenHash: await sha256Hex(refreshToken), sessionId, expiresAt }),
  ] as const;
  const pair = async (): Promise<TokenPair> => ({
    accessToken: await signAccessToken(config, {
      accountId: input.accountId,
      sessionId,
      profileId: input.profileId,
    }),
    refreshToken,
    tokenType: "Bearer",
    expiresIn: config.accessTokenTtl,
    profileId: input.profileId,
  });
  return { sessionId, statements, pair };
}

/** What ending a session needs: D1 for the rows, env for the live sockets, a log for failures. */
export interface SessionEnder {
  env: Env;
  db: Db;
  log: Logger;
}

/**
 * Closes the live notification sockets of sessions that just ended. Called only after the
 * revocation (or deletion) is in D1, so a socket that connects in between is caught by the inbox's
 * own session check. A failure here is logged, not thrown: the session has ended either way, and
 * the inbox re-checks the session before every push.
 */
export async function closeSessionSockets(s: SessionEnder, scope: SessionSocketScope): Promise<void> {
  try {
    await endSessionSockets(s.env, s.db, scope);
  } catch (error) {
    s.log("warn", {
      event: "session-sockets-close-failed",
      accountId: scope.accountId,
      error: String(error),
    });
  }
}

export async function revokeSession(
  s: SessionEnder,
  session: { id: string; accountId: string },
  reason: string,
): Promise<void> {
  await s.db
    .update(sessions)
    .set({ revokedAt: Date.now(), revokedReason: reason })
    .where(and(eq(sessions.id, session.id), isNull(sessions.revokedAt)));
  await closeSessionSockets(s, { accountId: session.accountId, sessionIds: [session.id] });
}

/** Ends every live session of the account (but `exceptSessionId`) in one statement, then their sockets. */
export async function revokeAllSessions(
  s: SessionEnder,
  accountId: string,
  reason: string,
  exceptSessionId?: string,
): Promise<void> {
  const revoked = await s.db
    .update(sessions)
    .set({ revokedAt: Date.now(), revokedReason: reason })
    .where(
      and(
        eq(sessions.accountId, accountId),
        isNull(sessions.revokedAt),
        exceptSessionId === undefined ? undefined : ne(sessions.id, exceptSessionId),
      ),
    )
    .returning({ id: sessions.id });
  // Sessions revoked earlier had their sockets closed then; these are the ones that ended now.
  await closeSessionSockets(s, { accountId, sessionIds: revoked.map((r) => r.id) });
}

/**
 * Rotates a refresh token. Each token is good exactly once: the conditional UPDATE is the race
 * arbiter, so of two concurrent uses only one wins. Any second use, sequential or concurrent,
 * means the token leaked, and the whole family (the session) is revoked.
 */
export async function rotateRefreshToken(
  s: SessionEnder & { config: Config },
  presented: string,
): Promise<TokenPair> {
  const { db, config } = s;
  const tokenHash = await sha256Hex(presented);
  const found = await db
    .select({
      token: refreshTokens,
      session: sessions,
      suspendedAt: accounts.suspendedAt,
      suspendedReason: accounts.suspendedReason,
    })
    .from(refreshTokens)
    .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
    .innerJoin(accounts, eq(accounts.id, sessions.accountId))
    .where(eq(refreshTokens.tokenHash, tokenHash))
    .get();
  const refused = (detail: string) => new AppError("invalid_token", detail);
  if (!found) throw refused("The refresh token is not recognised");
  // Before the session checks: suspension revoked the session, but the client should learn why.
  if (found.suspendedAt !== null) throw accountSuspended(found.suspendedReason);
  const { token, session } = found;
  if (session.revokedAt !== null) throw refused("The session has ended; sign in again");
  const now = Date.now();
  if (token.usedAt !== null) {
    await revokeSession(s, session, "refresh_token_reuse");
    throw refused("This refresh token was already used; the session has been revoked for safety");
  }
  if (token.expiresAt <= now || session.expiresAt <= now) throw refused("The refresh token has expired");
  const claimed = await db
    .update(refreshTokens)
    .set({ usedAt: now })
    .where(and(eq(refreshTokens.tokenHash, tokenHash), isNull(refreshTokens.usedAt)))
    .returning({ tokenHash: refreshTokens.tokenHash });
  if (claimed.length === 0) {
    await revokeSession(s, session, "refresh_token_reuse");
    throw refused("This refresh token was already used; the session has been revoked for safety");
  }
  const next = randomToken(32);
  await db.batch([
    db
      .insert(refreshTokens)
      .values({ tokenHash: await sha256Hex(next), sessionId: session.id, expiresAt: session.expiresAt }),
    db.update(sessions).set({ lastUsedAt: now }).where(eq(sessions.id, session.id)),
  ]);
  return {
    accessToken: await signAccessToken(config, {
      accountId: session.accountId,
      sessionId: session.id,
      profileId: session.profileId,
    }),
    refreshToken: next,
    tokenType: "Bearer",
    expiresIn: config.accessTokenTtl,
    profileId: session.profileId,
  };
}
