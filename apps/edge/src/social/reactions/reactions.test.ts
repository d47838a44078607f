/**
 * Video reactions over HTTP with real profiles and tokens: exact counts under concurrency, who sees
 * dislike counts, who may react at all, sharded videos, stats per day, and what follows deletions.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { api, apiJson, eventually, type SeededAccount, seedAccount } from "../../../test/harness";
import { SHARDS_KV_PREFIX, shardOf } from "./shards";
import {
  d1Counts,
  flushNow,
  indexRows,
  insertProfiles,
  insertVideo,
  seedProfiles,
  shard,
  utcDay,
} from "./test-utils";

interface State {
  value: "like" | "dislike" | null;
  likes: number;
  dislikes?: number;
}
interface Counts {
  likes: number;
  dislikes?: number;
  mine: "like" | "dislike" | null;
}

const reaction = (videoId: string) => `/api/v1/videos/${videoId}/reaction`;
const reactions = (videoId: string) => `/api/v1/videos/${videoId}/reactions`;
const react = (videoId: string, token: string, value: "like" | "dislike") =>
  apiJson<State>(reaction(videoId), 200, { method: "PUT", token, json: { value } });

let owner: SeededAccount;
let viewer: SeededAccount;

beforeAll(async () => {
  [owner, viewer] = await Promise.all([
    seedAccount({ tag: "rxowner", channel: true }),
    seedAccount({ tag: "rxviewer" }),
  ]);
});

describe("video reactions over HTTP", () => {
  it("counts 50 concurrent likes from 50 real profiles exactly, in the object and then in D1", async () => {
    const videoId = await insertVideo(owner);
    const fans = await seedProfiles(50);
    expect(new Set(fans.map((f) => f.id)).size).toBe(50);
    const answers = await Promise.all(fans.map((f) => react(videoId, f.token, "like")));
    expect(answers.every((a) => a.value === "like" && a.dislikes === undefined)).toBe(true);
    expect(Math.max(...answers.map((a) => a.likes))).toBe(50);
    expect(await apiJson<Counts>(reactions(videoId), 200)).toEqual({ likes: 50, mine: null });
    await eventually(async () => (await d1Counts(videoId))?.likes === 50, 10_000);
  });

  it("counts 50 concurrent repeats from one profile once", async () => {
    const videoId = await insertVideo(owner);
    const answers = await Promise.all(
      Array.from({ length: 50 }, () => react(videoId, viewer.accessToken, "like")),
    );
    expect(answers.every((a) => a.likes === 1 && a.value === "like")).toBe(true);
    expect(await apiJson<Counts>(reactions(videoId), 200, { token: viewer.accessToken })).toEqual({
      likes: 1,
      mine: "like",
    });
  });

  it("like → dislike → clear leaves all counts at 0; clearing again is harmless", async () => {
    const videoId = await insertVideo(owner);
    expect(await react(videoId, owner.accessToken, "like")).toEqual({ value: "like", likes: 1, dislikes: 0 });
    expect(await react(videoId, owner.accessToken, "dislike")).toEqual({
      value: "dislike",
      likes: 0,
      dislikes: 1,
    });
    const del = () => apiJson<State>(reaction(videoId), 200, { method: "DELETE", token: owner.accessToken });
    expect(await del()).toEqual({ value: null, likes: 0, dislikes: 0 });
    expect(await del()).toEqual({ value: null, likes: 0, dislikes: 0 });
    await flushNow(videoId);
    expect(await d1Counts(videoId)).toEqual({ likes: 0, dislikes: 0 });
  });

  it("shows dislike counts to the video's owner (and admins) only", async () => {
    const videoId = await insertVideo(owner);
    const admin = await seedAccount({ tag: "rxadmin", roles: ["admin"] });
    expect(await react(videoId, viewer.accessToken, "dislike")).toEqual({ value: "dislike", likes: 0 });
    expect(await apiJson<Counts>(reactions(videoId), 200, { token: viewer.accessToken })).toEqual({
      likes: 0,
      mine: "dislike",
    });
    expect(await apiJson<Counts>(reactions(videoId), 200)).toEqual({ likes: 0, mine: null });
    expect(await apiJson<Counts>(reactions(videoId), 200, { token: owner.accessToken })).toEqual({
      likes: 0,
      dislikes: 1,
      mine: null,
    });
    expect(await apiJson<Counts>(reactions(videoId), 200, { token: admin.accessToken })).toMatchObject({
      dislikes: 1,
    });
  });

  it("refuses anonymous and bad-token callers (401) and profile-less tokens (403)", async () => {
    const videoId = await insertVideo(owner);
    for (const method of ["PUT", "DELETE"]) {
      const anon = await api(reaction(videoId), { method, json: { value: "like" } });
      expect(anon.status).toBe(401);
      expect(anon.headers.get("content-type")).toContain("application/problem+json");
      const bad = await api(reaction(videoId), { method, token: "not.a.token", json: { value: "like" } });
      expect(bad.status).toBe(401);
    }
    // A token whose profile was deleted has no profile to react as.
    const family = await seedAccount({ tag: "rxnoprofile", profiles: [{ name: "Gone" }] });
    const gone = family.profiles[1] as { id: string; token: string };
    await apiJson(`/api/v1/me/profiles/${gone.id}`, 204, { method: "DELETE", token: family.accessToken });
    const res = await api(reaction(videoId), { method: "PUT", token: gone.token, json: { value: "like" } });
    expect(res.status).toBe(403);
    expect(await apiJson<Counts>(reactions(videoId), 200)).toEqual({ likes: 0, mine: null });
  });

  it("hides videos the caller cannot see (404): private to others, deleted, unknown", async () => {
    const privateId = await insertVideo(owner, { visibility: "private" });
    const deletedId = await insertVideo(owner, { status: "deleted" });
    const unfinished = await insertVideo(owner, { status: "uploaded" });
    for (const id of [privateId, deletedId, unfinished, "vid_doesnotexist"]) {
      const put = await api(reaction(id), {
        method: "PUT",
        token: viewer.accessToken,
        json: { value: "like" },
      });
      expect(put.status).toBe(404);
      expect((await api(reaction(id), { method: "DELETE", token: viewer.accessToken })).status).toBe(404);
      expect((await api(reactions(id), { token: viewer.accessToken })).status).toBe(404);
    }
    // The owner sees, and may react to, their own private video.
    expect(await react(privateId, owner.accessToken, "like")).toMatchObject({ likes: 1 });
  });

  it("answers bad input with 400 problems", async () => {
    const videoId = await insertVideo(owner);
    for (const json of [{ value: "love" }, {}, { value: "like", extra: 1 }, { value: null }, "like"]) {
      const res = await api(reaction(videoId), { method: "PUT", token: viewer.accessToken, json });
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    const badId = await api(reaction("NOT AN ID"), {
      method: "PUT",
      token: viewer.accessToken,
      json: { value: "like" },
    });
    expect(badId.status).toBe(400);
  });

  it("keeps a sharded (N=4, from KV) hot video exact, with D1 holding the sum", async () => {
    const videoId = await insertVideo(owner);
    await env.SETTINGS.put(`${SHARDS_KV_PREFIX}${videoId}`, "4");
    const fans = await seedProfiles(40, "rxshard");
    expect(new Set(fans.map((f) => shardOf(f.id, 4))).size).toBeGreaterThan(1);
    await Promise.all([
      ...fans.slice(0, 30).map((f) => react(videoId, f.token, "like")),
      ...fans.slice(30).map((f) => react(videoId, f.token, "dislike")),
      ...Array.from({ length: 20 }, () => react(videoId, (fans[0] as { token: string }).token, "like")),
    ]);
    expect(await apiJson<Counts>(reactions(videoId), 200, { token: owner.accessToken })).toEqual({
      likes: 30,
      dislikes: 10,
      mine: null,
    });
    // Each profile is in exactly its home shard.
    const f0 = fans[0] as { id: string };
    const home = shard(videoId, shardOf(f0.id, 4), 4);
    expect((await home.stub.get(home.at, f0.id)).value).toBe("like");
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
    await react(videoId, viewer.accessToken, "like");
    await flushNow(videoId);
    const stats = await apiJson<{
      from: string;
      to: string;
      days: { day: string; likes: number; dislikes: number; net: number }[];
      totals: { likes: number; dislikes: number; net: number };
    }>(`${reactions(videoId)}/stats?days=7`, 200, { token: owner.accessToken });
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
    const statsPath = `${reactions(videoId)}/stats`;
    expect((await api(statsPath)).status).toBe(401);
    expect((await api(statsPath, { token: viewer.accessToken })).status).toBe(403);
    const privateId = await insertVideo(owner, { visibility: "private" });
    expect((await api(`${reactions(privateId)}/stats`, { token: viewer.accessToken })).status).toBe(404);
    for (const days of ["0", "366", "x", "1.5"]) {
      expect((await api(`${statsPath}?days=${days}`, { token: owner.accessToken })).status).toBe(400);
    }
  });

  it("wipes a deleted video's reaction objects", async () => {
    const videoId = await insertVideo(owner);
    await react(videoId, viewer.accessToken, "like");
    await apiJson(`/api/v1/videos/${videoId}`, 204, { method: "DELETE", token: owner.accessToken });
    const { at, stub } = shard(videoId);
    await eventually(async () => (await stub.counts(at)).likes === 0, 10_000);
    expect((await stub.get(at, viewer.profileId)).value).toBeNull();
    await eventually(async () => Object.keys(await indexRows(videoId)).length === 0, 10_000);
  });
});
