import { describe, expect, it } from "vitest";
import { api, apiJson, eventually, seedAccount, uniqueEmail } from "../../test/harness";
import { codeIn, mailbox, randomPhone } from "./test-utils";

const randomIp = () =>
  `10.${60 + Math.floor(Math.random() * 40)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

function expectLimited(res: Response) {
  expect(res.status).toBe(429);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
}

describe("requests for codes are rate limited", () => {
  it("limits email-verification requests per account", async () => {
    const user = await seedAccount({ tag: "vreq" });
    for (let i = 0; i < 5; i++) {
      const res = await api("/api/v1/auth/verify-email/request", {
        method: "POST",
        token: user.accessToken,
        ip: randomIp(),
      });
      expect(res.status).toBe(202);
    }
    expectLimited(
      await api("/api/v1/auth/verify-email/request", {
        method: "POST",
        token: user.accessToken,
        ip: randomIp(),
      }),
    );
  });

  it("limits phone codes per destination number and client, across accounts", async () => {
    // Rule changed (docs/security.md finding 4): the hard per-number limit is per (number, client);
    // the number's own budget is far higher (limits.code-owner.test.ts).
    const phone = randomPhone();
    const ip = randomIp();
    const a = await seedAccount({ tag: "smsa" });
    const b = await seedAccount({ tag: "smsb" });
    for (let i = 0; i < 5; i++) {
      const res = await api("/api/v1/me/phone", {
        method: "POST",
        token: i % 2 ? a.accessToken : b.accessToken,
        json: { phone, password: i % 2 ? a.password : b.password },
        ip,
      });
      expect(res.status).toBe(202);
    }
    expectLimited(
      await api("/api/v1/me/phone", {
        method: "POST",
        token: a.accessToken,
        json: { phone, password: a.password },
        ip,
      }),
    );
  });

  it("limits password-reset requests per destination the same way for registered and unknown emails", async () => {
    // Rule changed (finding 4): five per (address, client), thirty per address from everyone.
    const user = await seedAccount({ tag: "rreq" });
    const nobody = uniqueEmail("nobody");
    const reset = (email: string, ip: string) =>
      api("/api/v1/auth/password-reset/request", { method: "POST", json: { email }, ip });
    for (const email of [user.email, nobody]) {
      const ip = randomIp();
      for (let i = 0; i < 5; i++) expect((await reset(email, ip)).status).toBe(202);
      expectLimited(await reset(email, ip));
      for (let i = 5; i < 30; i++) expect((await reset(email, randomIp())).status).toBe(202);
      expectLimited(await reset(email, randomIp()));
    }
    await eventually(
      async () => (await mailbox(user.email)).email.filter((m) => m.subject.includes("Reset")).length === 30,
    );
    expect((await mailbox(user.email)).email.filter((m) => m.subject.includes("Reset"))).toHaveLength(30);
  });

  it("limits password-reset requests per client address across emails", async () => {
    const ip = randomIp();
    for (let i = 0; i < 20; i++) {
      const res = await api("/api/v1/auth/password-reset/request", {
        method: "POST",
        json: { email: uniqueEmail(`spray${i}`) },
        ip,
      });
      expect(res.status).toBe(202);
    }
    expectLimited(
      await api("/api/v1/auth/password-reset/request", {
        method: "POST",
        json: { email: uniqueEmail("spray") },
        ip,
      }),
    );
  });
});

describe("wrong guesses are bounded across new codes", () => {
  it("does not give a fresh budget of guesses with every new email code", async () => {
    const user = await seedAccount({ tag: "budget" });
    const guess = (code: string) =>
      api("/api/v1/auth/verify-email", { method: "POST", token: user.accessToken, json: { code } });
    const wrongFor = (code: string, i: number) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, "0");
    let code = codeIn((await mailbox(user.email)).email[0]?.text ?? "");
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 5; i++) expect((await guess(wrongFor(code, i))).status).toBe(401);
      await apiJson("/api/v1/auth/verify-email/request", 202, { method: "POST", token: user.accessToken });
      const mails = (await mailbox(user.email)).email;
      code = codeIn(mails[mails.length - 1]?.text ?? "");
    }
    // Ten wrong guesses spent: even the right code now waits.
    expectLimited(await guess(code));
  });

  it("counts parallel wrong guesses on one code: at most five reach the check", async () => {
    const user = await seedAccount({ tag: "parallel" });
    const code = codeIn((await mailbox(user.email)).email[0]?.text ?? "");
    const statuses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        api("/api/v1/auth/verify-email", {
          method: "POST",
          token: user.accessToken,
          json: { code: String((Number(code) + 1 + i) % 1_000_000).padStart(6, "0") },
        }).then((r) => r.status),
      ),
    );
    expect(statuses.every((s) => s === 401)).toBe(true);
    // The code is dead after five wrong guesses however they arrived.
    expect(
      (await api("/api/v1/auth/verify-email", { method: "POST", token: user.accessToken, json: { code } }))
        .status,
    ).toBe(401);
  });
});
