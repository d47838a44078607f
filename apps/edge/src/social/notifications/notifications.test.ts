import { runInDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { api, apiJson, type SeededAccount, seedAccount } from "../../../test/harness";
import { notificationId } from "./ids";
import { INBOX_CAPACITY, type Inbox } from "./inbox";
import { connectLive, inbox, liveRequest, scratchInbox } from "./test-utils";
import type { InboxPage, NotificationInput } from "./types";

let n = 0;
const item = async (source = `evt_test_${n++}`, recipient = "prf_x"): Promise<NotificationInput> => ({
  id: await notificationId(source, recipient),
  type: "video.published",
  // Names no video: the inbox then reads nothing from D1 for it (a named video must exist there,
  // at a rating the reader may see: maturity.test.ts).
  data: { title: `Video ${source}` },
  createdAt: Date.now(),
  maturity: "adult",
});

describe("Inbox object", () => {
  it("stores a notification once, however often and however concurrently it is delivered", async () => {
    const box = scratchInbox();
    const one = await item();
    const results = await Promise.all(Array.from({ length: 20 }, () => box.deliver([one, one])));
    expect(results.reduce((sum, r) => sum + r.delivered, 0)).toBe(1);
    const page = await box.list(null, 10, "adult");
    expect(page.items).toHaveLength(1);
    expect(page.items[0]).toMatchObject({ id: one.id, type: "video.published", read: false, data: one.data });
    expect(await box.unreadCount("adult")).toBe(1);
  });

  it("lists newest first with a cursor; marks one or all read; counts unread", async () => {
    const box = scratchInbox();
    const items = await Promise.all(Array.from({ length: 7 }, () => item()));
    for (const it of items) await box.deliver([it]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: InboxPage = await box.list(cursor, 3, "adult");
      seen.push(...page.items.map((i) => i.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(items.map((i) => i.id).reverse());

    const [a, b] = items;
    expect(await box.markRead([a?.id as string, a?.id as string, "ntf_unknown"], "adult")).toEqual({
      updated: 1,
      unread: 6,
    });
    expect(await box.markRead([a?.id as string, b?.id as string], "adult")).toEqual({
      updated: 1,
      unread: 5,
    });
    expect(await box.markRead("all", "adult")).toEqual({ updated: 5, unread: 0 });
    expect((await box.list(null, 100, "adult")).items.every((i) => i.read)).toBe(true);
  });

  it(`keeps the newest ${INBOX_CAPACITY}; a pruned notification delivered again stays out`, async () => {
    const box = scratchInbox();
    const items = await Promise.all(Array.from({ length: INBOX_CAPACITY + 10 }, () => item()));
    for (let i = 0; i < items.length; i += 100) await box.deliver(items.slice(i, i + 100));
    expect(await box.unreadCount("adult")).toBe(INBOX_CAPACITY);
    const oldest = items[0] as NotificationInput;
    expect(await box.deliver([oldest])).toEqual({ delivered: 0 });
    const all = await box.list(null, 100, "adult");
    expect(all.items[0]?.id).toBe(items[items.length - 1]?.id);
  });

  it("an object made before ratings gets the maturity column on its next start; its unrated rows count as adult", async () => {
    const box = scratchInbox();
    await box.unreadCount("adult"); // the object exists, at the current version
    const legacyId = (await item()).id;
    await runInDurableObject(box, async (instance: Inbox, state) => {
      // Back to the version-0 schema, with a row stored then.
      state.storage.sql.exec("ALTER TABLE notifications DROP COLUMN video_id");
      state.storage.sql.exec("ALTER TABLE notifications DROP COLUMN maturity");
      state.storage.sql.exec("DELETE FROM meta WHERE key = 'version'");
      state.storage.sql.exec(
        "INSERT INTO notifications (id, type, data, created_at) VALUES (?, 'video.published', '{}', ?)",
        legacyId,
        Date.now(),
      );
      // What the constructor runs when the object starts again.
      (instance as unknown as { migrate(): void }).migrate();
      expect(state.storage.sql.exec("SELECT value FROM meta WHERE key = 'version'").one().value).toBe("2");
    });
    expect((await box.list(null, 10, "kids")).items.map((i) => i.id)).toEqual([]);
    expect(await box.unreadCount("kids")).toBe(0);
    expect((await box.list(null, 10, "adult")).items.map((i) => i.id)).toEqual([legacyId]);
    expect(await box.unreadCount("adult")).toBe(1);
    const fresh = { ...(await item()), maturity: "kids" as const };
    await box.deliver([fresh]);
    expect((await box.list(null, 10, "kids")).items.map((i) => i.id)).toEqual([fresh.id]);
  });

  it("an object made before video ids gets the video_id column on its next start, filled from each row's data", async () => {
    const box = scratchInbox();
    await box.unreadCount("adult");
    const [named, unnamed] = [(await item()).id, (await item()).id];
    await runInDurableObject(box, async (instance: Inbox, state) => {
      // Back to the version-1 schema, with rows stored then.
      state.storage.sql.exec("ALTER TABLE notifications DROP COLUMN video_id");
      state.storage.sql.exec("UPDATE meta SET value = '1' WHERE key = 'version'");
      const insert =
        "INSERT INTO notifications (id, type, data, created_at, maturity) VALUES (?, 'video.published', ?, ?, 'kids')";
      state.storage.sql.exec(
        insert,
        named,
        JSON.stringify({ videoId: "vid_gone_legacy", title: "t" }),
        Date.now(),
      );
      state.storage.sql.exec(insert, unnamed, JSON.stringify({ title: "t" }), Date.now());
      (instance as unknown as { migrate(): void }).migrate();
      expect(state.storage.sql.exec("SELECT value FROM meta WHERE key = 'version'").one().value).toBe("2");
      expect(state.storage.sql.exec("SELECT id, video_id FROM notifications ORDER BY seq").toArray()).toEqual(
        [
          { id: named, video_id: "vid_gone_legacy" },
          { id: unnamed, video_id: null },
        ],
      );
    });
    // The named video does not exist in D1: its notification is hidden; the other one shows.
    expect((await box.list(null, 10, "adult")).items.map((i) => i.id)).toEqual([unnamed]);
    expect(await box.unreadCount("kids")).toBe(1);
  });

  it("deleteAll erases everything, and later deliveries are ignored", async () => {
    const box = scratchInbox();
    await box.deliver([await item()]);
    await box.deleteAll();
    await box.deleteAll();
    expect(await box.unreadCount("adult")).toBe(0);
    expect(await box.deliver([await item()])).toEqual({ delivered: 0 });
    expect((await box.list(null, 10, "adult")).items).toEqual([]);
  });
});

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
    const first = await apiJson<InboxPage>("/api/v1/me/notifications?limit=2", 200, {
      token: user.accessToken,
    });
    expect(first.items.map((i) => i.id)).toEqual([ids[4], ids[3]]);
    expect(first.unread).toBe(5);
    const next = await apiJson<InboxPage>(
      `/api/v1/me/notifications?limit=10&cursor=${first.nextCursor}`,
      200,
      { token: user.accessToken },
    );
    expect(next.items.map((i) => i.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(next.nextCursor).toBeNull();
    const other = await apiJson<InboxPage>("/api/v1/me/notifications", 200, {
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
    for (const path of ["/api/v1/me/notifications", "/api/v1/me/notifications/unread-count"]) {
      expect((await api(path)).status).toBe(401);
    }
  });

  it("preferences: all on by default; PUT changes only the given types", async () => {
    const token = user.profiles[1]?.token as string;
    const all = { "video.published": true, "comment.created": true, "comment.replied": true, mention: true };
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
