import { describe, expect, it } from "vitest";
import { api, apiJson, eventually, seedAccount } from "../../test/harness";
import { codeIn, mailbox } from "./test-utils";

describe("email verification through the development mailer", () => {
  it("mails a six-digit code at signup that verifies the address once", async () => {
    const user = await seedAccount({ tag: "verify" });
    const [mail] = (await mailbox(user.email)).email;
    expect(mail?.subject).toContain("verification code");
    const code = codeIn(mail?.text ?? "");
    const wrong = code === "000000" ? "111111" : "000000";
    expect(
      (
        await api("/api/v1/auth/verify-email", {
          method: "POST",
          token: user.accessToken,
          json: { code: wrong },
        })
      ).status,
    ).toBe(401);
    expect(
      (await api("/api/v1/auth/verify-email", { method: "POST", token: user.accessToken, json: { code } }))
        .status,
    ).toBe(204);
    expect(
      (await apiJson<{ emailVerified: boolean }>("/api/v1/me", 200, { token: user.accessToken }))
        .emailVerified,
    ).toBe(true);
    expect(
      (await api("/api/v1/auth/verify-email", { method: "POST", token: user.accessToken, json: { code } }))
        .status,
    ).toBe(401);
  });

  it("kills a code after five wrong guesses", async () => {
    const user = await seedAccount({ tag: "guess" });
    const code = codeIn((await mailbox(user.email)).email[0]?.text ?? "");
    for (let i = 0; i < 5; i++) {
      const guess = String((Number(code) + 1 + i) % 1_000_000).padStart(6, "0");
      await api("/api/v1/auth/verify-email", {
        method: "POST",
        token: user.accessToken,
        json: { code: guess },
      });
    }
    expect(
      (await api("/api/v1/auth/verify-email", { method: "POST", token: user.accessToken, json: { code } }))
        .status,
    ).toBe(401);
  });

  it("does not verify a new email with a code sent to the old one", async () => {
    const user = await seedAccount({ tag: "moved" });
    const oldCode = codeIn((await mailbox(user.email)).email[0]?.text ?? "");
    const newEmail = `new-${user.email}`;
    await apiJson("/api/v1/me/email", 200, {
      method: "POST",
      token: user.accessToken,
      json: { email: newEmail, password: user.password },
    });
    const res = await api("/api/v1/auth/verify-email", {
      method: "POST",
      token: user.accessToken,
      json: { code: oldCode },
    });
    expect(res.status).toBe(401);
    const newCode = codeIn((await mailbox(newEmail)).email[0]?.text ?? "");
    expect(
      (
        await api("/api/v1/auth/verify-email", {
          method: "POST",
          token: user.accessToken,
          json: { code: newCode },
        })
      ).status,
    ).toBe(204);
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
    await apiJson("/api/v1/auth/password-reset/request", 202, {
      method: "POST",
      json: { email: user.email },
    });
    // The link is mailed after the response (both answers take as long): wait for it.
    const mail = await eventually(async () =>
      (await mailbox(user.email)).email.find((m) => m.subject.includes("Reset")),
    );
    const token = /Reset token: ([A-Za-z0-9_-]+)/.exec(mail?.text ?? "")?.[1] ?? "";
    expect(token.length).toBeGreaterThan(30);
    const password = "a brand new password";
    await apiJson("/api/v1/auth/password-reset/confirm", 204, { method: "POST", json: { token, password } });
    expect((await api("/api/v1/me", { token: user.accessToken })).status).toBe(401);
    expect(
      (
        await api("/api/v1/auth/password-reset/confirm", {
          method: "POST",
          json: { token, password: "yet another password" },
        })
      ).status,
    ).toBe(401);
    await apiJson("/api/v1/auth/login", 200, { method: "POST", json: { email: user.email, password } });
    expect(
      (
        await api("/api/v1/auth/login", {
          method: "POST",
          json: { email: user.email, password: user.password },
        })
      ).status,
    ).toBe(401);
  });
});

describe("phone verification through the development SMS sender", () => {
  it("texts a code that verifies the number", async () => {
    const user = await seedAccount({ tag: "phone" });
    const phone = `+1415555${String(Math.floor(Math.random() * 10_000)).padStart(4, "0")}`;
    await apiJson("/api/v1/me/phone", 202, {
      method: "POST",
      token: user.accessToken,
      json: { phone, password: user.password },
    });
    const sms = (await mailbox(phone)).sms[0];
    const code = codeIn(sms?.body ?? "");
    await apiJson("/api/v1/me/phone/verify", 204, {
      method: "POST",
      token: user.accessToken,
      json: { code },
    });
    expect(await apiJson("/api/v1/me", 200, { token: user.accessToken })).toMatchObject({
      phone,
      phoneVerified: true,
    });
  });
});
