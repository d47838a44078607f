import { describe, expect, it } from "vitest";
import {
  api,
  apiJson,
  codeIn,
  eventually,
  mailbox,
  mailedCode,
  type SeededAccount,
  seedAccount,
  uniqueEmail,
} from "../../test/harness";
import { randomPhone, submitEmailCode, wrongCode } from "./test-utils";

const randomIp = () =>
  `10.${60 + Math.floor(Math.random() * 40)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

/** Asks for a new email-verification code from client address `ip`. */
const requestEmailCode = (token: string, ip: string) =>
  api("/api/v1/auth/verify-email/request", { method: "POST", token, ip });

/** Asks, as `user`, for a code texted to `phone`, from client address `ip`. */
const requestPhoneCode = (user: SeededAccount, phone: string, ip: string) =>
  api("/api/v1/me/phone", {
    method: "POST",
    token: user.accessToken,
    json: { phone, password: user.password },
    ip,
  });

/** Asks for a password-reset link to `email` from client address `ip`. */
const requestPasswordReset = (email: string, ip: string) =>
  api("/api/v1/auth/password-reset/request", { method: "POST", json: { email }, ip });

function expectLimited(res: Response) {
  expect(res.status).toBe(429);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
}

describe("requests for codes are rate limited", () => {
  it("limits email-verification requests per account", async () => {
    const user = await seedAccount({ tag: "vreq" });
    for (let i = 0; i < 5; i++)
      expect((await requestEmailCode(user.accessToken, randomIp())).status).toBe(202);
    expectLimited(await requestEmailCode(user.accessToken, randomIp()));
  });

  it("limits phone codes per destination number and client, across accounts", async () => {
    // Rule changed (docs/security.md finding 4): the hard per-number limit is per (number, client);
    // the number's own budget is far higher (limits.code-owner.test.ts).
    const phone = randomPhone();
    const ip = randomIp();
    const a = await seedAccount({ tag: "smsa" });
    const b = await seedAccount({ tag: "smsb" });
    for (let i = 0; i < 5; i++) expect((await requestPhoneCode(i % 2 ? a : b, phone, ip)).status).toBe(202);
    expectLimited(await requestPhoneCode(a, phone, ip));
  });

  it("limits password-reset requests per destination the same way for registered and unknown emails", async () => {
    // Rule changed (finding 4): five per (address, client), thirty per address from everyone.
    const user = await seedAccount({ tag: "rreq" });
    const nobody = uniqueEmail("nobody");
    for (const email of [user.email, nobody]) {
      const ip = randomIp();
      for (let i = 0; i < 5; i++) expect((await requestPasswordReset(email, ip)).status).toBe(202);
      expectLimited(await requestPasswordReset(email, ip));
      for (let i = 5; i < 30; i++) expect((await requestPasswordReset(email, randomIp())).status).toBe(202);
      expectLimited(await requestPasswordReset(email, randomIp()));
    }
    await eventually(
      async () => (await mailbox(user.email)).email.filter((m) => m.subject.includes("Reset")).length === 30,
    );
    expect((await mailbox(user.email)).email.filter((m) => m.subject.includes("Reset"))).toHaveLength(30);
  });

  it("limits password-reset requests per client address across emails", async () => {
    const ip = randomIp();
    for (let i = 0; i < 20; i++)
      expect((await requestPasswordReset(uniqueEmail(`spray${i}`), ip)).status).toBe(202);
    expectLimited(await requestPasswordReset(uniqueEmail("spray"), ip));
  });
});

describe("wrong guesses are bounded across new codes", () => {
  it("does not give a fresh budget of guesses with every new email code", async () => {
    const user = await seedAccount({ tag: "budget" });
    const guess = (code: string) => submitEmailCode(user.accessToken, code);
    let code = await mailedCode(user.email);
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 5; i++) expect((await guess(wrongCode(code, i))).status).toBe(401);
      await apiJson("/api/v1/auth/verify-email/request", 202, { method: "POST", token: user.accessToken });
      const mails = (await mailbox(user.email)).email;
      code = codeIn(mails[mails.length - 1]?.text ?? "");
    }
    // Ten wrong guesses spent: even the right code now waits.
    expectLimited(await guess(code));
  });

  it("counts parallel wrong guesses on one code: at most five reach the check", async () => {
    const user = await seedAccount({ tag: "parallel" });
    const code = await mailedCode(user.email);
    const statuses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        submitEmailCode(user.accessToken, wrongCode(code, i)).then((r) => r.status),
      ),
    );
    expect(statuses.every((s) => s === 401)).toBe(true);
    // The code is dead after five wrong guesses however they arrived.
    expect((await submitEmailCode(user.accessToken, code)).status).toBe(401);
  });
});
