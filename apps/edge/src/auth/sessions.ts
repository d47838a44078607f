import { and, eq, isNull } from "drizzle-orm";
import type { Config } from "../config";
import type { Db } from "../db/client";
import { refreshTokens, sessions } from "../db/schema";
import { AppError } from "../lib/errors";
import { newId, randomToken, sha256Hex } from "../lib/ids";
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

export async function revokeSession(db: Db, sessionId: string, reason: string): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: Date.now(), revokedReason: reason })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.revokedAt)));
}

export async function revokeAllSessions(db: Db, accountId: string, reason: string, exceptSessionId?: string) {
  const rows = await db
    .select({ id: sessions.id })
    .from(sessions)
    .where(and(eq(sessions.accountId, accountId), isNull(sessions.revokedAt)));
  for (const row of rows) if (row.id !== exceptSessionId) await revokeSession(db, row.id, reason);
}

/**
 * Rotates a refresh token. Each token is good exactly once: the conditional UPDATE is the race
 * arbiter, so of two concurrent uses only one wins. Any second use, sequential or concurrent,
 * means the token leaked, and the whole family (the session) is revoked.
 */
export async function rotateRefreshToken(db: Db, config: Config, presented: string): Promise<TokenPair> {
  const tokenHash = await sha256Hex(presented);
  const found = await db
    .select({ token: refreshTokens, session: sessions })
    .from(refreshTokens)
    .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
    .where(eq(refreshTokens.tokenHash, tokenHash))
    .get();
  const refused = (detail: string) => new AppError("invalid_token", detail);
  if (!found) throw refused("The refresh token is not recognised");
  const { token, session } = found;
  if (session.revokedAt !== null) throw refused("The session has ended; sign in again");
  const now = Date.now();
  if (token.usedAt !== null) {
    await revokeSession(db, session.id, "refresh_token_reuse");
    throw refused("This refresh token was already used; the session has been revoked for safety");
  }
  if (token.expiresAt <= now || session.expiresAt <= now) throw refused("The refresh token has expired");
  const claimed = await db
    .update(refreshTokens)
    .set({ usedAt: now })
    .where(and(eq(refreshTokens.tokenHash, tokenHash), isNull(refreshTokens.usedAt)))
    .returning({ tokenHash: refreshTokens.tokenHash });
  if (claimed.length === 0) {
    await revokeSession(db, session.id, "refresh_token_reuse");
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
