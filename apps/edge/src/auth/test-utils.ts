/**
 * Helpers for the auth and accounts tests (run in workerd): signing in, verifying mailed and texted
 * codes, password resets and email-change undo. Reading the dev mailbox is in test/harness/api.ts.
 */
import { api, apiJson, mailedCode, type SeededAccount, textedCode, tokenMailed } from "../../test/harness";

/** A sign-in attempt, from client address `ip` (default: this test file's own address). */
export const login = (email: string, password: string, ip?: string) =>
  api("/api/v1/auth/login", { method: "POST", json: { email, password }, ...(ip ? { ip } : {}) });

/** Signs in (200 expected) and answers the new session's tokens. */
export const signIn = (email: string, password: string) =>
  apiJson<{ accessToken: string; refreshToken: string }>("/api/v1/auth/login", 200, {
    method: "POST",
    json: { email, password },
  });

/** A random IPv4 address in 10.`tag`.0.0/16 (tests keep their clients apart by tag). */
export const someIp = (tag: number) =>
  `10.${tag}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

/** A random number in a range no real subscriber has. */
export const randomPhone = () => `+1415777${String(Math.floor(Math.random() * 10_000)).padStart(4, "0")}`;

/** The `i`-th six-digit code after `code`: a wrong guess that is never the right one. */
export const wrongCode = (code: string, i = 0) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, "0");

/** Submits an email-verification code for the account signed in with `token`. */
export const submitEmailCode = (token: string, code: string) =>
  api("/api/v1/auth/verify-email", { method: "POST", token, json: { code } });

/** Signs a new account up with `password` (no profiles or channel: just the login). */
export const signUp = (email: string, password: string, displayName = "O") =>
  apiJson("/api/v1/auth/signup", 201, { method: "POST", json: { email, password, displayName } });

/** Verifies `address` (the account's own by default) with the newest code mailed there (204 expected). */
export async function verifyMailedCode(user: SeededAccount, address = user.email): Promise<void> {
  await apiJson("/api/v1/auth/verify-email", 204, {
    method: "POST",
    token: user.accessToken,
    json: { code: await mailedCode(address) },
  });
}

/** Verifies the account's signup address with the code mailed at signup; answers the account. */
export async function verified<T extends SeededAccount>(user: T): Promise<T> {
  await verifyMailedCode(user);
  return user;
}

/** Asks for a new phone number (202 expected); a code is texted to it. */
export const addPhone = (token: string, phone: string, password: string) =>
  apiJson("/api/v1/me/phone", 202, { method: "POST", token, json: { phone, password } });

/** Verifies `phone` with the newest code texted to it (204 expected); answers the code. */
export async function verifyTextedCode(token: string, phone: string): Promise<string> {
  const code = await textedCode(phone);
  await apiJson("/api/v1/me/phone/verify", 204, { method: "POST", token, json: { code } });
  return code;
}

/** Asks for a password reset for `email` (202 expected) and answers the token mailed after the response. */
export async function mailedResetToken(email: string): Promise<string> {
  await apiJson("/api/v1/auth/password-reset/request", 202, { method: "POST", json: { email } });
  return tokenMailed(email, "Reset token");
}

/** Sets a new password with a reset token. */
export const confirmPasswordReset = (token: string, password: string) =>
  api("/api/v1/auth/password-reset/confirm", { method: "POST", json: { token, password } });

/**
 * Asks to move the account to `email`, re-authenticating with its own password unless `password`
 * names another (or is null: none sent), from client address `ip` when given.
 */
export const changeEmail = (
  user: SeededAccount,
  email: string,
  { password = user.password, ip }: { password?: string | null; ip?: string } = {},
) =>
  api("/api/v1/me/email", {
    method: "POST",
    token: user.accessToken,
    json: { email, password: password ?? undefined },
    ...(ip ? { ip } : {}),
  });

/** Asks to delete the account, with `password` as re-authentication. */
export const deleteAccount = (user: SeededAccount, password: string) =>
  api("/api/v1/me", { method: "DELETE", token: user.accessToken, json: { password } });

/** Undoes an email change with the token mailed to the old address, setting a new password. */
export const undoEmailChange = (token: string, password: string) =>
  api("/api/v1/auth/email-change/undo", { method: "POST", json: { token, password } });
