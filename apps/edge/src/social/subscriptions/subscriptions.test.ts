import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { api, apiJson, type SeededAccount, seedAccount } from "../../../test/harness";
import { eraseSubscriptionsOf } from "./events";

interface State {
  channelId: string;
  subscribed: boolean;
  level: "all" | "none" | null;
  subscribedAt: string | null;
  subscriberCount: number;
}

interface Page {
  items: {
    channel: { id: string; handle: string; subscriberCount: number };
    level: string;
    subscribedAt: string;
  }[];
  nextCursor: string | null;
}

const sub = (channelId: string) => `/api/v1/channels/${channelId}/subscription`;
const put = (token: string, channelId: string, level: "all" | "none" = "all") =>
  api(sub(channelId), { method: "PUT", token, json: { level } });
const del = (token: string, channelId: string) => api(sub(channelId), { method: "DELETE", token });

/** The stored count and the number of rows it must equal. */
async function counts(channelId: string) {
  return env.DB.prepare(
    `SELECT subscriber_count AS counted, (SELECT COUNT(*) FROM subscriptions WHERE channel_id = ?1) AS rows
       FROM channels WHERE id = ?1`,
  )
    .bind(channelId)
    .first<{ counted: number; rows: number }>();
}

/** Seeds `accounts` accounts with 5 profiles each and returns every profile's token. */
async function seedProfiles(accounts: number, tag: string): Promise<string[]> {
  const seeded = await Promise.all(
    Array.from({ length: accounts }, () => seedAccount({ tag, profiles: [{}, {}, {}, {}] })),
  );
  return seeded.flatMap((a) => a.profiles.map((p) => p.token));
}

let creator: SeededAccount;
let channelId: string;
let handle: string;
let fan: SeededAccount;

beforeAll(async () => {
  [creator, fan] = await Promise.all([
    seedAccount({ tag: "subcreator", channel: true }),
    seedAccount({ tag: "subfan", profiles: [{ name: "Second" }, { name: "Kid", maturity: "kids" }] }),
  ]);
  channelId = creator.channelId as string;
  handle = (await apiJson<{ handle: string }>(`/api/v1/channels/${channelId}`, 200)).handle;
});

describe("subscriptions", () => {
  it("PUT subscribes, repeats change only the level, DELETE unsubscribes; the count follows exactly", async () => {
    const token = fan.accessToken;
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
    const token = fan.profiles[1]?.token as string;
    const state = await apiJson<State>(sub(`@${handle}`), 200, { method: "PUT", token, json: {} });
    expect(state).toMatchObject({ channelId, level: "all", subscriberCount: 1 });
    expect((await del(token, `@${handle.toUpperCase()}`)).status).toBe(204);
    expect(await counts(channelId)).toEqual({ counted: 0, rows: 0 });
  });

  it("is per profile: another profile of the same account is not subscribed", async () => {
    const [adult, second] = fan.profiles;
    await apiJson(sub(channelId), 200, { method: "PUT", token: adult?.token, json: { level: "all" } });
    expect(await apiJson<State>(sub(channelId), 200, { token: second?.token })).toMatchObject({
      subscribed: false,
      subscriberCount: 1,
    });
    const mine = await apiJson<Page>("/api/v1/me/subscriptions", 200, { token: adult?.token });
    expect(mine.items.map((i) => i.channel.id)).toContain(channelId);
    const theirs = await apiJson<Page>("/api/v1/me/subscriptions", 200, { token: second?.token });
    expect(theirs.items.map((i) => i.channel.id)).not.toContain(channelId);
    await del(adult?.token as string, channelId);
  });

  it("a kids profile may follow channels", async () => {
    const kid = fan.profiles[2]?.token as string;
    expect((await put(kid, channelId)).status).toBe(200);
    expect((await del(kid, channelId)).status).toBe(204);
    expect(await counts(channelId)).toEqual({ counted: 0, rows: 0 });
  });

  it("refuses your own channel (409), unknown channels (404), bad levels (400) and anonymous callers (401)", async () => {
    const own = await put(creator.accessToken, channelId);
    expect(own.status).toBe(409);
    expect(own.headers.get("content-type")).toContain("application/problem+json");
    expect((await put(fan.accessToken, "chn_doesnotexist")).status).toBe(404);
    expect((await del(fan.accessToken, "@nobody_has_this_handle")).status).toBe(404);
    const bad = await api(sub(channelId), { method: "PUT", token: fan.accessToken, json: { level: "some" } });
    expect(bad.status).toBe(400);
    const extra = await api(sub(channelId), {
      method: "PUT",
      token: fan.accessToken,
      json: { level: "all", x: 1 },
    });
    expect(extra.status).toBe(400);
    expect((await api(sub(channelId), { method: "PUT", json: { level: "all" } })).status).toBe(401);
    expect((await api("/api/v1/me/subscriptions")).status).toBe(401);
    expect((await api("/api/v1/me/subscriptions?cursor=nope", { token: fan.accessToken })).status).toBe(400);
    expect(await counts(channelId)).toEqual({ counted: 0, rows: 0 });
  });

  it("a token whose profile was deleted cannot subscribe (403)", async () => {
    const account = await seedAccount({ tag: "subgone", profiles: [{ name: "Doomed" }] });
    const doomed = account.profiles[1] as { id: string; token: string };
    await apiJson(`/api/v1/me/profiles/${doomed.id}`, 204, { method: "DELETE", token: account.accessToken });
    expect((await put(doomed.token, channelId)).status).toBe(403);
  });
});

describe("subscriber counts under concurrency", () => {
  it("50 concurrent PUTs from one profile count once; 50 concurrent DELETEs uncount once", async () => {
    const owner = await seedAccount({ tag: "subrace1", channel: true });
    const target = owner.channelId as string;
    const token = fan.accessToken;
    const puts = await Promise.all(
      Array.from({ length: 50 }, (_, i) => put(token, target, i % 2 ? "all" : "none")),
    );
    expect(puts.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(await counts(target)).toEqual({ counted: 1, rows: 1 });
    const dels = await Promise.all(Array.from({ length: 50 }, () => del(token, target)));
    expect(dels.map((r) => r.status)).toEqual(Array(50).fill(204));
    expect(await counts(target)).toEqual({ counted: 0, rows: 0 });
  });

  it("40 profiles subscribing at once count 40; racing subscribe/unsubscribe storms leave count = rows", async () => {
    const owner = await seedAccount({ tag: "subrace2", channel: true });
    const target = owner.channelId as string;
    const tokens = await seedProfiles(8, "subrace2fan");
    expect(tokens).toHaveLength(40);

    await Promise.all(tokens.map((t) => put(t, target)));
    expect(await counts(target)).toEqual({ counted: 40, rows: 40 });
    await Promise.all(tokens.map((t) => put(t, target, "none")));
    expect(await counts(target)).toEqual({ counted: 40, rows: 40 });

    // Every profile fires PUT, DELETE, PUT, DELETE, ... at once; the last word differs per profile.
    const storm = tokens.flatMap((t, i) =>
      Array.from({ length: 6 + (i % 2) }, (_, k) => (k % 2 === 0 ? put(t, target) : del(t, target))),
    );
    const statuses = (await Promise.all(storm)).map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 204)).toBe(true);
    const after = await counts(target);
    expect(after?.counted).toBe(after?.rows);

    await Promise.all(tokens.map((t) => del(t, target)));
    expect(await counts(target)).toEqual({ counted: 0, rows: 0 });
  });
});

describe("GET /me/subscriptions", () => {
  it("pages newest first with a cursor, without repeats or gaps", async () => {
    const reader = await seedAccount({ tag: "sublist" });
    const owners = await Promise.all(
      Array.from({ length: 7 }, () => seedAccount({ tag: "sublistch", channel: true })),
    );
    const ids: string[] = [];
    for (const o of owners) {
      await apiJson(sub(o.channelId as string), 200, {
        method: "PUT",
        token: reader.accessToken,
        json: { level: "all" },
      });
      ids.push(o.channelId as string);
    }
    const seen: string[] = [];
    const times: number[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = `?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
      const page: Page = await apiJson<Page>(`/api/v1/me/subscriptions${query}`, 200, {
        token: reader.accessToken,
      });
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((i) => i.channel.id));
      times.push(...page.items.map((i) => Date.parse(i.subscribedAt)));
      for (const item of page.items)
        expect(item).toMatchObject({ level: "all", channel: { subscriberCount: 1 } });
      cursor = page.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(3);
    // Every subscription once, newest first (ties within a millisecond go by channel id).
    expect([...seen].sort()).toEqual([...ids].sort());
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });
});

describe("account.deleted", () => {
  it("erases the profiles' remaining subscriptions and takes them off the counts, idempotently", async () => {
    const owners = await Promise.all([
      seedAccount({ tag: "suberase1", channel: true }),
      seedAccount({ tag: "suberase2", channel: true }),
    ]);
    const leaving = await seedAccount({ tag: "subleaving", profiles: [{}] });
    const staying = await seedAccount({ tag: "substaying" });
    for (const o of owners) {
      for (const p of leaving.profiles) await put(p.token, o.channelId as string);
      await put(staying.accessToken, o.channelId as string);
    }
    expect(await counts(owners[0]?.channelId as string)).toEqual({ counted: 3, rows: 3 });

    const profileIds = leaving.profiles.map((p) => p.id);
    await eraseSubscriptionsOf(env.DB, profileIds);
    await eraseSubscriptionsOf(env.DB, profileIds);
    for (const o of owners) expect(await counts(o.channelId as string)).toEqual({ counted: 1, rows: 1 });
  });

  it("DELETE /me: the account's subscription rows are gone once the event is handled", async () => {
    const owner = await seedAccount({ tag: "subdelown", channel: true });
    const leaving = await seedAccount({ tag: "subdelme" });
    await put(leaving.accessToken, owner.channelId as string);
    await apiJson(`/api/v1/me`, 204, {
      method: "DELETE",
      token: leaving.accessToken,
      json: { password: leaving.password },
    });
    const rows = await env.DB.prepare("SELECT COUNT(*) AS n FROM subscriptions WHERE profile_id = ?")
      .bind(leaving.profileId)
      .first<{ n: number }>();
    expect(rows?.n).toBe(0);
  });
});

describe("counts when profiles and accounts go (the cascade fires the count trigger)", () => {
  const channelCount = async (id: string) =>
    (await apiJson<{ subscriberCount: number }>(`/api/v1/channels/${id}`, 200)).subscriberCount;

  it("DELETE /me/profiles/{id}: the profile's subscriptions leave the channels' counts at once", async () => {
    const owners = await Promise.all([
      seedAccount({ tag: "subpdel1", channel: true }),
      seedAccount({ tag: "subpdel2", channel: true }),
    ]);
    const family = await seedAccount({ tag: "subpdelfam", profiles: [{ name: "Leaving" }] });
    const leaving = family.profiles[1] as { id: string; token: string };
    for (const o of owners) {
      await put(leaving.token, o.channelId as string);
      await put(family.accessToken, o.channelId as string);
      expect(await counts(o.channelId as string)).toEqual({ counted: 2, rows: 2 });
    }
    await apiJson(`/api/v1/me/profiles/${leaving.id}`, 204, { method: "DELETE", token: family.accessToken });
    for (const o of owners) {
      const id = o.channelId as string;
      expect(await counts(id)).toEqual({ counted: 1, rows: 1 });
      expect(await channelCount(id)).toBe(1);
      expect(await apiJson<State>(sub(id), 200, { token: family.accessToken })).toMatchObject({
        subscribed: true,
        subscriberCount: 1,
      });
    }
  });

  it("DELETE /me takes every profile's subscriptions off the channels' counts", async () => {
    const owner = await seedAccount({ tag: "subadel", channel: true });
    const target = owner.channelId as string;
    const leaving = await seedAccount({ tag: "subadelme", profiles: [{}, { maturity: "kids" }] });
    const staying = await seedAccount({ tag: "subadelstay" });
    for (const p of leaving.profiles) await put(p.token, target);
    await put(staying.accessToken, target);
    expect(await counts(target)).toEqual({ counted: 4, rows: 4 });
    await apiJson("/api/v1/me", 204, {
      method: "DELETE",
      token: leaving.accessToken,
      json: { password: leaving.password },
    });
    expect(await counts(target)).toEqual({ counted: 1, rows: 1 });
    expect(await channelCount(target)).toBe(1);
    // The account.deleted handler then finds nothing left to uncount.
    await eraseSubscriptionsOf(
      env.DB,
      leaving.profiles.map((p) => p.id),
    );
    expect(await counts(target)).toEqual({ counted: 1, rows: 1 });
  });
});
