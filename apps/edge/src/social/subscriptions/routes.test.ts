import { beforeAll, describe, expect, it } from "vitest";
import {
  api,
  apiJson,
  type ListPage,
  listPages,
  seedAccount,
  seedCastBeforeAll,
  seedCreators,
} from "../../../test/harness";
import { encodeCursor } from "../../lib/pagination";
import { counts, del, put, type State, type SubscriptionItem, sub, subscribe } from "./test-utils";

const cast = seedCastBeforeAll("sub", {
  creator: { channel: true },
  fan: { profiles: [{ name: "Second" }, { name: "Kid", maturity: "kids" }] },
});
let channelId: string;
let handle: string;

beforeAll(async () => {
  channelId = cast.creator.channelId as string;
  handle = (await apiJson<{ handle: string }>(`/api/v1/channels/${channelId}`, 200)).handle;
});

describe("subscriptions", () => {
  it("PUT subscribes, repeats change only the level, DELETE unsubscribes; the count follows exactly", async () => {
    const token = cast.fan.accessToken;
    const first = await apiJson<State>(sub(channelId), 200, { method: "PUT", token, json: { level: "all" } });
    expect(first).toMatchObject({ channelId, subscribed: true, level: "all", subscriberCount: 1 });
    const again = await apiJson<State>(sub(channelId), 200, { method: "PUT", token, json: { level: "all" } });
    expect(again).toEqual(first);
    const quiet = await apiJson<State>(sub(channelId), 200, {
      method: "PUT",
      token,
      json: { level: "none" },
    });
    expect(quiet).toMatchObject({ level: "none", subscriberCount: 1, subscribedAt: first.subscribedAt });
    expect(await apiJson<State>(sub(channelId), 200, { token })).toEqual(quiet);

    expect((await del(token, channelId)).status).toBe(204);
    expect((await del(token, channelId)).status).toBe(204);
    expect(await apiJson<State>(sub(channelId), 200, { token })).toEqual({
      channelId,
      subscribed: false,
      level: null,
      subscribedAt: null,
      subscriberCount: 0,
    });
    expect(await counts(channelId)).toEqual({ counted: 0, rows: 0 });
  });

  it("an empty body means level all; the channel can be named by @handle", async () => {
    const token = cast.fan.profiles[1]?.token as string;
    const state = await apiJson<State>(sub(`@${handle}`), 200, { method: "PUT", token, json: {} });
    expect(state).toMatchObject({ channelId, level: "all", subscriberCount: 1 });
    expect((await del(token, `@${handle.toUpperCase()}`)).status).toBe(204);
    expect(await counts(channelId)).toEqual({ counted: 0, rows: 0 });
  });

  it("is per profile: another profile of the same account is not subscribed", async () => {
    const [adult, second] = cast.fan.profiles;
    await subscribe(adult?.token as string, channelId);
    expect(await apiJson<State>(sub(channelId), 200, { token: second?.token })).toMatchObject({
      subscribed: false,
      subscriberCount: 1,
    });
    const mine = await apiJson<ListPage<SubscriptionItem>>("/api/v1/me/subscriptions", 200, {
      token: adult?.token,
    });
    expect(mine.items.map((i) => i.channel.id)).toContain(channelId);
    const theirs = await apiJson<ListPage<SubscriptionItem>>("/api/v1/me/subscriptions", 200, {
      token: second?.token,
    });
    expect(theirs.items.map((i) => i.channel.id)).not.toContain(channelId);
    await del(adult?.token as string, channelId);
  });

  it("a kids profile may follow channels", async () => {
    const kid = cast.fan.profiles[2]?.token as string;
    expect((await put(kid, channelId)).status).toBe(200);
    expect((await del(kid, channelId)).status).toBe(204);
    expect(await counts(channelId)).toEqual({ counted: 0, rows: 0 });
  });

  it("refuses your own channel (409), unknown channels (404), bad levels (400) and anonymous callers (401)", async () => {
    const own = await put(cast.creator.accessToken, channelId);
    expect(own.status).toBe(409);
    expect(own.headers.get("content-type")).toContain("application/problem+json");
    expect((await put(cast.fan.accessToken, "chn_doesnotexist")).status).toBe(404);
    expect((await del(cast.fan.accessToken, "@nobody_has_this_handle")).status).toBe(404);
    const bad = await api(sub(channelId), {
      method: "PUT",
      token: cast.fan.accessToken,
      json: { level: "some" },
    });
    expect(bad.status).toBe(400);
    const extra = await api(sub(channelId), {
      method: "PUT",
      token: cast.fan.accessToken,
      json: { level: "all", x: 1 },
    });
    expect(extra.status).toBe(400);
    expect((await api(sub(channelId), { method: "PUT", json: { level: "all" } })).status).toBe(401);
    expect((await api("/api/v1/me/subscriptions")).status).toBe(401);
    // A cursor this list did not hand out (junk, or another list's) is a 400 at query.cursor.
    for (const cursor of ["nope", encodeCursor("comments:newest", { t: 1, i: "cmt_a" })]) {
      const res = await api(`/api/v1/me/subscriptions?cursor=${cursor}`, { token: cast.fan.accessToken });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({
        code: "validation_failed",
        errors: [{ path: "query.cursor" }],
      });
    }
    expect(await counts(channelId)).toEqual({ counted: 0, rows: 0 });
  });

  it("a token whose profile was deleted cannot subscribe (403)", async () => {
    const account = await seedAccount({ tag: "subgone", profiles: [{ name: "Doomed" }] });
    const doomed = account.profiles[1] as { id: string; token: string };
    await apiJson(`/api/v1/me/profiles/${doomed.id}`, 204, { method: "DELETE", token: account.accessToken });
    expect((await put(doomed.token, channelId)).status).toBe(403);
  });
});

describe("GET /me/subscriptions", () => {
  it("pages newest first with a cursor, without repeats or gaps", async () => {
    const reader = await seedAccount({ tag: "sublist" });
    const owners = await seedCreators(7, "sublistch");
    const ids: string[] = [];
    for (const o of owners) {
      await subscribe(reader.accessToken, o.channelId as string);
      ids.push(o.channelId as string);
    }
    const pages = await listPages<SubscriptionItem>("/api/v1/me/subscriptions", reader.accessToken, 3);
    for (const page of pages) expect(page.items.length).toBeLessThanOrEqual(3);
    const items = pages.flatMap((page) => page.items);
    for (const item of items) expect(item).toMatchObject({ level: "all", channel: { subscriberCount: 1 } });
    const seen = items.map((i) => i.channel.id);
    const times = items.map((i) => Date.parse(i.subscribedAt));
    expect(pages).toHaveLength(3);
    // Every subscription once, newest first (ties within a millisecond go by channel id).
    expect([...seen].sort()).toEqual([...ids].sort());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });
});
