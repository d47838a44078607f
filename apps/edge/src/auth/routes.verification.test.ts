import { describe, expect, it } from "vitest";
import { api, apiJson, codeIn, mailbox, mailedCode, seedAccount } from "../../test/harness";
import {
  addPhone,
  changeEmail,
  confirmPasswordReset,
  login,
  mailedResetToken,
  signIn,
  submitEmailCode,
  verifyTextedCode,
  wrongCode,
} from "./test-utils";

describe("email verification through the development mailer", () => {
  it("mails a six-digit code at signup that verifies the address once", async () => {
    const user = await seedAccount({ tag: "verify" });
    const [mail] = (await mailbox(user.email)).email;
    expect(mail?.subject).toContain("verification code");
    const code = codeIn(mail?.text ?? "");
    const wrong = code === "000000" ? "111111" : "000000";
    expect((await submitEmailCode(user.accessToken, wrong)).status).toBe(401);
    expect((await submitEmailCode(user.accessToken, code)).status).toBe(204);
    expect(
      (await apiJson<{ emailVerified: boolean }>("/api/v1/me", 200, { token: user.accessToken }))
        .emailVerified,
    ).toBe(true);
    expect((await submitEmailCode(user.accessToken, code)).status).toBe(401);
  });

  it("kills a code after five wrong guesses", async () => {
    const user = await seedAccount({ tag: "guess" });
    const code = await mailedCode(user.email);
    for (let i = 0; i < 5; i++) await submitEmailCode(user.accessToken, wrongCode(code, i));
    expect((await submitEmailCode(user.accessToken, code)).status).toBe(401);
  });

  it("does not verify a new email with a code sent to the old one", async () => {
    const user = await seedAccount({ tag: "moved" });
    const oldCode = await mailedCode(user.email);
    const newEmail = `new-${user.email}`;
    expect((await changeEmail(user, newEmail)).status).toBe(200);
    expect((await submitEmailCode(user.accessToken, oldCode)).status).toBe(401);
    const newCode = await mailedCode(newEmail);
    expect((await submitEmailCode(user.accessToken, newCode)).status).toBe(204);
  });
});

describe("password reset", () => {
  it("answers 202 for unknown emails too, and mails nothing", async () => {
    const email = `nobody-${crypto.randomUUID()}@example.test`;
    expect(
      (await api("/api/v1/auth/password-reset/request", { method: "POST", json: { email } })).status,
    ).toBe(202);
    expect((await mailbox(email)).email).toHaveLength(0);
  });

  it("sets a new password with the mailed token, once, and ends every session", async () => {
    const user = await seedAccount({ tag: "reset" });
    // The link is mailed after the response (both answers take as long): wait for it.
    const token = await mailedResetToken(user.email);
    expect(token.length).toBeGreaterThan(30);
    const password = "a brand new password";
    expect((await confirmPasswordReset(token, password)).status).toBe(204);
    expect((await api("/api/v1/me", { token: user.accessToken })).status).toBe(401);
    expect((await confirmPasswordReset(token, "yet another password")).status).toBe(401);
    await signIn(user.email, password);
    expect((await login(user.email, user.password)).status).toBe(401);
  });
});

describe("phone verification through the development SMS sender", () => {
  it("texts a code that verifies the number", async () => {
    const user = await seedAccount({ tag: "phone" });
    const phone = `+1415555${String(Math.floor(Math.random() * 10_000)).padStart(4, "0")}`;
    await addPhone(user.accessToken, phone, user.password);
    await verifyTextedCode(user.accessToken, phone);
    expect(await apiJson("/api/v1/me", 200, { token: user.accessToken })).toMatchObject({
      phone,
      phoneVerified: true,
    });
  });
});
