/**
 * Helpers for the auth and accounts tests (run in workerd): signing in from a given client address,
 * and reading what the dev mailer and SMS sender delivered.
 */
import { api, apiJson, eventually, type SeededAccount } from "../../test/harness";

/** A sign-in attempt from client address `ip`. */
export const login = (email: string, password: string, ip: string) =>
  api("/api/v1/auth/login", { method: "POST", json: { email, password }, ip });

/** A random IPv4 address in 10.`tag`.0.0/16 (tests keep their clients apart by tag). */
export const someIp = (tag: number) =>
  `10.${tag}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

/** A random number in a range no real subscriber has. */
export const randomPhone = () => `+1415777${String(Math.floor(Math.random() * 10_000)).padStart(4, "0")}`;

export interface Mailbox {
  email: { to: string; subject: string; text: string }[];
  sms: { to: string; body: string }[];
}

/** What the dev mailer and SMS sender delivered to `to`, newest first. */
export const mailbox = (to: string) =>
  apiJson<Mailbox>(`/dev/mailbox?to=${encodeURIComponent(to)}&limit=100`, 200);

/** The six-digit code in a mailed or texted text. */
export const codeIn = (text: string) => /\b(\d{6})\b/.exec(text)?.[1] ?? "";

/** The `label: <token>` token of the newest mail to `to` that has one ("" if none yet). */
export const tokenIn = async (to: string, label: string) => {
  const text = (await mailbox(to)).email.map((m) => m.text).join("\n");
  return new RegExp(`${label}: ([A-Za-z0-9_-]+)`).exec(text)?.[1] ?? "";
};

/** The same, polled: some links are mailed after the response. */
export const tokenMailed = (to: string, label: string) => eventually(() => tokenIn(to, label));

/** Signs a new account up with `password` (no profiles or channel: just the login). */
export const signUp = (email: string, password: string, displayName = "O") =>
  apiJson("/api/v1/auth/signup", 201, { method: "POST", json: { email, password, displayName } });

/** Verifies the account's signup address with the code mailed at signup; answers the account. */
export async function verified<T extends SeededAccount>(user: T): Promise<T> {
  const code = codeIn((await mailbox(user.email)).email[0]?.text ?? "");
  await apiJson("/api/v1/auth/verify-email", 204, {
    method: "POST",
    token: user.accessToken,
    json: { code },
  });
  return user;
}
