import { describe, expect, it } from "vitest";
import { api, apiJson, eventually, type SeededAccount, seedAccount, uniqueEmail } from "../../test/harness";
import { codeIn, mailbox, tokenIn, verified } from "../auth/test-utils";

const loginAs = (email: string, password: string) =>
  api("/api/v1/auth/login", { method: "POST", json: { email, password } });
const secondSession = (user: SeededAccount) =>
  apiJson<{ accessToken: string }>("/api/v1/auth/login", 200, {
    method: "POST",
    json: { email: user.email, password: user.password },
  });
const changeEmail = (
  user: SeededAccount,
  email: string,
  password = user.password,
  token = user.accessToken,
) => api("/api/v1/me/email", { method: "POST", token, json: { email, password } });

/** The account's current email, as GET /me reports it. */
const emailOf = async (user: SeededAccount) =>
  (await apiJson<{ email: string }>("/api/v1/me", 200, { token: user.accessToken })).email;

describe("changing the email needs the password, and the old address can undo it", () => {
  it("no longer takes an email through PATCH /me with only a token", async () => {
    const user = await seedAccount({ tag: "patchmail" });
    const res = await api("/api/v1/me", {
      method: "PATCH",
      token: user.accessToken,
      json: { email: uniqueEmail("stolen") },
    });
    expect(res.status).toBe(400);
    expect(await emailOf(user)).toBe(user.email);
  });

  it("refuses a wrong or missing password", async () => {
    const user = await seedAccount({ tag: "mailpw" });
    expect((await changeEmail(user, uniqueEmail("x"), "not the password")).status).toBe(401);
    const missing = await api("/api/v1/me/email", {
      method: "POST",
      token: user.accessToken,
      json: { email: uniqueEmail("x") },
    });
    expect(missing.status).toBe(400);
    expect(await emailOf(user)).toBe(user.email);
  });

  it("with the password: the new email is unverified, other sessions end, the old address gets a notice", async () => {
    const user = await verified(await seedAccount({ tag: "mailok" }));
    const other = await secondSession(user);
    const next = uniqueEmail("moved");
    const res = await changeEmail(user, next);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ email: next, emailVerified: false });
    expect((await api("/api/v1/me", { token: other.accessToken })).status).toBe(401);
    await apiJson("/api/v1/me", 200, { token: user.accessToken });
    const notice = (await mailbox(user.email)).email.find((m) => m.text.includes(next));
    expect(notice?.text).toMatch(/Undo token: /);
    const code = codeIn((await mailbox(next)).email[0]?.text ?? "");
    await apiJson("/api/v1/auth/verify-email", 204, {
      method: "POST",
      token: user.accessToken,
      json: { code },
    });
  });

  it("undo restores the old address, ends every session, sets a new password, and works once", async () => {
    const user = await verified(await seedAccount({ tag: "undo" }));
    const attacker = uniqueEmail("thief");
    expect((await changeEmail(user, attacker)).status).toBe(200);
    // The thief asks for a reset link to their own address before the owner reacts.
    await apiJson("/api/v1/auth/password-reset/request", 202, { method: "POST", json: { email: attacker } });
    const resetMail = await eventually(async () =>
      (await mailbox(attacker)).email.find((m) => m.subject.includes("Reset")),
    );
    const resetToken = /Reset token: ([A-Za-z0-9_-]+)/.exec(resetMail?.text ?? "")?.[1] ?? "";
    expect(resetToken.length).toBeGreaterThan(30);

    const token = await tokenIn(user.email, "Undo token");
    expect(token.length).toBeGreaterThan(30);
    const password = "the owner's fresh password";
    await apiJson("/api/v1/auth/email-change/undo", 204, { method: "POST", json: { token, password } });

    expect((await api("/api/v1/me", { token: user.accessToken })).status).toBe(401);
    expect((await loginAs(attacker, user.password)).status).toBe(401);
    expect((await loginAs(user.email, user.password)).status).toBe(401);
    const back = await apiJson<{ accessToken: string }>("/api/v1/auth/login", 200, {
      method: "POST",
      json: { email: user.email, password },
    });
    expect(await apiJson("/api/v1/me", 200, { token: back.accessToken })).toMatchObject({
      email: user.email,
      emailVerified: true,
    });
    // The thief's reset link went to an address the account no longer has.
    expect(
      (
        await api("/api/v1/auth/password-reset/confirm", {
          method: "POST",
          json: { token: resetToken, password: "thief's new password" },
        })
      ).status,
    ).toBe(401);
    expect(
      (
        await api("/api/v1/auth/email-change/undo", {
          method: "POST",
          json: { token, password: "another fresh password" },
        })
      ).status,
    ).toBe(401);
  });

  it("the owner's undo voids the undo links a thief collected by changing the email again", async () => {
    const user = await verified(await seedAccount({ tag: "undochain" }));
    const first = uniqueEmail("thiefa");
    const second = uniqueEmail("thiefb");
    expect((await changeEmail(user, first)).status).toBe(200);
    // The thief verifies their address, so the next change mails it an undo link of its own.
    const code = codeIn((await mailbox(first)).email[0]?.text ?? "");
    await apiJson("/api/v1/auth/verify-email", 204, {
      method: "POST",
      token: user.accessToken,
      json: { code },
    });
    expect((await changeEmail(user, second)).status).toBe(200);
    const thiefToken = await tokenIn(first, "Undo token");
    expect(thiefToken.length).toBeGreaterThan(30);
    const ownerToken = await tokenIn(user.email, "Undo token");
    await apiJson("/api/v1/auth/email-change/undo", 204, {
      method: "POST",
      json: { token: ownerToken, password: "owner password again" },
    });
    expect(
      (
        await api("/api/v1/auth/email-change/undo", {
          method: "POST",
          json: { token: thiefToken, password: "thief password again" },
        })
      ).status,
    ).toBe(401);
    await apiJson("/api/v1/auth/login", 200, {
      method: "POST",
      json: { email: user.email, password: "owner password again" },
    });
  });

  it("a thief who undoes first cannot void the owner's earlier undo link", async () => {
    const user = await verified(await seedAccount({ tag: "undorace" }));
    const first = uniqueEmail("thiefc");
    expect((await changeEmail(user, first)).status).toBe(200);
    const code = codeIn((await mailbox(first)).email[0]?.text ?? "");
    await apiJson("/api/v1/auth/verify-email", 204, {
      method: "POST",
      token: user.accessToken,
      json: { code },
    });
    expect((await changeEmail(user, uniqueEmail("thiefd"))).status).toBe(200);
    await apiJson("/api/v1/auth/email-change/undo", 204, {
      method: "POST",
      json: { token: await tokenIn(first, "Undo token"), password: "thief takes it back" },
    });
    await apiJson("/api/v1/auth/email-change/undo", 204, {
      method: "POST",
      json: { token: await tokenIn(user.email, "Undo token"), password: "owner takes it back" },
    });
    expect((await loginAs(first, "thief takes it back")).status).toBe(401);
    await apiJson("/api/v1/auth/login", 200, {
      method: "POST",
      json: { email: user.email, password: "owner takes it back" },
    });
  });

  it("gives no undo link to a previous address that was never verified", async () => {
    const user = await seedAccount({ tag: "unverified" });
    const next = uniqueEmail("fixedtypo");
    expect((await changeEmail(user, next)).status).toBe(200);
    const notice = (await mailbox(user.email)).email.find((m) => m.text.includes(next));
    expect(notice?.text).toContain("never verified");
    expect(notice?.text).not.toMatch(/Undo token|undo-email-change/);
  });

  it("keeps the old address for its owner while the undo link is live", async () => {
    const user = await verified(await seedAccount({ tag: "reserve" }));
    expect((await changeEmail(user, uniqueEmail("away"))).status).toBe(200);
    const squat = await api("/api/v1/auth/signup", {
      method: "POST",
      json: { email: user.email, password: "squatter password", displayName: "Squatter" },
      ip: `10.77.${Math.floor(Math.random() * 250)}.3`,
    });
    expect(squat.status).toBe(409);
  });
});

describe("changing the phone needs the password", () => {
  it("refuses a missing or wrong password and accepts the right one", async () => {
    const user = await seedAccount({ tag: "phonepw" });
    const phone = `+1415666${String(Math.floor(Math.random() * 10_000)).padStart(4, "0")}`;
    const without = await api("/api/v1/me/phone", {
      method: "POST",
      token: user.accessToken,
      json: { phone },
    });
    expect(without.status).toBe(400);
    const wrong = await api("/api/v1/me/phone", {
      method: "POST",
      token: user.accessToken,
      json: { phone, password: "wrong password" },
    });
    expect(wrong.status).toBe(401);
    expect(
      (await apiJson<{ phone: string | null }>("/api/v1/me", 200, { token: user.accessToken })).phone,
    ).toBe(null);
    await apiJson("/api/v1/me/phone", 202, {
      method: "POST",
      token: user.accessToken,
      json: { phone, password: user.password },
    });
  });
});

describe("re-authentication is throttled per session", () => {
  it("answers 429 after ten wrong passwords from one stolen token", async () => {
    const user = await seedAccount({ tag: "reauth" });
    for (let i = 0; i < 10; i++) {
      const res = await api("/api/v1/me", {
        method: "DELETE",
        token: user.accessToken,
        json: { password: `g-${i}` },
      });
      expect(res.status).toBe(401);
    }
    const res = await api("/api/v1/me", {
      method: "DELETE",
      token: user.accessToken,
      json: { password: user.password },
    });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
