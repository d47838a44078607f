import { describe, expect, it } from "vitest";
import { api, apiJson, uniqueEmail } from "../../test/harness";

const login = (email: string, password: string, ip: string) =>
  api("/api/v1/auth/login", { method: "POST", json: { email, password }, ip });
const someIp = (tag: number) =>
  `10.${tag}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;

describe("a stranger cannot lock the owner out", () => {
  it("ten wrong passwords from one address do not stop the owner signing in from another", async () => {
    const email = uniqueEmail("lockout");
    const password = "the owner's password";
    await apiJson("/api/v1/auth/signup", 201, {
      method: "POST",
      json: { email, password, displayName: "O" },
    });
    const attacker = someIp(91);
    for (let i = 0; i < 10; i++) expect((await login(email, `wrong-${i}`, attacker)).status).toBe(401);
    expect((await login(email, "wrong-again", attacker)).status).toBe(429);
    expect((await login(email, password, someIp(92))).status).toBe(200);
  });

  it("guesses spread over many addresses slow the email down but never lock it", async () => {
    const email = uniqueEmail("spread");
    const password = "the owner's password";
    await apiJson("/api/v1/auth/signup", 201, {
      method: "POST",
      json: { email, password, displayName: "O" },
    });
    for (let i = 0; i < 11; i++) expect((await login(email, `wrong-${i}`, someIp(93))).status).toBe(401);
    const started = Date.now();
    const slowed = await login(email, "still wrong", someIp(94));
    expect(slowed.status).toBe(401);
    // Past ten failures each attempt on the email waits before its password is checked.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect((await login(email, password, someIp(95))).status).toBe(200);
  });
});
