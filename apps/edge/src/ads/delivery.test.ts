// Server-side insertion end to end in workerd: the playback response's `ad`, the stitched media
// playlists (every rung and the audio), tracking fired by serving the ad's segments (once per
// session), and plans without ads (no ad anywhere).
import { and, eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { insertBillingSubscription, testDb } from "../../test/fixtures";
import { api, apiJson, eventually, seedAccount, storeReadyVideo } from "../../test/harness";
import { adEvents, videos } from "../db/schema";
import { AD_DURATION_MS, adScene, publicUrl } from "./delivery-fixtures";
import { campaignObject, sleep } from "./test-utils";

interface PlaybackJson {
  manifestUrl: string;
  ad: null | { sessionId: string; campaignId: string; durationMs: number; title: string; clickUrl: string };
}

const playback = (id: string, token?: string) =>
  apiJson<PlaybackJson>(`/api/v1/videos/${id}/playback`, 200, { token });

/** A path on this app for an absolute URL the API handed out (which must be on PUBLIC_URL). */
function pathOf(url: string): string {
  expect(url.startsWith(`${publicUrl()}/`), url).toBe(true);
  const u = new URL(url);
  return u.pathname + u.search;
}

const playlistOf = async (manifestUrl: string, rendition: string) => {
  const res = await api(pathOf(manifestUrl).replace("master.m3u8", `${rendition}/playlist.m3u8`));
  expect(res.status).toBe(200);
  return { res, text: await res.text() };
};

/** The ad's absolute URLs in a stitched playlist: [init, ...segments]. */
const adUrls = (text: string, creativeId: string) =>
  text
    .split("\n")
    .filter((l) => l.includes(`/media/${creativeId}/`))
    .map((l) => l.replace(/^#EXT-X-MAP:URI="|"$/g, ""));

describe("ad delivery in playback", () => {
  it("gives a free viewer's playback an ad, and stitches it into every rung and the audio", async () => {
    const scene = await adScene("adsfree", { title: 'Fresh "Lemonade"' });
    const viewer = await seedAccount({ tag: "adsfreeviewer" });
    const pb = await playback(scene.contentId, viewer.accessToken);
    expect(pb.ad).toMatchObject({
      campaignId: scene.campaign.campaignId,
      durationMs: AD_DURATION_MS,
      title: 'Fresh "Lemonade"',
    });
    expect(pb.ad?.sessionId).toMatch(/^ads_/);
    expect(pb.ad?.clickUrl.startsWith(`${publicUrl()}/api/v1/ads/click/`)).toBe(true);
    // The master is the content's own, unchanged.
    expect(await (await api(pathOf(pb.manifestUrl))).text()).not.toContain(scene.creativeVideoId);

    const { res, text } = await playlistOf(pb.manifestUrl, "720p");
    expect(res.headers.get("cache-control")).toBe("private, max-age=60");
    expect(res.headers.get("content-type")).toBe("application/vnd.apple.mpegurl");
    expect(text).toContain("#EXT-X-PLAYLIST-TYPE:VOD");
    const daterange = text.split("\n").find((l) => l.startsWith("#EXT-X-DATERANGE:")) ?? "";
    expect(daterange).toContain(`ID="ad-${pb.ad?.sessionId}"`);
    expect(daterange).toContain('CLASS="com.marquee.ad"');
    expect(daterange).toContain(",DURATION=15.200,");
    expect(daterange).toContain(`X-AD-ID="${scene.campaign.campaignId}"`);
    expect(daterange).toContain(`X-AD-TITLE="Fresh 'Lemonade'"`);
    // The playlist's click link is the playback response's, to the byte.
    expect(daterange).toContain(`X-AD-CLICK="${pb.ad?.clickUrl}"`);
    const urls = adUrls(text, scene.creativeVideoId);
    expect(urls).toHaveLength(5);
    for (const u of urls)
      expect(pathOf(u)).toMatch(new RegExp(`^/media/${scene.creativeVideoId}/[^/]+/hls/720p/`));
    // Then the content, as before: its own init after the discontinuity, relative.
    expect(text).toMatch(
      /#EXT-X-DISCONTINUITY\n#EXT-X-MAP:URI="init.mp4"\n#EXTINF:4.0,\nseg_00001.m4s\n#EXT-X-ENDLIST/,
    );

    // Rungs are matched per content rung (the ad has 720/480/360; free viewers stop at 720p).
    expect(adUrls((await playlistOf(pb.manifestUrl, "480p")).text, scene.creativeVideoId)[0]).toContain(
      "/hls/480p/init.mp4",
    );
    expect(adUrls((await playlistOf(pb.manifestUrl, "360p")).text, scene.creativeVideoId)[0]).toContain(
      "/hls/360p/init.mp4",
    );
    const audio = adUrls((await playlistOf(pb.manifestUrl, "audio")).text, scene.creativeVideoId);
    expect(audio[0]).toContain("/hls/audio/init.mp4");
    expect(audio).toHaveLength(5);
    // The ad's media is served with the ad-session link.
    for (const u of urls) expect((await api(pathOf(u), { method: "HEAD" })).status).toBe(200);
  });

  it("serving ad segment 1 twice bills one impression; the last segment counts complete once", async () => {
    const scene = await adScene("adsbill");
    const viewer = await seedAccount({ tag: "adsbillviewer" });
    const pb = await playback(scene.contentId, viewer.accessToken);
    const sessionId = pb.ad?.sessionId ?? "";
    const urls = adUrls((await playlistOf(pb.manifestUrl, "720p")).text, scene.creativeVideoId);
    const object = campaignObject(scene.campaign.campaignId);
    expect((await object.spend()).impressions).toBe(0);
    // Audio segments report nothing (the video rung is what is watched).
    const audio = adUrls((await playlistOf(pb.manifestUrl, "audio")).text, scene.creativeVideoId);
    expect((await api(pathOf(audio[1] ?? ""))).status).toBe(200);
    await sleep(200);
    expect((await object.spend()).impressions).toBe(0);

    const first = urls[1] ?? "";
    expect((await api(pathOf(first))).status).toBe(200);
    expect((await api(pathOf(first))).status).toBe(200);
    await eventually(async () => (await object.spend()).impressions === 1);
    const last = urls[urls.length - 1] ?? "";
    expect((await api(pathOf(last))).status).toBe(200);
    expect((await api(pathOf(last))).status).toBe(200);
    await sleep(300);
    const spend = await object.spend();
    expect(spend.impressions).toBe(1);
    expect(spend.spentMillicents).toBeGreaterThan(0);

    await object.flush();
    const rows = await testDb()
      .select({ type: adEvents.type })
      .from(adEvents)
      .where(and(eq(adEvents.sessionId, sessionId), eq(adEvents.campaignId, scene.campaign.campaignId)));
    // Segment 1: start (and firstQuartile, 3.8 s < 4 s); segment 4: complete. Not the middle ones.
    expect(rows.map((r) => r.type).sort()).toEqual(["complete", "firstQuartile", "start"]);
  });

  it("gives a premium viewer no ad: plain playlists, no ad in the response", async () => {
    const scene = await adScene("adsprem");
    const viewer = await seedAccount({ tag: "adspremviewer" });
    await insertBillingSubscription(viewer.accountId, { planId: "premium" });
    const pb = await playback(scene.contentId, viewer.accessToken);
    expect(pb.ad).toBeNull();
    for (const r of ["1080p", "720p", "audio"]) {
      const { text } = await playlistOf(pb.manifestUrl, r);
      expect(text).not.toContain("DATERANGE");
      expect(text).not.toContain(scene.creativeVideoId);
    }
    // The same content still gets an ad for a free viewer (the campaign is live).
    expect((await playback(scene.contentId)).ad?.campaignId).toBe(scene.campaign.campaignId);
  });

  it("gives no ad before content that is still processing, nor on the owner's preview of a private video", async () => {
    const scene = await adScene("adsnotready");
    const [category] = await testDb()
      .select({ id: videos.categoryId })
      .from(videos)
      .where(eq(videos.id, scene.contentId));
    const growing = await storeReadyVideo(scene.owner, {
      status: "processing",
      playable: true,
      finished: false,
    });
    const priv = await storeReadyVideo(scene.owner, { visibility: "private" });
    await testDb()
      .update(videos)
      .set({ categoryId: category?.id ?? null })
      .where(inArray(videos.id, [growing, priv]));
    const growingPb = await playback(growing);
    expect(growingPb.ad).toBeNull();
    expect((await playlistOf(growingPb.manifestUrl, "720p")).text).not.toContain("DATERANGE");
    expect((await playback(priv, scene.owner.accessToken)).ad).toBeNull();
    // The ready public video of the same category does get it (the campaign is live and targeted).
    expect((await playback(scene.contentId)).ad?.campaignId).toBe(scene.campaign.campaignId);
  });

  it("builds the ad's links on PUBLIC_URL even when the request names another host", async () => {
    const scene = await adScene("adshost");
    const pb = await playback(scene.contentId);
    const path = pathOf(pb.manifestUrl).replace("master.m3u8", "720p/playlist.m3u8");
    const res = await api(path, {
      headers: { host: "evil.example", "x-forwarded-host": "evil.example", forwarded: "host=evil.example" },
    });
    const text = await res.text();
    expect(text).not.toContain("evil.example");
    expect(adUrls(text, scene.creativeVideoId).every((u) => u.startsWith(`${publicUrl()}/media/`))).toBe(
      true,
    );
  });

  it("refuses the ad-session link on any other video, and an altered ad inside the content link", async () => {
    const scene = await adScene("adstok");
    const pb = await playback(scene.contentId);
    const adSeg = adUrls((await playlistOf(pb.manifestUrl, "720p")).text, scene.creativeVideoId)[1] ?? "";
    const adToken = pathOf(adSeg).split("/")[3] ?? "";
    // The creative's session link does not open the content (bound to the creative's id).
    expect((await api(`/media/${scene.contentId}/${adToken}/hls/720p/seg_00001.m4s`)).status).toBe(403);
    // The content link with its ad swapped for another session's id breaks the signature.
    const token = pathOf(pb.manifestUrl).split("/")[3] ?? "";
    const parts = token.split(".");
    parts[3] = "ads_forged0000000000000000000";
    expect((await api(pathOf(pb.manifestUrl).replace(token, parts.join(".")))).status).toBe(403);
    // Dropping the ad from the link (to get the content without it) breaks it too.
    const plain = [parts[0], parts[1], parts[2], parts[7]].join(".");
    expect((await api(pathOf(pb.manifestUrl).replace(token, plain))).status).toBe(403);
  });
});
