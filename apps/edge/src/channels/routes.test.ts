import { describe, expect, it } from "vitest";
import { api, apiJson, seedAccount, unique } from "../../test/harness";

describe("channels and roles", () => {
  it("creating a channel makes the account a creator", async () => {
    const user = await seedAccount({ tag: "becreator" });
    const handle = unique("h").toLowerCase().slice(0, 20);
    const channel = await apiJson<{ id: string; handle: string }>("/api/v1/me/channel", 201, {
      method: "POST",
      token: user.accessToken,
      json: { handle: handle.toUpperCase(), name: "My Films", description: "Short films" },
    });
    expect(channel.handle).toBe(handle);
    const me = await apiJson<{ roles: string[]; channelId: string }>("/api/v1/me", 200, {
      token: user.accessToken,
    });
    expect(me.roles).toEqual(["viewer", "creator"]);
    expect(me.channelId).toBe(channel.id);
    expect(await apiJson(`/api/v1/channels/@${handle}`, 200)).toMatchObject({
      id: channel.id,
      name: "My Films",
    });
    // One channel per account; handles are unique.
    expect(
      (
        await api("/api/v1/me/channel", {
          method: "POST",
          token: user.accessToken,
          json: { handle: unique("x").slice(0, 20), name: "Again" },
        })
      ).status,
    ).toBe(409);
    const other = await seedAccount({ tag: "samehandle" });
    expect(
      (
        await api("/api/v1/me/channel", {
          method: "POST",
          token: other.accessToken,
          json: { handle, name: "Copy" },
        })
      ).status,
    ).toBe(409);
  });

  it("only the owner or an admin edits a channel", async () => {
    const owner = await seedAccount({ tag: "chowner", channel: true });
    const stranger = await seedAccount({ tag: "chstranger", channel: true });
    const admin = await seedAccount({ tag: "chadmin", roles: ["admin"] });
    const path = `/api/v1/channels/${owner.channelId}`;
    expect(
      (await api(path, { method: "PATCH", token: stranger.accessToken, json: { name: "Taken over" } }))
        .status,
    ).toBe(403);
    expect((await api(path, { method: "PATCH", json: { name: "Anonymous" } })).status).toBe(401);
    await apiJson(path, 200, { method: "PATCH", token: owner.accessToken, json: { name: "Owner edit" } });
    const byAdmin = await apiJson(path, 200, {
      method: "PATCH",
      token: admin.accessToken,
      json: { description: "Moderated" },
    });
    expect(byAdmin).toMatchObject({ name: "Owner edit", description: "Moderated" });
  });

  it("GET /channels/{id} reports the exact subscriber count", async () => {
    const owner = await seedAccount({ tag: "chcount", channel: true });
    const fans = await seedAccount({ tag: "chcountfan", profiles: [{}] });
    const path = `/api/v1/channels/${owner.channelId}`;
    const count = async () => (await apiJson<{ subscriberCount: number }>(path, 200)).subscriberCount;
    expect(await count()).toBe(0);
    for (const p of fans.profiles) {
      await apiJson(`${path}/subscription`, 200, { method: "PUT", token: p.token, json: { level: "all" } });
    }
    // Repeating a subscription counts nothing more.
    await apiJson(`${path}/subscription`, 200, { method: "PUT", token: fans.accessToken, json: {} });
    expect(await count()).toBe(2);
    await apiJson(`${path}/subscription`, 204, { method: "DELETE", token: fans.accessToken });
    expect(await count()).toBe(1);
  });

  it("admins assign roles; viewers cannot, and cannot promote themselves", async () => {
    const admin = await seedAccount({ tag: "admin", roles: ["admin"] });
    const viewer = await seedAccount({ tag: "viewer" });
    const target = await seedAccount({ tag: "target" });
    const put = (token: string, userId: string, roles: string[]) =>
      api(`/api/v1/admin/users/${userId}/role`, { method: "PUT", token, json: { roles } });

    expect((await put(viewer.accessToken, target.accountId, ["moderator"])).status).toBe(403);
    expect((await put(viewer.accessToken, viewer.accountId, ["admin"])).status).toBe(403);
    const res = await put(admin.accessToken, target.accountId, ["moderator", "advertiser"]);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ roles: ["viewer", "moderator", "advertiser"] });
    // Role changes apply at once, even to tokens issued before them.
    expect(await apiJson("/api/v1/me", 200, { token: target.accessToken })).toMatchObject({
      roles: ["viewer", "moderator", "advertiser"],
    });
    expect((await put(admin.accessToken, "acc_doesnotexist", ["creator"])).status).toBe(404);
    expect((await put(admin.accessToken, admin.accountId, ["viewer"])).status).toBe(409);
  });
});
