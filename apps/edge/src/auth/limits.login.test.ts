/**
 * Sign-in limits (limits.ts, auth/service.ts): a hard limit per (email, client) and per client, a
 * slowdown per email that never locks the owner out, and what a client is (IPv4, or an IPv6 /64).
 */
import { describe, expect, it } from "vitest";
import { api, seedAccount, unique, uniqueEmail } from "../../test/harness";
import { login, signUp, someIp } from "./test-utils";

const octet = () => Math.floor(Math.random() * 250);
const hex = () => Math.floor(Math.random() * 0xffff).toString(16);

describe("login throttling", () => {
  it("answers the 11th wrong password for one email from one address with 429 and Retry-After", async () => {
    const email = uniqueEmail("throttle");
    const password = "the real password";
    await signUp(email, password, "T");
    // The hard limit is per (email, client address): a stranger's guesses elsewhere only slow the
    // email down (below). This address has its own budget.
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
    await signUp(email, "burst password!", "B");
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
    await signUp(email, password, "S");
    for (let i = 0; i < 35; i++) expect((await login(email, password, ip)).status).toBe(200);
  });
});

describe("a stranger cannot lock the owner out", () => {
  it("ten wrong passwords from one address do not stop the owner signing in from another", async () => {
    const email = uniqueEmail("lockout");
    const password = "the owner's password";
    await signUp(email, password, "O");
    const attacker = someIp(91);
    for (let i = 0; i < 10; i++) expect((await login(email, `wrong-${i}`, attacker)).status).toBe(401);
    expect((await login(email, "wrong-again", attacker)).status).toBe(429);
    expect((await login(email, password, someIp(92))).status).toBe(200);
  });

  it("guesses spread over many addresses slow the email down but never lock it", async () => {
    const email = uniqueEmail("spread");
    const password = "the owner's password";
    await signUp(email, password, "O");
    for (let i = 0; i < 11; i++) expect((await login(email, `wrong-${i}`, someIp(93))).status).toBe(401);
    const started = Date.now();
    const slowed = await login(email, "still wrong", someIp(94));
    expect(slowed.status).toBe(401);
    // Past ten failures each attempt on the email waits before its password is checked.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect((await login(email, password, someIp(95))).status).toBe(200);
  });
});

describe("guessing one email from many addresses is bounded", () => {
  it("40 parallel guesses from 40 addresses get only a few password checks, while the owner on a known address signs in", async () => {
    const email = uniqueEmail("swarm");
    const password = "the owner's password";
    await signUp(email, password, "O");
    const home = `10.120.${octet()}.${octet()}`;
    // The owner has signed in from home before: that (email, address) pair is known.
    expect((await login(email, password, home)).status).toBe(200);
    const tag = octet();
    const guesses = Promise.all(
      Array.from({ length: 40 }, (_, i) => login(email, `guess-${i}`, `10.121.${tag}.${i + 1}`)),
    );
    await new Promise((r) => setTimeout(r, 300));
    const owner = await login(email, password, home);
    const answers = await Promise.all((await guesses).map(async (r) => ({ status: r.status, r })));
    expect(owner.status).toBe(200);
    const checked = answers.filter((a) => a.status !== 429);
    // Ten under the soft limit, then one per step up to the 5 s cap: never 40.
    expect(checked.length).toBeLessThanOrEqual(16);
    expect(checked.every((a) => a.status === 401)).toBe(true);
    const refused = answers.find((a) => a.status === 429);
    expect(Number(refused?.r.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("a client is its IPv4 address or its IPv6 /64", () => {
  it("counts addresses in one IPv6 /64 as one client for the login limit", async () => {
    const prefix = `2001:db8:${hex()}:${hex()}`;
    const forms = (i: number) =>
      [
        `${prefix}::${(i + 1).toString(16)}`,
        `${prefix.toUpperCase()}:0:0:0:${(i + 1).toString(16)}`,
        `${prefix}:${hex()}:${hex()}:${hex()}:${hex()}`,
      ][i % 3] ?? "";
    for (let i = 0; i < 30; i++)
      expect((await login(uniqueEmail(`v6${i}`), "nope-nope", forms(i))).status).toBe(401);
    expect((await login(uniqueEmail("v6x"), "nope-nope", `${prefix}:ffff::1`)).status).toBe(429);
    // The next /64 is another client.
    expect((await login(uniqueEmail("v6y"), "nope-nope", `2001:db8:${hex()}:${hex()}::1`)).status).toBe(401);
  });

  it("counts an IPv4-mapped IPv6 address as its IPv4 address (signup probing limit)", async () => {
    const v4 = `10.122.${octet()}.${octet()}`;
    const registered = await seedAccount({ tag: unique("mapped") });
    const signup = (ip: string) =>
      api("/api/v1/auth/signup", {
        method: "POST",
        json: { email: registered.email, password: "probe password!", displayName: "P" },
        ip,
      });
    for (let i = 0; i < 5; i++) expect((await signup(i % 2 ? v4 : `::ffff:${v4}`)).status).toBe(409);
    expect((await signup(`::FFFF:${v4}`)).status).toBe(429);
    expect((await signup(v4)).status).toBe(429);
  });
});
