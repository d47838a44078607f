import { describe, expect, it } from "vitest";
import { testDb } from "../../../test/fixtures";
import { apiJson, seedAccount } from "../../../test/harness";
import { eraseSubscriptionsOf } from "./events";
import { counts, put, rowsOf, type State, sub } from "./test-utils";

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
    await eraseSubscriptionsOf(testDb(), profileIds);
    await eraseSubscriptionsOf(testDb(), profileIds);
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
    expect(await rowsOf(leaving.profileId)).toBe(0);
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
      testDb(),
      leaving.profiles.map((p) => p.id),
    );
    expect(await counts(target)).toEqual({ counted: 1, rows: 1 });
  });
});
