import { describe, expect, it } from "vitest";
import { api, apiJson, seedAccount, unique, uniqueEmail } from "../../test/harness";

const login = (email: string, password: string, ip: string) =>
  api("/api/v1/auth/login", { method: "POST", json: { email, password }, ip });
const octet = () => Math.floor(Math.random() * 250);
const hex = () => Math.floor(Math.random() * 0xffff).toString(16);

describe("guessing one email from many addresses is bounded", () => {
  it("40 parallel guesses from 40 addresses get only a few password checks, while the owner on a known address signs in", async () => {
    const email = uniqueEmail("swarm");
    const password = "the owner's password";
    await apiJson("/api/v1/auth/signup", 201, {
      method: "POST",
      json: { email, password, displayName: "O" },
    });
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
