import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { profiles } from "../../db/schema";
import { forEachLimited, inboxOf } from "./delivery";

/** Which sessions' sockets to close: explicit ids, or every session of the account but one. */
export interface SessionSocketScope {
  accountId: string;
  /**
   * The inboxes to look in; omitted = every profile the account has now (read from D1). Pass them
   * when the profiles are already deleted (account or profile deletion).
   */
  profileIds?: string[];
  sessionIds: string[] | "all";
  /** With `sessionIds: "all"`: the session that stays (password change keeps the caller's). */
  exceptSessionId?: string;
}

/**
 * Closes the live notification sockets of ended sessions (logout, refresh-token reuse, password
 * change, account or profile deletion) and resolves once every inbox has closed them. Call it
 * AFTER the session rows are revoked or deleted in D1: an upgrade that authenticated just before
 * the revocation and reaches the inbox after this call is then caught by the inbox's own session
 * check (inbox.ts), which also guards every push in case a call here was missed.
 *
 * A socket's session id is in its hibernation attachment; each inbox closes the matching ones
 * with 4401 "session ended".
 */
export async function endSessionSockets(env: Env, db: Db, scope: SessionSocketScope): Promise<void> {
  if (Array.isArray(scope.sessionIds) && scope.sessionIds.length === 0) return;
  const profileIds =
    scope.profileIds ??
    (await db.select({ id: profiles.id }).from(profiles).where(eq(profiles.accountId, scope.accountId))).map(
      (p) => p.id,
    );
  await forEachLimited([...new Set(profileIds)], 8, (profileId) =>
    inboxOf(env, profileId).closeSessions(scope.sessionIds, scope.exceptSessionId ?? null),
  );
}
