import { decoyHash, hashPassword, verifyPassword } from "@marquee/shared";
import { and, eq, ne } from "drizzle-orm";
import { accountSuspended, SUSPENDED_REASON } from "../admin/suspended";
import { accounts, credentials, profiles } from "../db/schema";
import { uniqueViolation } from "../lib/db-errors";
import { AppError } from "../lib/errors";
import { newId } from "../lib/ids";
import type { Services } from "../services";
import type { Actor } from "../types";
import { clientKey, codeRequestGate, gate, knownClientHash, LIMITS, probingGate, tooMany } from "./limits";
import {
  addressReservedByUndo,
  consumeResetToken,
  consumeTypedCode,
  issueCode,
  voidCodes,
} from "./one-time-codes";
import { rateLimiter } from "./rate-limiter";
import {
  openSession,
  revokeAllSessions,
  revokeSession,
  rotateRefreshToken,
  type TokenPair,
} from "./sessions";

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

/**
 * Whether another account signs in with `email`, or holds it with a live undo link (the address
 * an email change left, kept for its owner to take back). Signup and email change ask the same.
 */
export async function emailInUse(s: Services, email: string, exceptAccountId?: string): Promise<boolean> {
  const other = await s.db
    .select({ id: accounts.id })
    .from(accounts)
    .where(
      exceptAccountId === undefined
        ? eq(accounts.email, email)
        : and(eq(accounts.email, email), ne(accounts.id, exceptAccountId)),
    )
    .get();
  return other !== undefined || (await addressReservedByUndo(s.db, email, exceptAccountId));
}

interface ClientInfo {
  address: string;
  userAgent: string | null;
}

export async function signup(
  s: Services,
  input: { email: string; password: string; displayName: string },
  client: ClientInfo,
): Promise<TokenPair & { accountId: string }> {
  const email = normaliseEmail(input.email);
  // Signup says whether an email is registered (409), which login's decoy hides. Each 409 counts
  // against the client address; once it has five in the hour, every signup from it (new email or
  // not) answers 429, so one address learns at most five registrations an hour, and the 429 itself
  // says nothing. A signup that creates an account is forgiven. (POST /me/email shares the budget.)
  const probes = await probingGate(s.env, client.address);
  if (await emailInUse(s, email))
    throw new AppError("conflict", "An account with this email already exists; sign in instead");
  const accountId = newId("acc");
  const profileId = newId("prf");
  const passwordHash = await hashPassword(input.password);
  const session = await openSession(s.db, s.config, { accountId, profileId, userAgent: client.userAgent });
  try {
    await s.db.batch([
      s.db.insert(accounts).values({ id: accountId, email, displayName: input.displayName }),
      s.db.insert(credentials).values({ accountId, passwordHash }),
      s.db
        .insert(profiles)
        .values({ id: profileId, accountId, name: Array.from(input.displayName).slice(0, 50).join("") }),
      ...session.statements,
    ]);
  } catch (cause) {
    // Two signups for one email racing past the check above: the unique index decides.
    if (uniqueViolation(cause) !== null)
      throw new AppError("conflict", "An account with this email already exists");
    throw cause;
  }
  await probes.forgive();
  await sendEmailVerification(s, accountId, email).catch((error) =>
    s.log("warn", { event: "verification-mail-failed", accountId, error: String(error) }),
  );
  return { ...(await session.pair()), accountId };
}

/**
 * Login throttling (docs/auth.md): hard limits per (email, client) and per client, counted before
 * the password check; for the email alone, from anywhere, a rate (one check per step past a soft
 * limit, refused past a short queue) that never applies to a client that signed in to the email
 * lately, so a crowd of strangers cannot lock the owner out of an address they have used, nor
 * guess faster than the rate.
 */
export async function login(
  s: Services,
  input: { email: string; password: string },
  client: ClientInfo,
): Promise<TokenPair & { accountId: string }> {
  const email = normaliseEmail(input.email);
  const { maxPerEmail, maxPerClient, windowSeconds } = s.config.loginThrottle;
  const from = clientKey(client.address);
  const pairKey = `login:${JSON.stringify([email, from])}`;
  const attempt = await gate(
    s.env,
    [
      [pairKey, { limit: maxPerEmail, windowSeconds }],
      [`client:${from}`, { limit: maxPerClient, windowSeconds }],
    ],
    "sign-in attempts",
  );
  const byEmail = rateLimiter(s.env, `email:${email}`);
  const { stepMs, maxDelayMs, knownClientDays } = LIMITS.loginEmailSlowdown;
  const clientHash = await knownClientHash(email, from);
  const paced = await byEmail.reserve({
    softLimit: maxPerEmail,
    windowSeconds,
    stepMs,
    maxWaitMs: maxDelayMs,
    clientHash,
  });
  if (!paced.allowed) {
    // Refused before any check: the per-client keys take their count back, like any refusal.
    await attempt.forgive(false);
    throw tooMany(paced.retryAfterSeconds ?? 1, "sign-in attempts");
  }
  if (paced.waitMs) await scheduler.wait(paced.waitMs);
  const found = await s.db
    .select({
      id: accounts.id,
      hash: credentials.passwordHash,
      suspendedAt: accounts.suspendedAt,
      suspendedReason: accounts.suspendedReason,
    })
    .from(accounts)
    .innerJoin(credentials, eq(credentials.accountId, accounts.id))
    .where(eq(accounts.email, email))
    .get();
  // Unknown emails still pay for one hash so timing does not reveal which emails exist.
  const check = await verifyPassword(input.password, found?.hash ?? (await decoyHash()));
  const ok = Boolean(found) && check.ok;
  if (ok) {
    // The (email, address) pair is the owner's own: success clears it. The client key and the
    // email's pace forgive only this attempt, or a success would reset a stranger's budget.
    await Promise.all([
      attempt.forgive(false),
      paced.attemptId === undefined ? undefined : byEmail.settle(paced.attemptId, true, false),
      byEmail.remember(clientHash, knownClientDays * 86_400_000),
    ]);
    await rateLimiter(s.env, pairKey).settle(0, true, true);
  }
  if (!found || !ok) throw new AppError("invalid_credentials");
  // Only after the password is right: a suspension is said to its owner, never to a guesser.
  if (found.suspendedAt !== null) throw accountSuspended(found.suspendedReason);
  if (check.needsRehash) {
    await s.db
      .update(credentials)
      .set({ passwordHash: await hashPassword(input.password), updatedAt: Date.now() })
      .where(eq(credentials.accountId, found.id));
  }
  const firstProfile = await s.db
    .select({ id: profiles.id })
    .from(profiles)
    .where(eq(profiles.accountId, found.id))
    .orderBy(profiles.createdAt)
    .get();
  const session = await openSession(s.db, s.config, {
    accountId: found.id,
    profileId: firstProfile?.id ?? null,
    userAgent: client.userAgent,
  });
  // The suspension is read again in the session's own transaction: a suspension that committed
  // after the check above but before this batch would otherwise miss the session it did not see.
  const [, , [now]] = await s.db.batch([
    ...session.statements,
    s.db
      .select({ suspendedAt: accounts.suspendedAt, suspendedReason: accounts.suspendedReason })
      .from(accounts)
      .where(eq(accounts.id, found.id)),
  ]);
  if (now && now.suspendedAt !== null) {
    await revokeSession(s, { id: session.sessionId, accountId: found.id }, SUSPENDED_REASON);
    throw accountSuspended(now.suspendedReason);
  }
  return { ...(await session.pair()), accountId: found.id };
}

export const refresh = (s: Services, refreshToken: string) => rotateRefreshToken(s, refreshToken);

export const logout = (s: Services, actor: Actor) =>
  revokeSession(s, { id: actor.sessionId, accountId: actor.accountId }, "logout");

export async function sendEmailVerification(s: Services, accountId: string, email: string): Promise<void> {
  const code = await issueCode(s.db, accountId, "verify_email", email);
  await s.mailer.send({
    to: email,
    subject: `Your Marquee verification code: ${code}`,
    text: `Enter ${code} in Marquee to verify your email address. The code expires in 30 minutes.`,
    tag: "verify-email",
  });
}

export async function requestEmailVerification(
  s: Services,
  actor: Actor,
  clientAddress: string,
): Promise<void> {
  if (actor.emailVerified) throw new AppError("conflict", "Your email address is already verified");
  await codeRequestGate(s.env, "verify_email", {
    accountId: actor.accountId,
    destination: actor.email,
    client: clientAddress,
  });
  await deliver(() => sendEmailVerification(s, actor.accountId, actor.email));
}

/**
 * Typed-code guesses per account and purpose, across every code issued: asking for a new code
 * gives a new code, not new guesses. Counted before the check; the right code clears the budget.
 */
async function guessingCode<T>(
  s: Services,
  actor: Actor,
  purpose: "verify_email" | "verify_phone",
  check: () => Promise<T>,
): Promise<T> {
  const budget = await gate(
    s.env,
    [[`guess:${purpose}:${actor.accountId}`, LIMITS.codeGuessesPerAccount]],
    "wrong codes",
  );
  const result = await check();
  await budget.forgive(true);
  return result;
}

export async function verifyEmail(s: Services, actor: Actor, code: string): Promise<void> {
  const target = await guessingCode(s, actor, "verify_email", () =>
    consumeTypedCode(s.db, actor.accountId, "verify_email", code),
  );
  // A code mailed to a previous address proves nothing about the current one.
  if (target !== actor.email) throw new AppError("invalid_token", "The code was sent to a different address");
  await s.db
    .update(accounts)
    .set({ emailVerifiedAt: Date.now(), updatedAt: Date.now() })
    .where(eq(accounts.id, actor.accountId));
}

/**
 * Answers the same whether or not the email is registered: the limits are keyed by the address
 * typed and the client, never by the account, so a 429 here says only that this address (or this
 * client) asked too often — true of unknown addresses alike. The hard limits are the client's own
 * (per client, and per address and client); the address's own budget is far higher than one client
 * may use, so a stranger cannot keep the owner's reset link from them. A delivery failure is logged, not
 * answered, since only registered addresses have a delivery to fail.
 */
export async function requestPasswordReset(
  s: Services,
  rawEmail: string,
  clientAddress: string,
  /** Runs work after the response (waitUntil), so registered and unknown emails answer equally fast. */
  defer: (work: Promise<unknown>) => void = (work) => void work,
): Promise<void> {
  const email = normaliseEmail(rawEmail);
  // A client that signed in with this email lately skips the destination's budget, so strangers
  // together cannot use it up against the owner. Only such a client sees the difference, and it
  // already knows the email is registered; to everyone else both kinds of email answer alike.
  const known = await rateLimiter(s.env, `email:${email}`).isKnown(
    await knownClientHash(email, clientKey(clientAddress)),
  );
  await codeRequestGate(s.env, "password_reset", {
    destination: email,
    client: clientAddress,
    skipDestination: known,
  });
  const account = await s.db
    .select({ id: accounts.id })
    .from(accounts)
    .where(eq(accounts.email, email))
    .get();
  if (!account) return;
  defer(mailResetLink(s, account.id, email));
}

/** Never rejects: it runs after the response, where a failure can only be logged. */
async function mailResetLink(s: Services, accountId: string, email: string): Promise<void> {
  try {
    const token = await issueCode(s.db, accountId, "password_reset", email);
    const link = `${s.config.publicUrl}/reset-password?token=${encodeURIComponent(token)}`;
    await s.mailer.send({
      to: email,
      subject: "Reset your Marquee password",
      text: `Someone asked to reset your Marquee password. If it was you, open ${link} within an hour.\nReset token: ${token}`,
      tag: "password-reset",
    });
  } catch (error) {
    s.log("warn", { event: "reset-mail-failed", accountId, error: String(error) });
  }
}

export async function confirmPasswordReset(s: Services, token: string, password: string): Promise<void> {
  const { accountId, target } = await consumeResetToken(s.db, token);
  const now = Date.now();
  // A link mailed to an address the account no longer has (changed, or changed and undone) proves
  // nothing about the account.
  const current = await s.db
    .select({ email: accounts.email })
    .from(accounts)
    .where(eq(accounts.id, accountId))
    .get();
  if (current?.email !== target)
    throw new AppError("invalid_token", "The link was sent to a different address");
  await s.db.batch([
    s.db
      .update(credentials)
      .set({ passwordHash: await hashPassword(password), updatedAt: now })
      .where(eq(credentials.accountId, accountId)),
    // Following the link proves control of the mailbox the link was sent to.
    s.db.update(accounts).set({ emailVerifiedAt: now, updatedAt: now }).where(eq(accounts.id, accountId)),
  ]);
  s.log("info", { event: "password-reset", accountId, target });
  await revokeAllSessions(s, accountId, "password_reset");
}

export async function changePassword(
  s: Services,
  actor: Actor,
  current: string,
  next: string,
): Promise<void> {
  await assertPassword(s, actor, current);
  await s.db.batch([
    s.db
      .update(credentials)
      .set({ passwordHash: await hashPassword(next), updatedAt: Date.now() })
      .where(eq(credentials.accountId, actor.accountId)),
    // Reset links already out were asked for under the old password.
    voidCodes(s.db, actor.accountId, ["password_reset"]),
  ]);
  await revokeAllSessions(s, actor.accountId, "password_changed", actor.sessionId);
}

/**
 * Re-authentication for destructive actions. Guesses are limited per session: a stolen access
 * token must not become an unthrottled password oracle, and the owner's other sessions are untouched.
 */
export async function assertPassword(s: Services, actor: Actor, password: string): Promise<void> {
  const attempt = await gate(
    s.env,
    [[`reauth:${actor.sessionId}`, LIMITS.reauthPerSession]],
    "password attempts",
  );
  const row = await s.db.select().from(credentials).where(eq(credentials.accountId, actor.accountId)).get();
  const check = row ? await verifyPassword(password, row.passwordHash) : { ok: false };
  if (!check.ok) throw new AppError("invalid_credentials", "The password is wrong");
  await attempt.forgive(true);
}

export async function startPhoneVerification(
  s: Services,
  actor: Actor,
  input: { phone: string; password: string },
  clientAddress: string,
): Promise<void> {
  const { phone } = input;
  await assertPassword(s, actor, input.password);
  await codeRequestGate(s.env, "verify_phone", {
    accountId: actor.accountId,
    destination: phone,
    client: clientAddress,
  });
  await s.db
    .update(accounts)
    .set({ phone, phoneVerifiedAt: null, updatedAt: Date.now() })
    .where(eq(accounts.id, actor.accountId));
  const code = await issueCode(s.db, actor.accountId, "verify_phone", phone);
  await deliver(() =>
    s.sms.send({ to: phone, body: `Your Marquee code is ${code}. It expires in 10 minutes.` }),
  );
}

export async function verifyPhone(s: Services, actor: Actor, code: string): Promise<void> {
  const target = await guessingCode(s, actor, "verify_phone", () =>
    consumeTypedCode(s.db, actor.accountId, "verify_phone", code),
  );
  const account = await s.db
    .select({ phone: accounts.phone })
    .from(accounts)
    .where(eq(accounts.id, actor.accountId))
    .get();
  if (!account || account.phone !== target)
    throw new AppError("invalid_token", "The code was sent to a different number");
  await s.db
    .update(accounts)
    .set({ phoneVerifiedAt: Date.now(), updatedAt: Date.now() })
    .where(eq(accounts.id, actor.accountId));
}

/** A provider failure is the provider's fault, not the client's: 502, with the reason logged. */
async function deliver(send: () => Promise<unknown>): Promise<void> {
  try {
    await send();
  } catch (cause) {
    if (cause instanceof AppError) throw cause;
    throw new AppError("delivery_failed", "We could not send the message right now; try again shortly", {
      cause,
    });
  }
}
