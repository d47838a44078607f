import { describe, expect, it } from "vitest";
import { api, apiJson, unique, uniqueEmail } from "../../test/harness";

const login = (email: string, password: string, ip: string) =>
  api("/api/v1/auth/login", { method: "POST", json: { email, password }, ip });

describe("login throttling", () => {
  it("answers the 11th wrong password for one email from one address with 429 and Retry-After", async () => {
    const email = uniqueEmail("throttle");
    const password = "the real password";
    await apiJson("/api/v1/auth/signup", 201, {
      method: "POST",
      json: { email, password, displayName: "T" },
    });
    // The hard limit is per (email, client address): a stranger's guesses elsewhere only slow the
    // email down (lockout.test.ts). This address has its own budget.
    const ip = `10.1.${Math.floor(Math.random() * 250)}.1`;
    for (let i = 0; i < 10; i++) {
      const res = await login(email, `wrong-${i}`, ip);
      expect(res.status).toBe(401);
    }
    const eleventh = await login(email, "wrong-again", ip);
    expect(eleventh.status).toBe(429);
    expect(eleventh.headers.get("content-type")).toContain("application/problem+json");
    const retryAfter = Number(eleventh.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(300);
    // Even the right password waits: the point is to stop guessing, not just wrong guesses.
    expect((await login(email, password, ip)).status).toBe(429);
  });

  it("counts parallel guesses too: 20 at once from one address let at most 10 through to the password check", async () => {
    const email = uniqueEmail("burst");
    await apiJson("/api/v1/auth/signup", 201, {
      method: "POST",
      json: { email, password: "burst password!", displayName: "B" },
    });
    const ip = `10.2.${Math.floor(Math.random() * 250)}.1`;
    const statuses = await Promise.all(
      Array.from({ length: 20 }, (_, i) => login(email, `guess-${i}`, ip).then((r) => r.status)),
    );
    expect(statuses.filter((s) => s === 401)).toHaveLength(10);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
  });

  it("limits one client address across many emails", async () => {
    const ip = `10.3.${Math.floor(Math.random() * 250)}.7`;
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++)
      statuses.push((await login(uniqueEmail(`spray${i}`), "nope-nope", ip)).status);
    expect(statuses.slice(0, 30).every((s) => s === 401)).toBe(true);
    expect(statuses[30]).toBe(429);
  });

  it("forgives a client's successful logins, so a shared address is not locked out by its own users", async () => {
    const ip = `10.4.${Math.floor(Math.random() * 250)}.9`;
    const email = uniqueEmail(unique("shared"));
    const password = "shared office password";
    await apiJson("/api/v1/auth/signup", 201, {
      method: "POST",
      json: { email, password, displayName: "S" },
    });
    for (let i = 0; i < 35; i++) expect((await login(email, password, ip)).status).toBe(200);
  });
});
