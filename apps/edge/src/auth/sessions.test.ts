import { describe, expect, it } from "vitest";
import { api, apiJson, uniqueEmail } from "../../test/harness";

describe("a session's life: signup, login, refresh rotation, reuse detection, logout", () => {
  it("rotates refresh tokens, revokes the family on reuse, and ends on logout", async () => {
    const email = uniqueEmail("life");
    const password = "a very long password";
    const signup = await apiJson<{ accessToken: string; refreshToken: string }>("/api/v1/auth/signup", 201, {
      method: "POST",
      json: { email, password, displayName: "Ada" },
    });
    expect(signup.accessToken.split(".")).toHaveLength(3);

    const login = await apiJson<{ accessToken: string; refreshToken: string }>("/api/v1/auth/login", 200, {
      method: "POST",
      json: { email: email.toUpperCase(), password },
    });
    const me = await apiJson<{ email: string; roles: string[] }>("/api/v1/me", 200, {
      token: login.accessToken,
    });
    expect(me.email).toBe(email);
    expect(me.roles).toEqual(["viewer"]);

    const first = await apiJson<{ accessToken: string; refreshToken: string }>("/api/v1/auth/refresh", 200, {
      method: "POST",
      json: { refreshToken: login.refreshToken },
    });
    expect(first.refreshToken).not.toBe(login.refreshToken);
    await apiJson("/api/v1/me", 200, { token: first.accessToken });

    // The old refresh token is presented again: refused, and the newer one dies with it.
    const reused = await api("/api/v1/auth/refresh", {
      method: "POST",
      json: { refreshToken: login.refreshToken },
    });
    expect(reused.status).toBe(401);
    expect(reused.headers.get("content-type")).toContain("application/problem+json");
    const newer = await api("/api/v1/auth/refresh", {
      method: "POST",
      json: { refreshToken: first.refreshToken },
    });
    expect(newer.status).toBe(401);
    expect((await api("/api/v1/me", { token: first.accessToken })).status).toBe(401);

    // The signup session is a different family and still works; logout ends it.
    await apiJson("/api/v1/me", 200, { token: signup.accessToken });
    expect((await api("/api/v1/auth/logout", { method: "POST", token: signup.accessToken })).status).toBe(
      204,
    );
    const after = await api("/api/v1/me", { token: signup.accessToken });
    expect(after.status).toBe(401);
    expect(
      (await api("/api/v1/auth/refresh", { method: "POST", json: { refreshToken: signup.refreshToken } }))
        .status,
    ).toBe(401);
  });
});
