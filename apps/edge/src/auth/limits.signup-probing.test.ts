import { describe, expect, it } from "vitest";
import { api, seedAccount, uniqueEmail } from "../../test/harness";

const signup = (email: string, ip: string) =>
  api("/api/v1/auth/signup", {
    method: "POST",
    json: { email, password: "probe password!", displayName: "P" },
    ip,
  });

describe("signup does not undo the login decoy at scale", () => {
  it("answers 429 to every signup from an address after five that hit registered emails", async () => {
    const ip = `10.88.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    const registered = await seedAccount({ tag: "probed" });
    for (let i = 0; i < 5; i++) expect((await signup(registered.email, ip)).status).toBe(409);
    const limited = await signup(registered.email, ip);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    // A new email gets the same answer from that address, so the 429 reveals nothing either.
    expect((await signup(uniqueEmail("fresh"), ip)).status).toBe(429);
  });

  it("does not count signups that create an account", async () => {
    const ip = `10.89.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    for (let i = 0; i < 8; i++) expect((await signup(uniqueEmail(`ok${i}`), ip)).status).toBe(201);
  });
});
