import { beforeAll, describe, expect, it } from "vitest";
import { api, apiJson, type SeededAccount, seedAccount } from "../../../test/harness";
import { encodeCursor } from "../../lib/pagination";
import { connectLive, inbox, liveRequest, type NotificationPage, notificationFor } from "./test-utils";

const item = notificationFor;

describe("notification routes", () => {
  let user: SeededAccount;
  const ids: string[] = [];

  beforeAll(async () => {
    user = await seedAccount({ tag: "ntfroutes", profiles: [{ name: "Other" }] });
    for (let i = 0; i < 5; i++) {
      const it = await item(`evt_routes_${user.profileId}_${i}`, user.profileId);
      ids.push(it.id);
      await inbox(user.profileId).deliver([it]);
    }
  });

  it("GET /me/notifications pages with the unread count; other profiles see their own inbox", async () => {
    const first = await apiJson<NotificationPage>("/api/v1/me/notifications?limit=2", 200, {
      token: user.accessToken,
    });
    expect(first.items.map((i) => i.id)).toEqual([ids[4], ids[3]]);
    expect(first.unread).toBe(5);
    const next = await apiJson<NotificationPage>(
      `/api/v1/me/notifications?limit=10&cursor=${first.nextCursor}`,
      200,
      { token: user.accessToken },
    );
    expect(next.items.map((i) => i.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(next.nextCursor).toBeNull();
    const other = await apiJson<NotificationPage>("/api/v1/me/notifications", 200, {
      token: user.profiles[1]?.token,
    });
    expect(other).toEqual({ items: [], nextCursor: null, unread: 0 });
  });

  it("marks one, then all, read; unread-count follows", async () => {
    const token = user.accessToken;
    const unread = () => apiJson<{ unread: number }>("/api/v1/me/notifications/unread-count", 200, { token });
    expect(await unread()).toEqual({ unread: 5 });
    expect(
      await apiJson("/api/v1/me/notifications/read", 200, { method: "POST", token, json: { ids: [ids[0]] } }),
    ).toEqual({ updated: 1, unread: 4 });
    expect(await unread()).toEqual({ unread: 4 });
    expect(
      await apiJson("/api/v1/me/notifications/read", 200, { method: "POST", token, json: { all: true } }),
    ).toEqual({ updated: 4, unread: 0 });
    expect(await unread()).toEqual({ unread: 0 });
  });

  it("answers bad input with 400 problems and anonymous callers with 401", async () => {
    const token = user.accessToken;
    for (const json of [{}, { ids: [] }, { ids: ["nope"] }, { all: false }, { all: true, ids: [ids[0]] }]) {
      const res = await api("/api/v1/me/notifications/read", { method: "POST", token, json });
      expect(res.status, JSON.stringify(json)).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    for (const q of ["?limit=0", "?limit=101", "?cursor=abc", "?cursor=0", "?limit=1&limit=2"]) {
      expect((await api(`/api/v1/me/notifications${q}`, { token })).status, q).toBe(400);
    }
    // A cursor of another list, or of this list with a key it never hands out: 400 at query.cursor.
    for (const cursor of [encodeCursor("comments", { s: 5 }), encodeCursor("notifications", { s: "5" })]) {
      const res = await api(`/api/v1/me/notifications?cursor=${cursor}`, { token });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ errors: [{ path: "query.cursor" }] });
    }
    for (const path of ["/api/v1/me/notifications", "/api/v1/me/notifications/unread-count"]) {
      expect((await api(path)).status).toBe(401);
    }
  });

  it("preferences: all on by default; PUT changes only the given types", async () => {
    const token = user.profiles[1]?.token as string;
    const all = {
      "video.published": true,
      "comment.created": true,
      "comment.replied": true,
      mention: true,
      "report.resolved": true,
      "strike.issued": true,
      "appeal.decided": true,
    };
    expect(await apiJson("/api/v1/me/notification-preferences", 200, { token })).toEqual(all);
    const changed = await apiJson("/api/v1/me/notification-preferences", 200, {
      method: "PUT",
      token,
      json: { "video.published": false, mention: false },
    });
    expect(changed).toEqual({ ...all, "video.published": false, mention: false });
    const back = await apiJson("/api/v1/me/notification-preferences", 200, {
      method: "PUT",
      token,
      json: { mention: true },
    });
    expect(back).toEqual({ ...all, "video.published": false });
    // Per profile: the account's first profile is untouched.
    expect(await apiJson("/api/v1/me/notification-preferences", 200, { token: user.accessToken })).toEqual(
      all,
    );
    for (const json of [{ unknown: true }, { mention: "no" }, []]) {
      const res = await api("/api/v1/me/notification-preferences", { method: "PUT", token, json });
      expect(res.status).toBe(400);
    }
  });
});

describe("GET /me/notifications/live", () => {
  let user: SeededAccount;
  beforeAll(async () => {
    user = await seedAccount({ tag: "ntflive" });
  });

  it("without Upgrade: websocket it is a 426 problem", async () => {
    const res = await api("/api/v1/me/notifications/live", { token: user.accessToken });
    expect(res.status).toBe(426);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.headers.get("x-request-id")).toBeTruthy();
    expect(await res.json()).toMatchObject({ status: 426, title: "Upgrade required" });
  });

  it("refuses missing and bad credentials with 401, and a bearer without marquee.v1 with 400", async () => {
    expect((await liveRequest({ upgrade: "websocket" })).status).toBe(401);
    expect(
      (await liveRequest({ upgrade: "websocket", "sec-websocket-protocol": "marquee.v1, bearer.not-a-jwt" }))
        .status,
    ).toBe(401);
    expect(
      (await liveRequest({ upgrade: "websocket", "sec-websocket-protocol": `bearer.${user.accessToken}` }))
        .status,
    ).toBe(400);
    // The token in the query string is not accepted (it would end up in logs).
    expect((await liveRequest({ upgrade: "websocket" }, `?access_token=${user.accessToken}`)).status).toBe(
      401,
    );
  });

  it("says hello with the unread count, pushes each new notification, and tells of reads", async () => {
    const live = await connectLive(user.accessToken);
    await live.next((f) => f.type === "hello");
    const fresh = await item(`evt_live_${user.profileId}`, user.profileId);
    await inbox(user.profileId).deliver([fresh]);
    const pushed = await live.next((f) => f.type === "notification");
    expect(pushed).toMatchObject({
      type: "notification",
      notification: { id: fresh.id, read: false },
      unread: 1,
    });
    // A redelivery pushes nothing new.
    await inbox(user.profileId).deliver([fresh]);
    await apiJson("/api/v1/me/notifications/read", 200, {
      method: "POST",
      token: user.accessToken,
      json: { ids: [fresh.id] },
    });
    expect(await live.next((f) => f.type === "read")).toEqual({ type: "read", ids: [fresh.id], unread: 0 });
    expect(live.frames.filter((f) => f.type === "notification")).toHaveLength(1);
    // Keep-alive: answered by the runtime's auto-response; anything else gets an error frame.
    live.ws.send("ping");
    live.ws.send("hello?");
    await live.next((f) => f.type === "error");
    const deadline = Date.now() + 2000;
    while (live.pongs.count === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(live.pongs.count).toBe(1);
    live.close();
  });

  it("also accepts an Authorization header (clients that can set one)", async () => {
    const res = await liveRequest({ upgrade: "websocket", authorization: `Bearer ${user.accessToken}` });
    expect(res.status).toBe(101);
    res.webSocket?.accept();
    res.webSocket?.close(1000, "done");
  });
});
