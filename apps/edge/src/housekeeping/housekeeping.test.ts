import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { eventually, seedAccount, unique } from "../../test/harness";
import { publishEvent } from "../events/publish";
import { mediaCacheKey } from "../playback/media-cache";
import { generationKey } from "../playback/revocation";
import { sweepOrphans } from "./orphans";
import { deletePrefix } from "./storage";

const vid = () =>
  `vid_${unique("hk")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")}`;

async function insertVideo(id: string, accountId: string, channelId: string, status = "ready") {
  await env.DB.prepare(
    `INSERT INTO videos (id, channel_id, account_id, title, status, source_key, source_size, source_type)
     VALUES (?, ?, ?, 'T', ?, ?, 1, 'video/mp4')`,
  )
    .bind(id, channelId, accountId, status, `videos/${id}/source`)
    .run();
}

describe("storage housekeeping", () => {
  it("deletes everything under a video's folder, across pages, and nothing beside it", async () => {
    const a = vid();
    const b = vid();
    await Promise.all(
      Array.from({ length: 1205 }, (_, i) => env.MEDIA.put(`videos/${a}/hls/720p/seg_${i}.m4s`, "x")),
    );
    await env.MEDIA.put(`videos/${b}/source`, "keep me");
    expect(await deletePrefix(env.MEDIA, `videos/${a}/`)).toBe(1205);
    expect((await env.MEDIA.list({ prefix: `videos/${a}/` })).objects).toHaveLength(0);
    expect(await env.MEDIA.head(`videos/${b}/source`)).not.toBeNull();
    await expect(deletePrefix(env.MEDIA, "videos")).rejects.toThrow();
  });

  it("sweeps folders with no live video row and keeps live ones", async () => {
    const owner = await seedAccount({ tag: "sweep", channel: true });
    const live = vid();
    const gone = vid();
    const deleted = vid();
    await insertVideo(live, owner.accountId, owner.channelId ?? "");
    await insertVideo(deleted, owner.accountId, owner.channelId ?? "", "deleted");
    for (const id of [live, gone, deleted]) await env.MEDIA.put(`videos/${id}/hls/master.m3u8`, "#EXTM3U");
    await caches.default.put(
      mediaCacheKey(`videos/${gone}/hls/master.m3u8`),
      new Response("#EXTM3U", { headers: { "cache-control": "max-age=3600" } }),
    );
    expect(await caches.default.match(mediaCacheKey(`videos/${gone}/hls/master.m3u8`))).toBeTruthy();
    const removed: string[] = [];
    let cursor: string | null = null;
    do {
      const run = await sweepOrphans(env, cursor, 50);
      removed.push(...run.removed);
      cursor = run.cursor;
    } while (cursor);
    expect(removed).toContain(gone);
    expect(removed).toContain(deleted);
    expect(removed).not.toContain(live);
    expect(await env.MEDIA.head(`videos/${live}/hls/master.m3u8`)).not.toBeNull();
    expect(await env.MEDIA.head(`videos/${gone}/hls/master.m3u8`)).toBeNull();
    // A row that vanished (an account's deletion cascades) had no DELETE to revoke its links: the
    // sweep does, and drops what this data centre cached.
    expect(Number(await env.SETTINGS.get(generationKey(gone)))).toBeGreaterThan(0);
    expect(await env.SETTINGS.get(generationKey(live))).toBeNull();
    expect(await caches.default.match(mediaCacheKey(`videos/${gone}/hls/master.m3u8`))).toBeUndefined();
  });
});

describe("video deletion cleanup", () => {
  it("removes a deleted video's media when video.deleted is consumed", async () => {
    const id = vid();
    await env.MEDIA.put(`videos/${id}/hls/master.m3u8`, "#EXTM3U");
    await env.MEDIA.put(`videos/${id}/source`, "bytes");
    await publishEvent(env, "video.deleted", { videoId: id, channelId: "chn_x" });
    await eventually(
      async () => (await env.MEDIA.list({ prefix: `videos/${id}/` })).objects.length === 0,
      15_000,
    );
  });
});
