import { describe, expect, it } from "vitest";
import { insertBillingSubscription } from "../../test/fixtures";
import { api, apiJson, seedAccount, storeReadyVideo, TEST_MASTER } from "../../test/harness";
import { filterMasterPlaylist } from "./playlists";

const playback = (id: string, token?: string) =>
  apiJson<{
    manifestUrl: string;
    maxHeight: number;
    growing: boolean;
    sourceHeight: number | null;
    streamId: string | null;
    heartbeatSeconds: number | null;
  }>(`/api/v1/videos/${id}/playback`, 200, { token });
const mediaPath = (url: string) => new URL(url).pathname;

describe("playback", () => {
  it("answers a signed manifest whose master lists the renditions the plan allows: free 720p, standard 1080p", async () => {
    const owner = await seedAccount({ tag: "pbowner", channel: true });
    const id = await storeReadyVideo(owner);
    // Anonymous = the free plan: up to 720p, though the video has 1080p (sourceHeight says so).
    const pb = await playback(id);
    expect(pb.maxHeight).toBe(720);
    expect(pb.sourceHeight).toBe(1080);
    expect(pb.streamId).toBeNull();
    expect(pb.heartbeatSeconds).toBeNull();
    const master = await api(mediaPath(pb.manifestUrl));
    expect(master.status).toBe(200);
    expect(master.headers.get("content-type")).toBe("application/vnd.apple.mpegurl");
    const text = await master.text();
    expect(text).not.toContain("1080p/playlist.m3u8");
    expect(text).toContain("720p/playlist.m3u8");
    expect(text).toContain("#EXT-X-INDEPENDENT-SEGMENTS");
    expect((await api(mediaPath(pb.manifestUrl).replace("master.m3u8", "1080p/seg_00001.m4s"))).status).toBe(
      403,
    );

    // A standard subscriber gets 1080p, and holds a stream.
    const viewer = await seedAccount({ tag: "pbstd" });
    await insertBillingSubscription(viewer.accountId, { planId: "standard" });
    const std = await playback(id, viewer.accessToken);
    expect(std.maxHeight).toBe(1080);
    expect(std.streamId).toMatch(/^stream_/);
    expect(std.heartbeatSeconds).toBe(30);
    expect(await (await api(mediaPath(std.manifestUrl))).text()).toContain("1080p/playlist.m3u8");
  });

  it("caps at 480p with Save-Data, in the master and for direct rendition requests", async () => {
    const owner = await seedAccount({ tag: "pbsave", channel: true });
    const id = await storeReadyVideo(owner);
    const path = mediaPath((await playback(id)).manifestUrl);
    const text = await (await api(path, { headers: { "save-data": "on" } })).text();
    expect(text).not.toContain("1080p");
    expect(text).not.toContain("720p");
    expect(text).toContain("480p/playlist.m3u8");
    expect(text).toContain("360p/playlist.m3u8");
    const direct = await api(path.replace("master.m3u8", "720p/seg_00001.m4s"), {
      headers: { "save-data": "on" },
    });
    expect(direct.status).toBe(403);
  });

  it("filters a master playlist to a 720p cap, keeping the audio group", () => {
    const { playlist, kept } = filterMasterPlaylist(TEST_MASTER, 720);
    expect(kept).toBe(3);
    expect(playlist).not.toContain("1080p");
    expect(playlist).toContain('URI="audio/playlist.m3u8"');
  });

  it("serves segments immutable through the cache, and byte ranges as 206", async () => {
    const owner = await seedAccount({ tag: "pbseg", channel: true });
    const id = await storeReadyVideo(owner);
    const seg = mediaPath((await playback(id)).manifestUrl).replace("master.m3u8", "720p/seg_00001.m4s");
    const first = await api(seg);
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(first.headers.get("content-type")).toBe("video/iso.segment");
    expect((await first.arrayBuffer()).byteLength).toBe(1000);
    // The cache write happens after the response; a later request is a hit.
    let cached = "";
    for (let i = 0; i < 20 && cached !== "hit"; i++) {
      cached = (await api(seg)).headers.get("x-marquee-cache") ?? "";
    }
    expect(cached).toBe("hit");
    const part = await api(seg, { headers: { range: "bytes=10-19" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe("bytes 10-19/1000");
    expect([...new Uint8Array(await part.arrayBuffer())]).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect((await api(seg, { headers: { range: "bytes=5000-" } })).status).toBe(416);
  });

  it("never caches a playlist that is still growing", async () => {
    const owner = await seedAccount({ tag: "pbgrow", channel: true });
    const id = await storeReadyVideo(owner, { status: "processing", playable: true, finished: false });
    const pb = await playback(id);
    expect(pb.growing).toBe(true);
    const base = mediaPath(pb.manifestUrl);
    expect((await api(base)).headers.get("cache-control")).toBe("no-store");
    const variantRes = await api(base.replace("master.m3u8", "720p/playlist.m3u8"));
    expect(variantRes.headers.get("cache-control")).toBe("no-store");
    expect(await variantRes.text()).not.toContain("#EXT-X-ENDLIST");
  });

  it("refuses tampered, foreign and expired tokens", async () => {
    const owner = await seedAccount({ tag: "pbtok", channel: true });
    const a = await storeReadyVideo(owner);
    const b = await storeReadyVideo(owner);
    const path = mediaPath((await playback(a)).manifestUrl);
    const token = path.split("/")[3] ?? "";
    expect(
      (await api(path.replace(token, `${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}`))).status,
    ).toBe(403);
    expect((await api(path.replace(a, b))).status).toBe(403);
    // Raising the height cap inside the token breaks its signature.
    const [exp, height, gen, sig] = token.split(".");
    expect((await api(path.replace(token, `${exp}.1o0.${gen}.${sig}`))).status).toBe(403);
    // Moving the generation forward (past a revocation) breaks it too, as does a second spelling.
    const later = (Number.parseInt(gen ?? "0", 36) + 1).toString(36);
    expect((await api(path.replace(token, `${exp}.${height}.${later}.${sig}`))).status).toBe(403);
    expect((await api(path.replace(token, `0${exp}.${height}.${gen}.${sig}`))).status).toBe(403);
    const expired = `${(Math.floor(Date.now() / 1000) - 10).toString(36)}.${height}.${gen}.${sig}`;
    expect((await api(path.replace(token, expired))).status).toBe(403);
    expect((await api(path.replace("hls/master.m3u8", "source"))).status).toBe(404);
  });

  it("respects visibility: private for the owner only, unlisted by link, premium for premium plans", async () => {
    const owner = await seedAccount({ tag: "pbvis", channel: true });
    const stranger = await seedAccount({ tag: "pbstranger" });
    const priv = await storeReadyVideo(owner, { visibility: "private" });
    expect((await api(`/api/v1/videos/${priv}/playback`, { token: stranger.accessToken })).status).toBe(404);
    expect((await api(`/api/v1/videos/${priv}/playback`)).status).toBe(404);
    await apiJson(`/api/v1/videos/${priv}/playback`, 200, { token: owner.accessToken });

    const unlisted = await storeReadyVideo(owner, { visibility: "unlisted" });
    await apiJson(`/api/v1/videos/${unlisted}/playback`, 200);

    const premium = await storeReadyVideo(owner, { visibility: "premium" });
    const refused = await api(`/api/v1/videos/${premium}/playback`, { token: stranger.accessToken });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ code: "plan_required", requiredPlan: "premium" });
    // Standard has no premium videos either; premium has.
    await insertBillingSubscription(stranger.accountId, { planId: "standard" });
    expect((await api(`/api/v1/videos/${premium}/playback`, { token: stranger.accessToken })).status).toBe(
      403,
    );
    await insertBillingSubscription(stranger.accountId, { planId: "premium" });
    const pb = await playback(premium, stranger.accessToken);
    expect(pb.maxHeight).toBe(2160);
  });

  it("hides videos that are not playable from everyone but the owner, and says why to the owner", async () => {
    const owner = await seedAccount({ tag: "pbwait", channel: true });
    const id = await storeReadyVideo(owner, { status: "processing", playable: false, finished: false });
    expect((await api(`/api/v1/videos/${id}/playback`)).status).toBe(404);
    const res = await api(`/api/v1/videos/${id}/playback`, { token: owner.accessToken });
    expect(res.status).toBe(409);
    const deleted = await storeReadyVideo(owner, { status: "deleted" });
    expect((await api(`/api/v1/videos/${deleted}/playback`, { token: owner.accessToken })).status).toBe(404);
  });
});
