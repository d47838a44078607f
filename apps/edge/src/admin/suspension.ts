/**
 * Account suspension by an admin (docs/moderation.md, "Account suspension"). Suspending sets
 * `accounts.suspended_at/reason`, revokes every live session, hides the account's channel content
 * (`syncChannelHidden`) and writes the audit row, all in ONE batch: there is no moment when the
 * account is suspended but still signed in, or hidden without a record. Then the live notification
 * sockets of the revoked sessions are closed, and every old media link of its videos is revoked
 * (moderation/revoke.ts). Sign-in and refresh refuse a suspended account
 * (auth/service.ts, auth/sessions.ts) with 403 `account_suspended`.
 *
 * Restoring clears the suspension and un-hides the content (what a channel's own moderation state
 * still hides stays hidden); sessions stay revoked: the person signs in again.
 */
import { and, eq, isNull } from "drizzle-orm";
import { sealQuietly } from "../audit/chain";
import { auditActorOf, auditInsert } from "../audit/log";
import { authorize } from "../auth/permissions";
import { closeSessionSockets } from "../auth/sessions";
import { accounts, sessions } from "../db/schema";
import { AppError } from "../lib/errors";
import { syncChannelHidden } from "../moderation/channel-hidden";
import { revokeChannelMedia } from "../moderation/revoke";
import type { Services } from "../services";
import type { Actor } from "../types";
import { SUSPENDED_REASON } from "./suspended";
import { userStanding } from "./users";

/**
 * PUT /admin/users/{userId}/suspension. Setting the state it already has changes nothing and
 * writes no audit row (a retried request is harmless). An admin cannot suspend themself (409): it
 * would lock out the one person who could undo it.
 */
export async function setSuspension(
  s: Services,
  actor: Actor,
  userId: string,
  input: { suspended: boolean; reason: string },
) {
  authorize(actor, "admin.users.suspend");
  if (input.suspended && userId === actor.accountId) {
    throw new AppError("conflict", "Admins cannot suspend their own account; ask another admin");
  }
  const before = await s.db
    .select({ suspendedAt: accounts.suspendedAt, suspendedReason: accounts.suspendedReason })
    .from(accounts)
    .where(eq(accounts.id, userId))
    .get();
  if (!before) throw new AppError("not_found", "No such user");
  const now = Date.now();
  if (input.suspended && before.suspendedAt === null) {
    const [, revoked] = await s.db.batch([
      // Conditional: of two admins suspending at once, the first one's time and reason stay.
      s.db
        .update(accounts)
        .set({ suspendedAt: now, suspendedReason: input.reason, updatedAt: now })
        .where(and(eq(accounts.id, userId), isNull(accounts.suspendedAt))),
      s.db
        .update(sessions)
        .set({ revokedAt: now, revokedReason: SUSPENDED_REASON })
        .where(and(eq(sessions.accountId, userId), isNull(sessions.revokedAt)))
        .returning({ id: sessions.id }),
      // After the account's row changed: it reads the new suspended_at.
      syncChannelHidden(s.db, { accountId: userId }),
      auditInsert(
        s,
        auditActorOf(actor),
        {
          action: "admin.user.suspend",
          targetType: "account",
          targetId: userId,
          before: { suspended: false },
          after: { suspended: true, reason: input.reason },
          reason: input.reason,
        },
        now,
      ),
    ]);
    await sealQuietly(s, "admin.user.suspend");
    // Links handed out before (playback up to the token TTL, posters two days) stop now too: every
    // video's media generation moves. Never throws: the hide stands, and old links lapse anyway.
    await revokeChannelMedia(s, { accountId: userId });
    // The sessions' rows are revoked already (every request checks them); this ends open sockets.
    await closeSessionSockets(s, { accountId: userId, sessionIds: revoked.map((r) => r.id) });
    s.log("info", { event: "account-suspended", by: actor.accountId, userId, sessions: revoked.length });
  } else if (!input.suspended && before.suspendedAt !== null) {
    await s.db.batch([
      s.db
        .update(accounts)
        .set({ suspendedAt: null, suspendedReason: null, updatedAt: now })
        .where(eq(accounts.id, userId)),
      syncChannelHidden(s.db, { accountId: userId }),
      auditInsert(
        s,
        auditActorOf(actor),
        {
          action: "admin.user.restore",
          targetType: "account",
          targetId: userId,
          before: { suspended: true, reason: before.suspendedReason },
          after: { suspended: false },
          reason: input.reason,
        },
        now,
      ),
    ]);
    await sealQuietly(s, "admin.user.restore");
    s.log("info", { event: "account-restored", by: actor.accountId, userId });
  }
  const user = await userStanding(s, userId);
  if (!user) throw new AppError("not_found", "No such user");
  return user;
}
