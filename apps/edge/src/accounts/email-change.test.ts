import { describe, expect, it } from "vitest";
import {
  api,
  apiJson,
  mailbox,
  type SeededAccount,
  seedAccount,
  tokenIn,
  uniqueEmail,
} from "../../test/harness";
import {
  changeEmail,
  confirmPasswordReset,
  deleteAccount,
  login,
  mailedResetToken,
  signIn,
  undoEmailChange,
  verified,
  verifyMailedCode,
} from "../auth/test-utils";

/** Asks to change the phone number, with `password` as re-authentication when given. */
const changePhone = (user: SeededAccount, phone: string, password?: string) =>
  api("/api/v1/me/phone", { method: "POST", token: user.accessToken, json: { phone, password } });

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
    expect((await changeEmail(user, uniqueEmail("x"), { password: "not the password" })).status).toBe(401);
    expect((await changeEmail(user, uniqueEmail("x"), { password: null })).status).toBe(400);
    expect(await emailOf(user)).toBe(user.email);
  });

  it("with the password: the new email is unverified, other sessions end, the old address gets a notice", async () => {
    const user = await verified(await seedAccount({ tag: "mailok" }));
    const other = await signIn(user.email, user.password);
    const next = uniqueEmail("moved");
    const res = await changeEmail(user, next);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ email: next, emailVerified: false });
    expect((await api("/api/v1/me", { token: other.accessToken })).status).toBe(401);
    await apiJson("/api/v1/me", 200, { token: user.accessToken });
    const notice = (await mailbox(user.email)).email.find((m) => m.text.includes(next));
    expect(notice?.text).toMatch(/Undo token: /);
    await verifyMailedCode(user, next);
  });

  it("undo restores the old address, ends every session, sets a new password, and works once", async () => {
    const user = await verified(await seedAccount({ tag: "undo" }));
    const attacker = uniqueEmail("thief");
    expect((await changeEmail(user, attacker)).status).toBe(200);
    // The thief asks for a reset link to their own address before the owner reacts.
    const resetToken = await mailedResetToken(attacker);
    expect(resetToken.length).toBeGreaterThan(30);

    const token = await tokenIn(user.email, "Undo token");
    expect(token.length).toBeGreaterThan(30);
    const password = "the owner's fresh password";
    expect((await undoEmailChange(token, password)).status).toBe(204);

    expect((await api("/api/v1/me", { token: user.accessToken })).status).toBe(401);
    expect((await login(attacker, user.password)).status).toBe(401);
    expect((await login(user.email, user.password)).status).toBe(401);
    const back = await signIn(user.email, password);
    expect(await apiJson("/api/v1/me", 200, { token: back.accessToken })).toMatchObject({
      email: user.email,
      emailVerified: true,
    });
    // The thief's reset link went to an address the account no longer has.
    expect((await confirmPasswordReset(resetToken, "thief's new password")).status).toBe(401);
    expect((await undoEmailChange(token, "another fresh password")).status).toBe(401);
  });

  it("the owner's undo voids the undo links a thief collected by changing the email again", async () => {
    const user = await verified(await seedAccount({ tag: "undochain" }));
    const first = uniqueEmail("thiefa");
    const second = uniqueEmail("thiefb");
    expect((await changeEmail(user, first)).status).toBe(200);
    // The thief verifies their address, so the next change mails it an undo link of its own.
    await verifyMailedCode(user, first);
    expect((await changeEmail(user, second)).status).toBe(200);
    const thiefToken = await tokenIn(first, "Undo token");
    expect(thiefToken.length).toBeGreaterThan(30);
    const ownerToken = await tokenIn(user.email, "Undo token");
    expect((await undoEmailChange(ownerToken, "owner password again")).status).toBe(204);
    expect((await undoEmailChange(thiefToken, "thief password again")).status).toBe(401);
    await signIn(user.email, "owner password again");
  });

  it("a thief who undoes first cannot void the owner's earlier undo link", async () => {
    const user = await verified(await seedAccount({ tag: "undorace" }));
    const first = uniqueEmail("thiefc");
    expect((await changeEmail(user, first)).status).toBe(200);
    await verifyMailedCode(user, first);
    expect((await changeEmail(user, uniqueEmail("thiefd"))).status).toBe(200);
    const thiefUndo = await undoEmailChange(await tokenIn(first, "Undo token"), "thief takes it back");
    expect(thiefUndo.status).toBe(204);
    const ownerUndo = await undoEmailChange(await tokenIn(user.email, "Undo token"), "owner takes it back");
    expect(ownerUndo.status).toBe(204);
    expect((await login(first, "thief takes it back")).status).toBe(401);
    await signIn(user.email, "owner takes it back");
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
    expect((await changePhone(user, phone)).status).toBe(400);
    expect((await changePhone(user, phone, "wrong password")).status).toBe(401);
    expect(
      (await apiJson<{ phone: string | null }>("/api/v1/me", 200, { token: user.accessToken })).phone,
    ).toBe(null);
    expect((await changePhone(user, phone, user.password)).status).toBe(202);
  });
});

describe("re-authentication is throttled per session", () => {
  it("answers 429 after ten wrong passwords from one stolen token", async () => {
    const user = await seedAccount({ tag: "reauth" });
    for (let i = 0; i < 10; i++) expect((await deleteAccount(user, `g-${i}`)).status).toBe(401);
    const res = await deleteAccount(user, user.password);
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
