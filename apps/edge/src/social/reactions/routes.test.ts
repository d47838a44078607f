/**
 * Video reactions over HTTP with real profiles and tokens: exact counts under concurrency, who sees
 * dislike counts, who may react at all, sharded videos, stats per day, and what follows deletions.
 * (Comment reactions: comment-reactions.test.ts.)
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { insertVideo } from "../../../test/fixtures";
import {
  api,
  apiJson,
  BASE,
  eventually,
  type SeededAccount,
  type SeededProfile,
  seedAccount,
} from "../../../test/harness";
import { createApp } from "../../app";
import { utcDay } from "./shard-protocol";
import { SHARDS_KV_PREFIX, shardOf } from "./shards";
import {
  d1Counts,
  deleteProfile,
  flushNow,
  indexRows,
  insertProfiles,
  ownerAndViewer,
  putReaction,
  reactToVideo,
  seedProfiles,
  shard,
  videoCounts,
  videoReaction,
  videoReactions,
} from "./test-utils";

let owner: SeededAccount;
let viewer: SeededAccount;

beforeAll(async () => {
  ({ owner, viewer } = await ownerAndViewer("rx"));
});

describe("video reactions over HTTP", () => {
  it("counts 50 concurrent likes from 50 real profiles exactly, in the object and then in D1", async () => {
    const videoId = await insertVideo(owner);
    const fans = await seedProfiles(50);
    expect(new Set(fans.map((f) => f.id)).size).toBe(50);
    const answers = await Promise.all(fans.map((f) => reactToVideo(videoId, f.token, "like")));
    expect(answers.every((a) => a.value === "like" && a.dislikes === undefined)).toBe(true);
    expect(Math.max(...answers.map((a) => a.likes))).toBe(50);
    expect(await videoCounts(videoId)).toEqual({ likes: 50, mine: null });
    await eventually(async () => (await d1Counts(videoId))?.likes === 50, 10_000);
  });

  it("counts 50 concurrent repeats from one profile once", async () => {
    const videoId = await insertVideo(owner);
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => reactToVideo(videoId, viewer.accessToken, "like")),
    );
    expect(answers.every((a) => a.likes === 1 && a.value === "like")).toBe(true);
    expect(await videoCounts(videoId, viewer.accessToken)).toEqual({
      likes: 1,
      mine: "like",
    });
  });

  it("like → dislike → clear leaves all counts at 0; clearing again is harmless", async () => {
    const videoId = await insertVideo(owner);
    expect(await reactToVideo(videoId, owner.accessToken, "like")).toEqual({
      value: "like",
      likes: 1,
      dislikes: 0,
    });
    expect(await reactToVideo(videoId, owner.accessToken, "dislike")).toEqual({
      value: "dislike",
      likes: 0,
      dislikes: 1,
    });
    const del = () => reactToVideo(videoId, owner.accessToken, null);
    expect(await del()).toEqual({ value: null, likes: 0, dislikes: 0 });
    expect(await del()).toEqual({ value: null, likes: 0, dislikes: 0 });
    await flushNow(videoId);
    expect(await d1Counts(videoId)).toEqual({ likes: 0, dislikes: 0 });
  });

  it("shows dislike counts to the video's owner (and admins) only", async () => {
    const videoId = await insertVideo(owner);
    const admin = await seedAccount({ tag: "rxadmin", roles: ["admin"] });
    expect(await reactToVideo(videoId, viewer.accessToken, "dislike")).toEqual({
      value: "dislike",
      likes: 0,
    });
    expect(await videoCounts(videoId, viewer.accessToken)).toEqual({
      likes: 0,
      mine: "dislike",
    });
    expect(await videoCounts(videoId)).toEqual({ likes: 0, mine: null });
    expect(await videoCounts(videoId, owner.accessToken)).toEqual({
      likes: 0,
      dislikes: 1,
      mine: null,
    });
    expect(await videoCounts(videoId, admin.accessToken)).toMatchObject({
      dislikes: 1,
    });
  });

  it("refuses anonymous and bad-token callers (401) and profile-less tokens (403)", async () => {
    const videoId = await insertVideo(owner);
    for (const method of ["PUT", "DELETE"]) {
      const anon = await api(videoReaction(videoId), { method, json: { value: "like" } });
      expect(anon.status).toBe(401);
      expect(anon.headers.get("content-type")).toContain("application/problem+json");
      const bad = await api(videoReaction(videoId), {
        method,
        token: "not.a.token",
        json: { value: "like" },
      });
      expect(bad.status).toBe(401);
    }
    // A token whose profile was deleted has no profile to react as.
    const family = await seedAccount({ tag: "rxnoprofile", profiles: [{ name: "Gone" }] });
    const gone = family.profiles[1] as { id: string; token: string };
    await deleteProfile(family, gone.id);
    expect((await putReaction(videoReaction(videoId), gone.token)).status).toBe(403);
    expect(await videoCounts(videoId)).toEqual({ likes: 0, mine: null });
  });

  it("hides videos the caller cannot see (404): private to others, deleted, unknown", async () => {
    const privateId = await insertVideo(owner, { visibility: "private" });
    const deletedId = await insertVideo(owner, { status: "deleted" });
    const unfinished = await insertVideo(owner, { status: "uploaded" });
    for (const id of [privateId, deletedId, unfinished, "vid_doesnotexist"]) {
      expect((await putReaction(videoReaction(id), viewer.accessToken)).status).toBe(404);
      expect((await api(videoReaction(id), { method: "DELETE", token: viewer.accessToken })).status).toBe(
        404,
      );
      expect((await api(videoReactions(id), { token: viewer.accessToken })).status).toBe(404);
    }
    // The owner sees, and may react to, their own private video.
    expect(await reactToVideo(privateId, owner.accessToken, "like")).toMatchObject({ likes: 1 });
  });

  it("answers bad input with 400 problems", async () => {
    const videoId = await insertVideo(owner);
    for (const json of [{ value: "love" }, {}, { value: "like", extra: 1 }, { value: null }, "like"]) {
      const res = await api(videoReaction(videoId), { method: "PUT", token: viewer.accessToken, json });
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect((await putReaction(videoReaction("NOT AN ID"), viewer.accessToken)).status).toBe(400);
  });

  it("keeps a sharded (N=4, from KV) hot video exact, with D1 holding the sum", async () => {
    const videoId = await insertVideo(owner);
    await env.SETTINGS.put(`${SHARDS_KV_PREFIX}${videoId}`, "4");
    const fans = await seedProfiles(40, "rxshard");
    expect(new Set(fans.map((f) => shardOf(f.id, 4))).size).toBeGreaterThan(1);
    await Promise.all([
      ...fans.slice(0, 30).map((f) => reactToVideo(videoId, f.token, "like")),
      ...fans.slice(30).map((f) => reactToVideo(videoId, f.token, "dislike")),
      ...Array.from({ length: 20 }, () =>
        reactToVideo(videoId, (fans[0] as { token: string }).token, "like"),
      ),
    ]);
    expect(await videoCounts(videoId, owner.accessToken)).toEqual({
      likes: 30,
      dislikes: 10,
      mine: null,
    });
    // Each profile is in exactly its home shard.
    const f0 = fans[0] as { id: string };
    const home = shard(videoId, shardOf(f0.id, 4), 4);
    expect(await home.stub.get(home.at, f0.id)).toMatchObject({ value: "like" });
    await eventually(async () => {
      const c = await d1Counts(videoId);
      return c?.likes === 30 && c.dislikes === 10;
    }, 15_000);
  });

  it("gives the owner likes, dislikes and net per day; others are refused", async () => {
    const videoId = await insertVideo(owner);
    const { at, stub } = shard(videoId);
    const now = Date.now();
    const twoDaysAgo = now - 2 * 86_400_000;
    const [s1, s2, s3] = (await insertProfiles(3, "stats")) as [string, string, string];
    await stub.react(at, s1, "like", twoDaysAgo);
    await stub.react(at, s2, "like", twoDaysAgo);
    await stub.react(at, s3, "dislike", twoDaysAgo);
    await reactToVideo(videoId, viewer.accessToken, "like");
    await flushNow(videoId);
    const stats = await apiJson<{
      from: string;
      to: string;
      days: { day: string; likes: number; dislikes: number; net: number }[];
      totals: { likes: number; dislikes: number; net: number };
    }>(`${videoReactions(videoId)}/stats?days=7`, 200, { token: owner.accessToken });
    expect(stats.days).toHaveLength(7);
    expect(stats.to).toBe(utcDay(now));
    expect(stats.days.find((d) => d.day === utcDay(twoDaysAgo))).toEqual({
      day: utcDay(twoDaysAgo),
      likes: 2,
      dislikes: 1,
      net: 1,
    });
    expect(stats.days.at(-1)).toEqual({ day: utcDay(now), likes: 1, dislikes: 0, net: 1 });
    expect(stats.totals).toEqual({ likes: 3, dislikes: 1, net: 2 });
    const statsPath = `${videoReactions(videoId)}/stats`;
    expect((await api(statsPath)).status).toBe(401);
    expect((await api(statsPath, { token: viewer.accessToken })).status).toBe(403);
    const privateId = await insertVideo(owner, { visibility: "private" });
    expect((await api(`${videoReactions(privateId)}/stats`, { token: viewer.accessToken })).status).toBe(404);
    for (const days of ["0", "366", "x", "1.5"]) {
      expect((await api(`${statsPath}?days=${days}`, { token: owner.accessToken })).status).toBe(400);
    }
  });

  it("mirrors reactions into the D1 index within seconds: like → row, switch → value changes, clear → row gone", async () => {
    const videoId = await insertVideo(owner);
    const fan = await seedAccount({ tag: "rxeidx", profiles: [{}] });
    const [a, b] = fan.profiles as [SeededProfile, SeededProfile];
    await reactToVideo(videoId, a.token, "like");
    await reactToVideo(videoId, b.token, "like");
    await eventually(async () => (await indexRows(videoId))[b.id] === "like", 5000);
    expect(await indexRows(videoId)).toEqual({ [a.id]: "like", [b.id]: "like" });
    await reactToVideo(videoId, a.token, "dislike");
    await eventually(async () => (await indexRows(videoId))[a.id] === "dislike", 5000);
    await reactToVideo(videoId, b.token, null);
    await eventually(async () => !(await indexRows(videoId))[b.id], 5000);
    expect(await indexRows(videoId)).toEqual({ [a.id]: "dislike" });
  });

  it("wipes a deleted video's reaction objects", async () => {
    const videoId = await insertVideo(owner);
    await reactToVideo(videoId, viewer.accessToken, "like");
    await apiJson(`/api/v1/videos/${videoId}`, 204, { method: "DELETE", token: owner.accessToken });
    const { at, stub } = shard(videoId);
    await eventually(async () => {
      const counts = await stub.counts(at);
      return counts.ok && counts.likes === 0;
    }, 10_000);
    expect(await stub.get(at, viewer.profileId)).toMatchObject({ value: null });
    await eventually(async () => Object.keys(await indexRows(videoId)).length === 0, 10_000);
  });
});

describe("benchmark routes", () => {
  it("are not in the production app, whatever its vars (they live in apps/edge/bench/worker.ts)", async () => {
    const videoId = await insertVideo(owner);
    const paths = [
      `/api/v1/dev/bench/videos/${videoId}/naive-like`,
      `/api/v1/dev/bench/videos/${videoId}/store-like?store=d1`,
      `/api/v1/dev/bench/videos/${videoId}/store-like?store=do`,
    ];
    // The tests' vars, `bun run dev`'s, and the switch that used to mount them.
    for (const vars of [{}, { APP_ENV: "development" }, { APP_ENV: "development", BENCH_ROUTES: "1" }]) {
      for (const path of paths) {
        const res = await createApp().request(
          `${BASE}${path}`,
          {
            method: "PUT",
            headers: { authorization: `Bearer ${viewer.accessToken}`, "x-bench-profile": viewer.profileId },
          },
          { ...env, ...vars },
        );
        expect(res.status, path).toBe(404);
        expect(res.headers.get("content-type")).toContain("application/problem+json");
      }
    }
    expect(await d1Counts(videoId)).toEqual({ likes: 0, dislikes: 0 });
  });
});
