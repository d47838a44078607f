/**
 * Erasing a profile's video reactions: the D1 index the shards mirror (`video_reaction_index`),
 * and what `account.deleted` / `profile.deleted` do with it — every video the profile reacted to
 * loses exactly its reaction, in the object and then in D1, whatever the shard layout, however
 * often the event is delivered, and even when the profile goes before its like reached the index.
 */
import { env } from "cloudflare:test";
import type { AccountDeleted } from "@marquee/shared";
import { beforeAll, describe, expect, it } from "vitest";
import {
  apiJson,
  eventually,
  type SeededAccount,
  type SeededProfile,
  seedAccount,
} from "../../../test/harness";
import { reactionsEventHandlers } from "./events";
import { SHARDS_KV_PREFIX } from "./shards";
import { d1Counts, flushNow, indexRows, insertVideo } from "./test-utils";

interface Counts {
  likes: number;
  dislikes?: number;
  mine: "like" | "dislike" | null;
}

const react = (videoId: string, token: string, value: "like" | "dislike") =>
  apiJson(`/api/v1/videos/${videoId}/reaction`, 200, { method: "PUT", token, json: { value } });
const clear = (videoId: string, token: string) =>
  apiJson(`/api/v1/videos/${videoId}/reaction`, 200, { method: "DELETE", token });

/** The exact counts, read from every shard (the owner sees dislikes too). */
const objectCounts = async (videoId: string) => {
  const c = await apiJson<Counts>(`/api/v1/videos/${videoId}/reactions`, 200, { token: owner.accessToken });
  return { likes: c.likes, dislikes: c.dislikes };
};

/** Waits until both the objects and D1 hold `expected` for every video. */
async function countsSettle(expected: Record<string, { likes: number; dislikes: number }>) {
  for (const [videoId, want] of Object.entries(expected)) {
    await eventually(async () => {
      const [live, stored] = [await objectCounts(videoId), await d1Counts(videoId)];
      return (
        live.likes === want.likes &&
        live.dislikes === want.dislikes &&
        stored?.likes === want.likes &&
        stored.dislikes === want.dislikes
      );
    }, 15_000);
  }
}

/** Index rows of these profiles, over every video. */
async function indexedFor(profileIds: string[]): Promise<number> {
  const row = await env.DB.prepare(
    "SELECT COUNT(*) AS n FROM video_reaction_index WHERE profile_id IN (SELECT value FROM json_each(?))",
  )
    .bind(JSON.stringify(profileIds))
    .first<{ n: number }>();
  return row?.n ?? 0;
}

let owner: SeededAccount;
let staying: SeededAccount;

beforeAll(async () => {
  [owner, staying] = await Promise.all([
    seedAccount({ tag: "rxeowner", channel: true }),
    seedAccount({ tag: "rxestay" }),
  ]);
});

/** Three videos, the last one split over four shards. */
async function threeVideos(): Promise<[string, string, string]> {
  const videos = [await insertVideo(owner), await insertVideo(owner), await insertVideo(owner)] as const;
  await env.SETTINGS.put(`${SHARDS_KV_PREFIX}${videos[2]}`, "4");
  return [...videos];
}

describe("video_reaction_index", () => {
  it("mirrors reactions within seconds: like → row, switch → value changes, clear → row gone", async () => {
    const videoId = await insertVideo(owner);
    const fan = await seedAccount({ tag: "rxeidx", profiles: [{}] });
    const [a, b] = fan.profiles as [SeededProfile, SeededProfile];
    await react(videoId, a.token, "like");
    await react(videoId, b.token, "like");
    await eventually(async () => (await indexRows(videoId))[b.id] === "like", 5000);
    expect(await indexRows(videoId)).toEqual({ [a.id]: "like", [b.id]: "like" });
    await react(videoId, a.token, "dislike");
    await eventually(async () => (await indexRows(videoId))[a.id] === "dislike", 5000);
    await clear(videoId, b.token);
    await eventually(async () => !((await indexRows(videoId)) as Record<string, string>)[b.id], 5000);
    expect(await indexRows(videoId)).toEqual({ [a.id]: "dislike" });
  });
});

describe("erasing a profile's video reactions", () => {
  it("an erased account's likes leave the counts of every video it liked, in the object and in D1", async () => {
    const videos = await threeVideos();
    const leaving = await seedAccount({ tag: "rxeacc", profiles: [{}] });
    const [p1, p2] = leaving.profiles as [SeededProfile, SeededProfile];
    for (const v of videos) {
      await react(v, p1.token, "like");
      await react(v, staying.accessToken, "like");
    }
    await react(videos[0], p2.token, "dislike");
    await react(videos[2], p2.token, "like");
    await countsSettle({
      [videos[0]]: { likes: 2, dislikes: 1 },
      [videos[1]]: { likes: 2, dislikes: 0 },
      [videos[2]]: { likes: 3, dislikes: 0 },
    });
    await eventually(async () => (await indexedFor([p1.id, p2.id])) === 5, 10_000);

    await apiJson("/api/v1/me", 204, {
      method: "DELETE",
      token: leaving.accessToken,
      json: { password: leaving.password },
    });
    const left = { likes: 1, dislikes: 0 };
    await countsSettle({ [videos[0]]: left, [videos[1]]: left, [videos[2]]: left });
    expect(await indexedFor([p1.id, p2.id])).toBe(0);
    // The staying profile's like is untouched, everywhere.
    for (const v of videos) {
      expect(
        (await apiJson<Counts>(`/api/v1/videos/${v}/reactions`, 200, { token: staying.accessToken })).mine,
      ).toBe("like");
      expect((await indexRows(v))[staying.profileId]).toBe("like");
    }
  });

  it("a deleted profile's likes leave the counts; the account's other profiles keep theirs", async () => {
    const videos = await threeVideos();
    const family = await seedAccount({ tag: "rxeprof", profiles: [{ name: "Leaving" }] });
    const [keeps, goes] = family.profiles as [SeededProfile, SeededProfile];
    for (const v of videos) {
      await react(v, goes.token, "like");
      await react(v, keeps.token, "like");
    }
    await react(videos[1], goes.token, "dislike");
    await eventually(async () => (await indexedFor([goes.id])) === 3, 10_000);

    await apiJson(`/api/v1/me/profiles/${goes.id}`, 204, { method: "DELETE", token: family.accessToken });
    const left = { likes: 1, dislikes: 0 };
    await countsSettle({ [videos[0]]: left, [videos[1]]: left, [videos[2]]: left });
    expect(await indexedFor([goes.id])).toBe(0);
    expect(await indexedFor([keeps.id])).toBe(3);
  });

  it("a like made just before its profile is deleted, not yet in the index, leaves the counts too", async () => {
    const videos = await threeVideos();
    const family = await seedAccount({ tag: "rxerace", profiles: [{ name: "Quick" }] });
    const quick = family.profiles[1] as { id: string; token: string };
    for (const v of videos) await react(v, quick.token, "like");
    // No waiting for the flush: the profile is gone before its index rows can be written.
    await apiJson(`/api/v1/me/profiles/${quick.id}`, 204, { method: "DELETE", token: family.accessToken });
    const none = { likes: 0, dislikes: 0 };
    await countsSettle({ [videos[0]]: none, [videos[1]]: none, [videos[2]]: none });
    expect(await indexedFor([quick.id])).toBe(0);
  });

  it("a redelivered account.deleted changes nothing more, even after a run that died before its index delete", async () => {
    const videos = await threeVideos();
    const leaving = await seedAccount({ tag: "rxeredo" });
    for (const v of videos) {
      await react(v, leaving.accessToken, "like");
      await react(v, staying.accessToken, "dislike");
    }
    await eventually(async () => (await indexedFor([leaving.profileId])) === 3, 10_000);
    const rows = await env.DB.prepare(
      "SELECT profile_id, video_id, value, reacted_at FROM video_reaction_index WHERE profile_id = ?",
    )
      .bind(leaving.profileId)
      .all<{ profile_id: string; video_id: string; value: string; reacted_at: number }>();

    await apiJson("/api/v1/me", 204, {
      method: "DELETE",
      token: leaving.accessToken,
      json: { password: leaving.password },
    });
    const after = { likes: 0, dislikes: 1 };
    await countsSettle({ [videos[0]]: after, [videos[1]]: after, [videos[2]]: after });

    // A run that forgot the reactions but died before deleting its index rows: the rows are back.
    for (const r of rows.results) {
      await env.DB.prepare(
        "INSERT INTO video_reaction_index (profile_id, video_id, value, reacted_at) VALUES (?, ?, ?, ?)",
      )
        .bind(r.profile_id, r.video_id, r.value, r.reacted_at)
        .run();
    }
    const event: AccountDeleted = {
      id: `evt_redelivered_${leaving.accountId}`,
      type: "account.deleted",
      occurredAt: new Date().toISOString(),
      payload: { accountId: leaving.accountId, profileIds: [leaving.profileId] },
    };
    const handle = reactionsEventHandlers["account.deleted"]?.[0];
    await Promise.all([handle?.(event, env), handle?.(event, env)]);
    await handle?.(event, env);
    expect(await indexedFor([leaving.profileId])).toBe(0);
    // Nothing moved in the objects; whatever flush is pending now runs, and D1 still agrees.
    await flushNow(videos[0]);
    await flushNow(videos[1]);
    await flushNow(videos[2], 4);
    for (const v of videos) {
      expect(await objectCounts(v)).toEqual(after);
      expect(await d1Counts(v)).toEqual(after);
    }
  });
});
