import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, apiJson, eventually, seedAccount } from "../../test/harness";

describe("the account (/me)", () => {
  it("reads and updates the signed-in account", async () => {
    const user = await seedAccount({ tag: "me" });
    expect(await apiJson("/api/v1/me", 200, { token: user.accessToken })).toMatchObject({
      id: user.accountId,
      email: user.email,
      roles: ["viewer"],
      plan: "free",
      channelId: null,
    });
    const patched = await apiJson("/api/v1/me", 200, {
      method: "PATCH",
      token: user.accessToken,
      json: { displayName: "New Name" },
    });
    expect(patched).toMatchObject({ displayName: "New Name" });
  });

  it("refuses an email another account uses", async () => {
    const a = await seedAccount({ tag: "emaila" });
    const b = await seedAccount({ tag: "emailb" });
    const res = await api("/api/v1/me/email", {
      method: "POST",
      token: b.accessToken,
      json: { email: a.email, password: b.password },
    });
    expect(res.status).toBe(409);
  });

  it("changing the password ends other sessions but keeps this one", async () => {
    const user = await seedAccount({ tag: "chpw" });
    const other = await apiJson<{ accessToken: string }>("/api/v1/auth/login", 200, {
      method: "POST",
      json: { email: user.email, password: user.password },
    });
    await apiJson("/api/v1/me/password", 204, {
      method: "POST",
      token: user.accessToken,
      json: { currentPassword: user.password, newPassword: "an updated password" },
    });
    expect((await api("/api/v1/me", { token: other.accessToken })).status).toBe(401);
    await apiJson("/api/v1/me", 200, { token: user.accessToken });
  });

  it("DELETE needs the password, then erases everything and emits account.deleted", async () => {
    const user = await seedAccount({ tag: "erase", channel: true, profiles: [{ name: "Two" }] });
    expect(
      (
        await api("/api/v1/me", {
          method: "DELETE",
          token: user.accessToken,
          json: { password: "wrong password" },
        })
      ).status,
    ).toBe(401);
    await apiJson("/api/v1/me", 204, {
      method: "DELETE",
      token: user.accessToken,
      json: { password: user.password },
    });

    expect((await api("/api/v1/me", { token: user.accessToken })).status).toBe(401);
    expect(
      (
        await api("/api/v1/auth/login", {
          method: "POST",
          json: { email: user.email, password: user.password },
        })
      ).status,
    ).toBe(401);
    for (const table of ["accounts", "credentials", "profiles", "sessions", "channels", "one_time_codes"]) {
      const column = table === "accounts" ? "id" : "account_id";
      const row = await env.DB.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE ${column} = ?`)
        .bind(user.accountId)
        .first<{ n: number }>();
      expect(row?.n, table).toBe(0);
    }
    // The queue consumer records each handled event; account.deleted arrives for this account.
    const handled = await eventually(() =>
      env.DB.prepare("SELECT type FROM processed_events WHERE subject = ?")
        .bind(user.accountId)
        .first<{ type: string }>(),
    );
    expect(handled.type).toBe("account.deleted");
  });
});
