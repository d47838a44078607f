import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { insertVideo, lowerId } from "../../test/fixtures";
import { seedAccount } from "../../test/harness";
import { mediaCacheKey } from "../playback/media-cache";
import { generationKey } from "../playback/revocation";
import { sweepOrphans } from "./orphans";

const vid = () => lowerId("vid", "hk");

describe("storage housekeeping", () => {
  it("sweeps folders with no live video row and keeps live ones", async () => {
    const owner = await seedAccount({ tag: "sweep", channel: true });
    const live = vid();
    const gone = vid();
    const deleted = vid();
    await insertVideo(owner, { id: live });
    await insertVideo(owner, { id: deleted, status: "deleted" });
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
