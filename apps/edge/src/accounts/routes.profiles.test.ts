import { describe, expect, it } from "vitest";
import { api, apiJson, jwtClaims, seedAccount } from "../../test/harness";

describe("profiles", () => {
  it("allows five profiles per account and refuses the sixth with 409", async () => {
    const user = await seedAccount({ tag: "five" });
    for (let i = 2; i <= 5; i++) {
      await apiJson("/api/v1/me/profiles", 201, {
        method: "POST",
        token: user.accessToken,
        json: { name: `P${i}` },
      });
    }
    const sixth = await api("/api/v1/me/profiles", {
      method: "POST",
      token: user.accessToken,
      json: { name: "P6" },
    });
    expect(sixth.status).toBe(409);
    expect(sixth.headers.get("content-type")).toContain("application/problem+json");
    expect(await sixth.json()).toMatchObject({ code: "limit_reached", status: 409 });
    const { items } = await apiJson<{ items: unknown[] }>("/api/v1/me/profiles", 200, {
      token: user.accessToken,
    });
    expect(items).toHaveLength(5);
  });

  it("never exceeds five even when creates race", async () => {
    const user = await seedAccount({ tag: "race" });
    const statuses = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        api("/api/v1/me/profiles", { method: "POST", token: user.accessToken, json: { name: `R${i}` } }).then(
          (r) => r.status,
        ),
      ),
    );
    expect(statuses.filter((s) => s === 201)).toHaveLength(4);
    expect(statuses.filter((s) => s === 409)).toHaveLength(4);
  });

  it("switching answers a token whose claims name the profile, and refresh keeps it", async () => {
    const user = await seedAccount({ tag: "switch", profiles: [{ name: "Kid", maturity: "kids" }] });
    const kid = user.profiles[1];
    const switched = await apiJson<{ accessToken: string; profile: { id: string; maturity: string } }>(
      `/api/v1/me/profiles/${kid?.id}/switch`,
      200,
      { method: "POST", token: user.accessToken },
    );
    expect(switched.profile).toMatchObject({ id: kid?.id, maturity: "kids" });
    expect(jwtClaims(switched.accessToken).pid).toBe(kid?.id);
    const refreshed = await apiJson<{ accessToken: string; profileId: string }>("/api/v1/auth/refresh", 200, {
      method: "POST",
      json: { refreshToken: user.refreshToken },
    });
    expect(refreshed.profileId).toBe(kid?.id);
    expect(jwtClaims(refreshed.accessToken).pid).toBe(kid?.id);
  });

  it("edits and deletes profiles but always keeps one", async () => {
    const user = await seedAccount({ tag: "edit", profiles: [{ name: "Second" }] });
    const second = user.profiles[1]?.id;
    const edited = await apiJson(`/api/v1/me/profiles/${second}`, 200, {
      method: "PATCH",
      token: user.accessToken,
      json: { name: "Renamed", language: "pt-BR", maturity: "teen", avatarUrl: "https://img.example/a.png" },
    });
    expect(edited).toMatchObject({ name: "Renamed", language: "pt-BR", maturity: "teen" });
    await apiJson(`/api/v1/me/profiles/${second}`, 204, { method: "DELETE", token: user.accessToken });
    const last = await api(`/api/v1/me/profiles/${user.profileId}`, {
      method: "DELETE",
      token: user.accessToken,
    });
    expect(last.status).toBe(409);
  });

  it("remembers each profile's theme, defaulting to system", async () => {
    const user = await seedAccount({ tag: "theme" });
    const created = await apiJson<{ id: string; theme: string }>("/api/v1/me/profiles", 201, {
      method: "POST",
      token: user.accessToken,
      json: { name: "Night owl", theme: "dark" },
    });
    expect(created.theme).toBe("dark");
    const edited = await apiJson(`/api/v1/me/profiles/${user.profileId}`, 200, {
      method: "PATCH",
      token: user.accessToken,
      json: { theme: "light" },
    });
    expect(edited).toMatchObject({ id: user.profileId, theme: "light" });
    const { items } = await apiJson<{ items: { id: string; theme: string }[] }>("/api/v1/me/profiles", 200, {
      token: user.accessToken,
    });
    expect(Object.fromEntries(items.map((p) => [p.id, p.theme]))).toEqual({
      [user.profileId]: "light",
      [created.id]: "dark",
    });
    const switched = await apiJson<{ profile: { theme: string } }>(
      `/api/v1/me/profiles/${created.id}/switch`,
      200,
      {
        method: "POST",
        token: user.accessToken,
      },
    );
    expect(switched.profile.theme).toBe("dark");

    const fresh = await seedAccount({ tag: "themedefault" });
    const defaults = await apiJson<{ items: { theme: string }[] }>("/api/v1/me/profiles", 200, {
      token: fresh.accessToken,
    });
    expect(defaults.items.map((p) => p.theme)).toEqual(["system"]);
    const plain = await apiJson<{ theme: string }>("/api/v1/me/profiles", 201, {
      method: "POST",
      token: fresh.accessToken,
      json: { name: "Plain" },
    });
    expect(plain.theme).toBe("system");
  });

  it("refuses a theme it does not know with a 400 at json.theme", async () => {
    const user = await seedAccount({ tag: "badtheme" });
    for (const [method, path, json] of [
      ["PATCH", `/api/v1/me/profiles/${user.profileId}`, { theme: "sepia" }],
      ["POST", "/api/v1/me/profiles", { name: "Odd", theme: "DARK" }],
    ] as const) {
      const res = await api(path, { method, token: user.accessToken, json });
      expect(res.status).toBe(400);
      const problem = (await res.json()) as { code: string; errors?: { path: string }[] };
      expect(problem.code).toBe("validation_failed");
      expect(problem.errors?.map((e) => e.path)).toContain("json.theme");
    }
  });

  it("does not let one account see, edit, delete or switch to another account's profile", async () => {
    const owner = await seedAccount({ tag: "owner", profiles: [{ name: "Mine" }] });
    const other = await seedAccount({ tag: "other" });
    const target = owner.profiles[1]?.id;
    const attempts = [
      api(`/api/v1/me/profiles/${target}`, {
        method: "PATCH",
        token: other.accessToken,
        json: { name: "Hacked" },
      }),
      api(`/api/v1/me/profiles/${target}`, {
        method: "PATCH",
        token: other.accessToken,
        json: { theme: "dark" },
      }),
      api(`/api/v1/me/profiles/${target}`, { method: "DELETE", token: other.accessToken }),
      api(`/api/v1/me/profiles/${target}/switch`, { method: "POST", token: other.accessToken }),
    ];
    for (const res of await Promise.all(attempts)) expect(res.status).toBe(404);
    const { items } = await apiJson<{ items: { id: string; name: string; theme: string }[] }>(
      "/api/v1/me/profiles",
      200,
      { token: owner.accessToken },
    );
    expect(items.find((p) => p.id === target)).toMatchObject({ name: "Mine", theme: "system" });
  });

  it("a kids profile cannot manage profiles or the account", async () => {
    const user = await seedAccount({ tag: "kidsrule", profiles: [{ name: "Kiddo", maturity: "kids" }] });
    const kidToken = user.profiles[1]?.token;
    expect(
      (await api("/api/v1/me/profiles", { method: "POST", token: kidToken, json: { name: "Sneaky" } }))
        .status,
    ).toBe(403);
    expect(
      (
        await api(`/api/v1/me/profiles/${user.profileId}`, {
          method: "PATCH",
          token: kidToken,
          json: { maturity: "kids" },
        })
      ).status,
    ).toBe(403);
    expect(
      (await api("/api/v1/me", { method: "PATCH", token: kidToken, json: { displayName: "Kid" } })).status,
    ).toBe(403);
    // Switching back to a grown-up profile is allowed.
    await apiJson(`/api/v1/me/profiles/${user.profileId}/switch`, 200, { method: "POST", token: kidToken });
  });
});
