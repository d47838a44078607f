import { decoyHash, hashPassword, verifyPassword } from "@marquee/shared";
import { eq } from "drizzle-orm";
import { accounts, credentials, profiles } from "../db/schema";
import { uniqueViolation } from "../lib/db-errors";
import { AppError } from "../lib/errors";
import { newId } from "../lib/ids";
import type { Services } from "../services";
import type { Actor } from "../types";
import { consumeResetToken, consumeTypedCode, issueCode } from "./one-time-codes";
import {
  openSession,
  revokeAllSessions,
  revokeSession,
  rotateRefreshToken,
  type TokenPair,
} from "./sessions";

export const normaliseEmail = (email: string) => email.trim().toLowerCase();

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
  const existing = await s.db
    .select({ id: accounts.id })
    .from(accounts)
    .where(eq(accounts.email, email))
    .get();
  if (existing) throw new AppError("conflict", "An account with this email already exists; sign in instead");
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
  await sendEmailVerification(s, accountId, email).catch((error) =>
    s.log("warn", { event: "verification-mail-failed", accountId, error: String(error) }),
  );
  return { ...(await session.pair()), accountId };
}

function throttleStub(s: Services, key: string) {
  return s.env.LOGIN_THROTTLE.get(s.env.LOGIN_THROTTLE.idFromName(key));
}

export async function login(
  s: Services,
  input: { email: string; password: string },
  client: ClientInfo,
): Promise<TokenPair & { accountId: string }> {
  const email = normaliseEmail(input.email);
  const { maxPerEmail, maxPerClient, windowSeconds } = s.config.loginThrottle;
  const byEmail = throttleStub(s, `email:${email}`);
  const byClient = throttleStub(s, `client:${client.address}`);
  const [emailGate, clientGate] = await Promise.all([
    byEmail.begin(maxPerEmail, windowSeconds),
    byClient.begin(maxPerClient, windowSeconds),
  ]);
  if (!emailGate.allowed || !clientGate.allowed) {
    const wait = Math.max(emailGate.retryAfterSeconds ?? 0, clientGate.retryAfterSeconds ?? 0);
    throw new AppError("rate_limited", `Too many sign-in attempts. Try again in ${wait} seconds.`, {
      headers: { "retry-after": String(wait) },
    });
  }
  const found = await s.db
    .select({ id: accounts.id, hash: credentials.passwordHash })
    .from(accounts)
    .innerJoin(credentials, eq(credentials.accountId, accounts.id))
    .where(eq(accounts.email, email))
    .get();
  // Unknown emails still pay for one hash so timing does not reveal which emails exist.
  const check = await verifyPassword(input.password, found?.hash ?? (await decoyHash()));
  const ok = Boolean(found) && check.ok;
  await Promise.all([
    byEmail.settle(emailGate.attemptId ?? 0, ok, true),
    byClient.settle(clientGate.attemptId ?? 0, ok, false),
  ]);
  if (!found || !ok) throw new AppError("invalid_credentials");
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
  await s.db.batch([...session.statements]);
  return { ...(await session.pair()), accountId: found.id };
}

export const refresh = (s: Services, refreshToken: string) =>
  rotateRefreshToken(s.db, s.config, refreshToken);

export const logout = (s: Services, actor: Actor) => revokeSession(s.db, actor.sessionId, "logout");

export async function sendEmailVerification(s: Services, accountId: string, email: string): Promise<void> {
  const code = await issueCode(s.db, accountId, "verify_email", email);
  await s.mailer.send({
    to: email,
    subject: `Your Marquee verification code: ${code}`,
    text: `Enter ${code} in Marquee to verify your email address. The code expires in 30 minutes.`,
    tag: "verify-email",
  });
}

export async function requestEmailVerification(s: Services, actor: Actor): Promise<void> {
  if (actor.emailVerified) throw new AppError("conflict", "Your email address is already verified");
  await deliver(() => sendEmailVerification(s, actor.accountId, actor.email));
}

export async function verifyEmail(s: Services, actor: Actor, code: string): Promise<void> {
  const target = await consumeTypedCode(s.db, actor.accountId, "verify_email", code);
  // A code mailed to a previous address proves nothing about the current one.
  if (target !== actor.email) throw new AppError("invalid_token", "The code was sent to a different address");
  await s.db
    .update(accounts)
    .set({ emailVerifiedAt: Date.now(), updatedAt: Date.now() })
    .where(eq(accounts.id, actor.accountId));
}

export async function requestPasswordReset(s: Services, rawEmail: string): Promise<void> {
  const email = normaliseEmail(rawEmail);
  const gate = await throttleStub(s, `reset:${email}`).begin(5, 3600);
  // Same answer whether or not the account exists, or the limit was hit: nothing to enumerate.
  if (!gate.allowed) return;
  const account = await s.db
    .select({ id: accounts.id })
    .from(accounts)
    .where(eq(accounts.email, email))
    .get();
  if (!account) return;
  const token = await issueCode(s.db, account.id, "password_reset", email);
  const link = `${s.config.publicUrl}/reset-password?token=${encodeURIComponent(token)}`;
  await deliver(() =>
    s.mailer.send({
      to: email,
      subject: "Reset your Marquee password",
      text: `Someone asked to reset your Marquee password. If it was you, open ${link} within an hour.\nReset token: ${token}`,
      tag: "password-reset",
    }),
  );
}

export async function confirmPasswordReset(s: Services, token: string, password: string): Promise<void> {
  const { accountId, target } = await consumeResetToken(s.db, token);
  const now = Date.now();
  await s.db.batch([
    s.db
      .update(credentials)
      .set({ passwordHash: await hashPassword(password), updatedAt: now })
      .where(eq(credentials.accountId, accountId)),
    // Following the link proves control of the mailbox the link was sent to.
    s.db.update(accounts).set({ emailVerifiedAt: now, updatedAt: now }).where(eq(accounts.id, accountId)),
  ]);
  s.log("info", { event: "password-reset", accountId, target });
  await revokeAllSessions(s.db, accountId, "password_reset");
}

export async function changePassword(
  s: Services,
  actor: Actor,
  current: string,
  next: string,
): Promise<void> {
  await assertPassword(s, actor.accountId, current);
  await s.db
    .update(credentials)
    .set({ passwordHash: await hashPassword(next), updatedAt: Date.now() })
    .where(eq(credentials.accountId, actor.accountId));
  await revokeAllSessions(s.db, actor.accountId, "password_changed", actor.sessionId);
}

/** Re-authentication for destructive actions. */
export async function assertPassword(s: Services, accountId: string, password: string): Promise<void> {
  const row = await s.db.select().from(credentials).where(eq(credentials.accountId, accountId)).get();
  const check = row ? await verifyPassword(password, row.passwordHash) : { ok: false };
  if (!check.ok) throw new AppError("invalid_credentials", "The password is wrong");
}

export async function startPhoneVerification(s: Services, actor: Actor, phone: string): Promise<void> {
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
  const target = await consumeTypedCode(s.db, actor.accountId, "verify_phone", code);
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
