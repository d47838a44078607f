import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { testDb } from "../../test/fixtures";
import { api, apiJson, listPages, seedAccount, seedCastBeforeAll } from "../../test/harness";
import { storedVideo } from "../catalog/test-utils";
import { profileAffinities, videos } from "../db/schema";
import {
  affinityCount,
  beacon,
  type Entry,
  entry,
  history,
  sendBeacons,
  storedBeacons,
  videoCounters,
  watchSession,
} from "./test-utils";

const cast = seedCastBeforeAll("histcreator", { creator: { channel: true } });

describe("history", () => {
  it("lists most recent first, page by page, without repeats", async () => {
    const viewer = await seedAccount({ tag: "histpages" });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const videoId = await storedVideo(cast.creator);
      ids.push(videoId);
      await sendBeacons(viewer.accessToken, [
        beacon({ videoId, kind: "start", positionMs: 0, at: Date.now() - (10 - i) * 60_000 }),
      ]);
    }
    const pages = await listPages<Entry>("/api/v1/me/history", viewer.accessToken);
    const seen = pages.flatMap((page) => page.items.map((e) => e.video.id));
    expect(pages).toHaveLength(3);
    expect(seen).toEqual([...ids].reverse());
    expect((await api("/api/v1/me/history?cursor=garbage!", { token: viewer.accessToken })).status).toBe(400);
    expect(
      (await api("/api/v1/me/history?cursor=eyJrIjoiZmVlZCJ9", { token: viewer.accessToken })).status,
    ).toBe(400);
  });

  it("removes one entry, then clears everything (and the taste learned from it)", async () => {
    const viewer = await seedAccount({ tag: "histdelete" });
    const [a, b] = await Promise.all([storedVideo(cast.creator), storedVideo(cast.creator)]);
    await sendBeacons(viewer.accessToken, [...watchSession(a, 30_000), ...watchSession(b, 30_000)]);
    const listed = (await history(viewer.accessToken)).items;
    expect(listed).toHaveLength(2);
    // Enough for a progress bar on each card: where the profile stopped, and the video's length.
    for (const item of listed)
      expect(item).toMatchObject({ positionMs: 30_000, video: { durationMs: 600_000 } });

    expect(
      (await api(`/api/v1/me/history/${a}`, { method: "DELETE", token: viewer.accessToken })).status,
    ).toBe(204);
    // Gone now: a second removal is 404, as is removing a video the profile never watched (which
    // tells nothing about whether that video exists).
    expect(
      (await api(`/api/v1/me/history/${a}`, { method: "DELETE", token: viewer.accessToken })).status,
    ).toBe(404);
    const neverWatched = await storedVideo(cast.creator, { visibility: "private" });
    expect(
      (await api(`/api/v1/me/history/${neverWatched}`, { method: "DELETE", token: viewer.accessToken }))
        .status,
    ).toBe(404);
    expect((await history(viewer.accessToken)).items.map((e) => e.video.id)).toEqual([b]);
    expect((await entry(viewer.accessToken, a)).status).toBe(404);
    const unknown = await api("/api/v1/me/history/vid_nosuchvideo", {
      method: "DELETE",
      token: viewer.accessToken,
    });
    expect(unknown.status).toBe(404);
    const wrongMethod = await api("/api/v1/me/history/settings", {
      method: "DELETE",
      token: viewer.accessToken,
    });
    expect(wrongMethod.status).toBe(405);
    const naming = await testDb().$count(
      profileAffinities,
      and(eq(profileAffinities.profileId, viewer.profileId), eq(profileAffinities.lastVideoId, a)),
    );
    expect(naming).toBe(0);

    expect((await api("/api/v1/me/history", { method: "DELETE", token: viewer.accessToken })).status).toBe(
      204,
    );
    expect((await history(viewer.accessToken)).items).toEqual([]);
    expect(await affinityCount(viewer.profileId)).toBe(0);
    // The raw beacons stay (analytics) until the profile is deleted.
    expect(await storedBeacons(viewer.profileId)).toBe(4);
  });

  it("paused history still stores beacons and counts views, but records nothing in history or taste", async () => {
    const viewer = await seedAccount({ tag: "histpause" });
    const token = viewer.accessToken;
    expect(await apiJson("/api/v1/me/history/settings", 200, { token })).toEqual({ paused: false });
    expect(
      await apiJson("/api/v1/me/history/settings", 200, { method: "PUT", token, json: { paused: true } }),
    ).toEqual({ paused: true });
    expect(await apiJson("/api/v1/me/history/settings", 200, { token })).toEqual({ paused: true });

    const videoId = await storedVideo(cast.creator);
    expect(await sendBeacons(token, watchSession(videoId, 60_000))).toMatchObject({ accepted: 3 });
    expect((await history(token)).items).toEqual([]);
    expect((await entry(token, videoId)).status).toBe(404);
    expect(await affinityCount(viewer.profileId)).toBe(0);
    expect(await storedBeacons(viewer.profileId)).toBe(3);
    expect(await videoCounters(videoId)).toMatchObject({ views: 1, dayWatched: 60_000 });

    await apiJson("/api/v1/me/history/settings", 200, { method: "PUT", token, json: { paused: false } });
    await sendBeacons(token, watchSession(videoId, 30_000));
    expect((await history(token)).items.map((e) => e.video.id)).toEqual([videoId]);
    const bad = await api("/api/v1/me/history/settings", { method: "PUT", token, json: { paused: "yes" } });
    expect(bad.status).toBe(400);
  });

  it("a kids profile's history never shows a video rated above kids", async () => {
    const family = await seedAccount({ tag: "histkids", profiles: [{ name: "Kid", maturity: "kids" }] });
    const kid = family.profiles[1]?.token as string;
    const videoId = await storedVideo(cast.creator, { maturity: "kids" });
    await sendBeacons(kid, watchSession(videoId, 30_000));
    expect((await history(kid)).items.map((e) => e.video.maturity)).toEqual(["kids"]);
    // The creator re-rates it: it leaves the kid's history (and cannot be resumed there).
    await testDb().update(videos).set({ maturity: "teen" }).where(eq(videos.id, videoId));
    expect((await history(kid)).items).toEqual([]);
    expect((await entry(kid, videoId)).status).toBe(404);
  });

  it("is per profile and needs a live profile", async () => {
    const family = await seedAccount({ tag: "histper", profiles: [{ name: "Other" }] });
    const videoId = await storedVideo(cast.creator);
    await sendBeacons(family.accessToken, watchSession(videoId, 30_000));
    expect((await history(family.profiles[1]?.token as string)).items).toEqual([]);
    expect((await api("/api/v1/me/history")).status).toBe(401);
    expect((await api("/api/v1/me/history/settings")).status).toBe(401);
  });
});
