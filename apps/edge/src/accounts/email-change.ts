import { hashPassword } from "@marquee/shared";
import { and, eq, gt, inArray, isNull } from "drizzle-orm";
import {
  callerCodeGate,
  clientKey,
  destinationCodeGate,
  knownClientHash,
  LIMITS,
  probingGate,
} from "../auth/limits";
import { consumeLinkToken, issueCode, voidCodes } from "../auth/one-time-codes";
import { rateLimiter } from "../auth/rate-limiter";
import { assertPassword, emailInUse, normaliseEmail, sendEmailVerification } from "../auth/service";
import { revokeAllSessions } from "../auth/sessions";
import { accounts, credentials, oneTimeCodes } from "../db/schema";
import { uniqueViolation } from "../lib/db-errors";
import { AppError } from "../lib/errors";
import type { Services } from "../services";
import type { Actor } from "../types";

const taken = () => new AppError("conflict", "Another account uses that email");

/**
 * Changes the sign-in email. An access token alone is not enough: the password is checked (and
 * throttled per session). The new address starts unverified and gets a code; the old one gets a
 * notice with a single-use undo link; every other session ends, since whoever changes the email
 * of an account may be about to take it over.
 *
 * A 409 says the address is registered (or held by an undo link), so the route runs signup's
 * probing gate before any such check, and every check comes after the limits. A refused attempt
 * costs only the caller's budgets: the destination's own budget counts only a change that goes
 * through, so another account's 409s cannot use up the owner's verification mails.
 */
export async function changeEmail(
  s: Services,
  actor: Actor,
  input: { email: string; password: string },
  clientAddress: string,
): Promise<void> {
  await assertPassword(s, actor, input.password);
  const email = normaliseEmail(input.email);
  // Says nothing about anyone else: the caller knows the account's own email.
  if (email === actor.email) throw new AppError("conflict", "That is already the account's email");
  const probes = await probingGate(s.env, clientAddress);
  const scope = { accountId: actor.accountId, destination: email, client: clientAddress };
  const caller = await callerCodeGate(s.env, "verify_email", scope).catch(async (e) => {
    await probes.forgive();
    throw e;
  });
  if (await emailInUse(s, email, actor.accountId)) throw taken();
  const destination = await destinationCodeGate(s.env, "verify_email", email).catch(async (e) => {
    await Promise.all([probes.forgive(), caller.forgive()]);
    throw e;
  });
  try {
    await s.db
      .update(accounts)
      .set({ email, emailVerifiedAt: null, updatedAt: Date.now() })
      .where(eq(accounts.id, actor.accountId));
  } catch (cause) {
    // A signup or another change took the address since the check: not the destination's cost.
    if (uniqueViolation(cause) !== null) {
      await destination.forgive();
      throw taken();
    }
    throw cause;
  }
  await probes.forgive();
  await revokeAllSessions(s, actor.accountId, "email_changed", actor.sessionId);
  const log = (event: string) => (error: unknown) =>
    s.log("warn", { event, accountId: actor.accountId, error: String(error) });
  await s.mailer.send(await changeNotice(s, actor, email)).catch(log("email-change-notice-failed"));
  await sendEmailVerification(s, actor.accountId, email).catch(log("verification-mail-failed"));
}

/**
 * The notice to the previous address. It carries an undo link only if that address was verified:
 * an unverified address (a typo at signup, or someone else's) has shown no claim to the account,
 * and an undo link would hand the account to whoever reads that mailbox.
 */
async function changeNotice(s: Services, actor: Actor, email: string) {
  const base = {
    to: actor.email,
    subject: "Your Marquee email address was changed",
    tag: "email-changed",
  };
  if (!actor.emailVerified) {
    return {
      ...base,
      text: `The email of the Marquee account registered with this (never verified) address was changed to ${email}.`,
    };
  }
  const undo = await issueCode(s.db, actor.accountId, "undo_email_change", actor.email);
  const link = `${s.config.publicUrl}/undo-email-change?token=${encodeURIComponent(undo)}`;
  return {
    ...base,
    text:
      `The email of your Marquee account was changed to ${email}. If that was not you, open ${link} ` +
      `within 7 days: it gives the account back to this address, signs everyone out and lets you ` +
      `choose a new password. If you changed it yourself because this mailbox is no longer safe, ` +
      `cancel this link on the Account page of Marquee (${s.config.publicUrl}/account) with your ` +
      `password, from a network you have used Marquee on for a while.\nUndo token: ${undo}`,
  };
}

/**
 * Follows the undo link mailed to the previous address: the account gets that address back
 * (verified: the link proves the mailbox), a new password, and no live session. Undo links issued
 * after this one — mailed to addresses the account moved through later, possibly a thief's — die,
 * as do reset links and pending email codes; earlier undo links stay, since they belong to an
 * even earlier address.
 */
export async function undoEmailChange(s: Services, token: string, password: string): Promise<void> {
  const { id, accountId, target, createdAt } = await consumeLinkToken(s.db, "undo_email_change", token);
  const now = Date.now();
  try {
    await s.db.batch([
      s.db
        .update(accounts)
        .set({ email: target, emailVerifiedAt: now, updatedAt: now })
        .where(eq(accounts.id, accountId)),
      s.db
        .update(credentials)
        .set({ passwordHash: await hashPassword(password), updatedAt: now })
        .where(eq(credentials.accountId, accountId)),
      voidCodes(s.db, accountId, ["undo_email_change"], createdAt),
      voidCodes(s.db, accountId, ["password_reset", "verify_email"]),
    ]);
  } catch (cause) {
    // The address is held for its owner while the link is live (signup and email change check),
    // so this is only a race lost to a signup in the same instant.
    if (uniqueViolation(cause) !== null) {
      // Nothing changed (the batch is atomic): give the owner their link back to retry later.
      await s.db.update(oneTimeCodes).set({ usedAt: null }).where(eq(oneTimeCodes.id, id));
      throw taken();
    }
    throw cause;
  }
  s.log("info", { event: "email-change-undone", accountId });
  await revokeAllSessions(s, accountId, "email_change_undone");
}

/**
 * Cancels the account's live undo links, for an owner who moved the email because the old mailbox
 * was stolen (the link would hand the account to the mailbox's thief for 7 days). The password
 * alone is not enough: whoever changed the email with a stolen password has it too, and must not
 * be able to take the old address's remedy away. So every link is cancelled only if the caller's
 * client (IPv4 address or IPv6 /64) had been signing in with that link's address for at least
 * `LIMITS.undoCancelEstablishedDays` before the link was issued; otherwise nothing is cancelled
 * and the answer is 409.
 */
export async function cancelUndoLinks(
  s: Services,
  actor: Actor,
  password: string,
  clientAddress: string,
): Promise<void> {
  await assertPassword(s, actor, password);
  const links = await s.db
    .select({ id: oneTimeCodes.id, target: oneTimeCodes.target, createdAt: oneTimeCodes.createdAt })
    .from(oneTimeCodes)
    .where(
      and(
        eq(oneTimeCodes.accountId, actor.accountId),
        eq(oneTimeCodes.purpose, "undo_email_change"),
        isNull(oneTimeCodes.usedAt),
        gt(oneTimeCodes.expiresAt, Date.now()),
      ),
    )
    .all();
  if (links.length === 0) return;
  const client = clientKey(clientAddress);
  const established = LIMITS.undoCancelEstablishedDays * 86_400_000;
  for (const link of links) {
    const since = await rateLimiter(s.env, `email:${link.target}`).knownSince(
      await knownClientHash(link.target, client),
    );
    if (since === null || since > link.createdAt - established)
      throw new AppError(
        "conflict",
        "Undo links can be cancelled only from a network this account has signed in from for a while before the change",
      );
  }
  // Only the links checked above: one issued meanwhile was not checked.
  await s.db
    .update(oneTimeCodes)
    .set({ usedAt: Date.now() })
    .where(
      and(
        inArray(
          oneTimeCodes.id,
          links.map((l) => l.id),
        ),
        isNull(oneTimeCodes.usedAt),
      ),
    );
  s.log("info", { event: "undo-links-cancelled", accountId: actor.accountId, count: links.length });
}
