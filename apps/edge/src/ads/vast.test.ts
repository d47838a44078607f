// VAST 4.2 in workerd: the document parses with @dailymotion/vast-client (over @xmldom/xmldom) and
// carries every element the issue lists; its beacons count once per session even when fired twice;
// forged beacons and another session's count nothing; the click goes only to the registered URL.
import { VASTParser } from "@dailymotion/vast-client";
import { DOMParser } from "@xmldom/xmldom";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { insertBillingSubscription, testDb } from "../../test/fixtures";
import { api, seedAccount, storeReadyVideo } from "../../test/harness";
import { adEvents, videos } from "../db/schema";
import { AD_DURATION_MS, adScene, publicUrl } from "./delivery-fixtures";
import { campaignObject, updateCampaign } from "./test-utils";
import { EMPTY_VAST, type VastAd, vastDocument } from "./vast";

type Parsed = Awaited<ReturnType<VASTParser["parseVAST"]>>;

async function parse(xml: string): Promise<Parsed> {
  const doc = new DOMParser().parseFromString(xml, "text/xml");
  return new VASTParser().parseVAST(doc as unknown as Parameters<VASTParser["parseVAST"]>[0]);
}

const SAMPLE: VastAd = {
  sessionId: "ads_s1",
  campaignId: "cmp_c1",
  creativeVideoId: "vid_ad1",
  title: 'Tom & Jerry\'s "<Best>" ]]> Ad',
  durationMs: 15_200,
  impressionUrl: "https://m.example/api/v1/ads/track/imp?a=1&b=2",
  tracking: {
    start: "https://m.example/t/start",
    firstQuartile: "https://m.example/t/fq",
    midpoint: "https://m.example/t/mid",
    thirdQuartile: "https://m.example/t/tq",
    complete: "https://m.example/t/complete]]>x",
  },
  clickThroughUrl: "https://m.example/api/v1/ads/click/c1",
  clickTrackingUrl: "https://m.example/t/click",
  hls: { url: "https://m.example/media/vid_ad1/T/hls/master.m3u8", width: 1280, height: 720 },
  mp4: { url: "https://m.example/media/vid_ad1/T/mp4/ad.mp4", width: 1280, height: 720 },
};

/** Every element the issue lists, read back by a real VAST client. */
function expectComplete(parsed: Parsed, ad: Omit<VastAd, "title" | "impressionUrl"> & { title?: string }) {
  expect(parsed.version).toBe("4.2");
  expect(parsed.ads).toHaveLength(1);
  const [a] = parsed.ads;
  expect(a?.system).toMatchObject({ value: "Marquee" });
  if (ad.title !== undefined) expect(a?.title).toBe(ad.title);
  expect(a?.adServingId).toBe(ad.sessionId);
  expect(a?.impressionURLTemplates).toHaveLength(1);
  const creative = a?.creatives[0] as unknown as {
    type: string;
    duration: number;
    universalAdIds: { idRegistry: string; value: string }[];
    mediaFiles: { deliveryType: string; mimeType: string; width: number; height: number; fileURL: string }[];
    trackingEvents: Record<string, string[]>;
    videoClickThroughURLTemplate: { url: string };
    videoClickTrackingURLTemplates: { url: string }[];
  };
  expect(creative.type).toBe("linear");
  expect(creative.duration).toBeCloseTo(ad.durationMs / 1000, 3);
  expect(creative.universalAdIds).toEqual([{ idRegistry: "marquee", value: ad.creativeVideoId }]);
  expect(creative.mediaFiles.map((f) => [f.deliveryType, f.mimeType, f.width, f.height])).toEqual([
    ["streaming", "application/x-mpegURL", ad.hls.width, ad.hls.height],
    ["progressive", "video/mp4", ad.mp4?.width, ad.mp4?.height],
  ]);
  expect(creative.mediaFiles.map((f) => f.fileURL)).toEqual([ad.hls.url, ad.mp4?.url]);
  for (const event of ["start", "firstQuartile", "midpoint", "thirdQuartile", "complete"] as const) {
    expect(creative.trackingEvents[event], event).toEqual([ad.tracking[event]]);
  }
  expect(creative.videoClickThroughURLTemplate.url).toBe(ad.clickThroughUrl);
  expect(creative.videoClickTrackingURLTemplates.map((t) => t.url)).toEqual([ad.clickTrackingUrl]);
  return { ad: a, creative };
}

describe("vastDocument", () => {
  it("parses with vast-client and carries every element, text escaped and URLs in CDATA", async () => {
    const xml = vastDocument(SAMPLE);
    expect(xml).toContain("<AdTitle>Tom &amp; Jerry&apos;s &quot;&lt;Best&gt;&quot; ]]&gt; Ad</AdTitle>");
    expect(xml).toContain("<Duration>00:00:15.200</Duration>");
    const { ad } = expectComplete(await parse(xml), SAMPLE);
    expect(ad?.impressionURLTemplates[0]?.url).toBe(SAMPLE.impressionUrl);
  });

  it("the empty document parses to no ads", async () => {
    expect(EMPTY_VAST).toContain('<VAST version="4.2"/>');
    const parsed = await parse(EMPTY_VAST);
    expect(parsed.ads).toEqual([]);
  });
});

const vast = async (query: string, token?: string) => {
  const res = await api(`/api/v1/ads/vast${query}`, { token });
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("application/xml; charset=utf-8");
  return res.text();
};

const pathOf = (url: string) => {
  expect(url.startsWith(`${publicUrl()}/`), url).toBe(true);
  return new URL(url).pathname;
};

async function eventsOf(sessionId: string, campaignId: string): Promise<string[]> {
  await campaignObject(campaignId).flush();
  const rows = await testDb()
    .select({ type: adEvents.type })
    .from(adEvents)
    .where(and(eq(adEvents.sessionId, sessionId), eq(adEvents.campaignId, campaignId)));
  return rows.map((r) => r.type).sort();
}

describe("GET /api/v1/ads/vast and its beacons", () => {
  it("answers a VAST 4.2 InLine ad whose tracking counts an impression once even when fired twice", async () => {
    const scene = await adScene("vastfull");
    const xml = await vast(`?videoId=${scene.contentId}`);
    const parsed = await parse(xml);
    const first = parsed.ads[0];
    const sessionId = first?.adServingId ?? "";
    expect(sessionId).toMatch(/^ads_/);
    const creative = first?.creatives[0] as unknown as {
      mediaFiles: { fileURL: string }[];
      trackingEvents: Record<string, string[]>;
      videoClickThroughURLTemplate: { url: string };
      videoClickTrackingURLTemplates: { url: string }[];
    };
    expectComplete(parsed, {
      sessionId,
      campaignId: scene.campaign.campaignId,
      creativeVideoId: scene.creativeVideoId,
      durationMs: AD_DURATION_MS,
      tracking: {
        start: creative.trackingEvents.start?.[0] ?? "",
        firstQuartile: creative.trackingEvents.firstQuartile?.[0] ?? "",
        midpoint: creative.trackingEvents.midpoint?.[0] ?? "",
        thirdQuartile: creative.trackingEvents.thirdQuartile?.[0] ?? "",
        complete: creative.trackingEvents.complete?.[0] ?? "",
      },
      clickThroughUrl: creative.videoClickThroughURLTemplate.url,
      clickTrackingUrl: creative.videoClickTrackingURLTemplates[0]?.url ?? "",
      // The creative's top rung (storeAdCreative: 720p); the MP4 is made from it.
      hls: { url: creative.mediaFiles[0]?.fileURL ?? "", width: 1280, height: 720 },
      mp4: { url: creative.mediaFiles[1]?.fileURL ?? "", width: 1280, height: 720 },
    });
    // The ad's title is the creative's (what the decision names it).
    expect(first?.title).toBe(await creativeTitle(scene.creativeVideoId));
    // The media files are ours, signed, and play: the master and the MP4.
    const [hls, mp4] = creative.mediaFiles.map((f) => pathOf(f.fileURL));
    expect(hls).toMatch(new RegExp(`^/media/${scene.creativeVideoId}/[^/]+/hls/master.m3u8$`));
    expect((await api(hls ?? "")).status).toBe(200);
    expect((await api(mp4 ?? "")).status).toBe(200);

    const object = campaignObject(scene.campaign.campaignId);
    const impression = pathOf(first?.impressionURLTemplates[0]?.url ?? "");
    for (let i = 0; i < 2; i++) {
      const res = await api(impression);
      expect(res.status).toBe(204);
      expect(await res.text()).toBe("");
    }
    expect((await object.spend()).impressions).toBe(1);
    for (const url of [creative.trackingEvents.start?.[0], creative.trackingEvents.start?.[0]]) {
      expect((await api(pathOf(url ?? ""))).status).toBe(204);
    }
    expect(await eventsOf(sessionId, scene.campaign.campaignId)).toEqual(["start"]);
  });

  it("counts nothing for forged beacons or another session's signature (still 204)", async () => {
    const scene = await adScene("vastforge");
    const a = (await parse(await vast(`?videoId=${scene.contentId}`))).ads[0];
    const b = (await parse(await vast(`?videoId=${scene.contentId}`))).ads[0];
    const object = campaignObject(scene.campaign.campaignId);
    const impA = pathOf(a?.impressionURLTemplates[0]?.url ?? "");
    const tokenA = impA.split("/").pop() ?? "";
    const [, campaign, event, exp, sig] = tokenA.split(".");
    const flipped = `${sig?.slice(0, -1)}${sig?.endsWith("A") ? "B" : "A"}`;
    for (const forged of [
      // B's session under A's signature (the signature binds the session).
      `${b?.adServingId}.${campaign}.${event}.${exp}.${sig}`,
      `${a?.adServingId}.${campaign}.${event}.${exp}.${flipped}`,
      "not-a-token",
      "x".repeat(400),
    ]) {
      const res = await api(`/api/v1/ads/track/${forged}`);
      expect(res.status, forged).toBe(204);
      expect(await res.text()).toBe("");
    }
    expect((await object.spend()).impressions).toBe(0);
    // A's genuine beacon counts for A only; B is still unbilled.
    expect((await api(impA)).status).toBe(204);
    expect((await object.spend()).impressions).toBe(1);
    expect(await eventsOf(b?.adServingId ?? "", scene.campaign.campaignId)).toEqual([]);
  });

  it("redirects a click to the campaign's registered URL (read now, only while approved), counting it once; a bad link is 404", async () => {
    const scene = await adScene("vastclick");
    const ad = (await parse(await vast(`?videoId=${scene.contentId}`))).ads[0];
    const creative = ad?.creatives[0] as unknown as { videoClickThroughURLTemplate: { url: string } };
    const click = pathOf(creative.videoClickThroughURLTemplate.url);
    expect(click).toMatch(/^\/api\/v1\/ads\/click\//);
    await api(pathOf(ad?.impressionURLTemplates[0]?.url ?? ""));
    const res = await api(click, { redirect: "manual" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(scene.campaign.row.clickThroughUrl);
    // The advertiser changes the URL: the same link now goes to the new registered one.
    await updateCampaign(scene.campaign.campaignId, { clickThroughUrl: "https://landing.example/new" });
    const again = await api(click, { redirect: "manual" });
    expect(again.headers.get("location")).toBe("https://landing.example/new");
    expect(await eventsOf(ad?.adServingId ?? "", scene.campaign.campaignId)).toEqual(["click"]);
    // A URL no moderator has seen (back in review, or ended from there) is never redirected to by
    // links handed out earlier.
    for (const status of ["in_review", "ended"] as const) {
      await updateCampaign(scene.campaign.campaignId, { clickThroughUrl: "https://phish.example/", status });
      const refused = await api(click, { redirect: "manual" });
      expect(refused.status).toBe(404);
      expect(refused.headers.get("location")).toBeNull();
    }
    const bad = await api(`${click.slice(0, -1)}${click.endsWith("A") ? "B" : "A"}`, { redirect: "manual" });
    expect(bad.status).toBe(404);
    expect(bad.headers.get("content-type")).toContain("application/problem+json");
    expect(bad.headers.get("location")).toBeNull();
    expect((await api(`/api/v1/ads/click/${"x".repeat(400)}`, { redirect: "manual" })).status).toBe(404);
  });

  it("answers the empty VAST to ad-free plans, and 404 for a video that is not public content", async () => {
    const scene = await adScene("vastempty");
    const viewer = await seedAccount({ tag: "vastpremium" });
    await insertBillingSubscription(viewer.accountId, { planId: "premium" });
    expect(await vast(`?videoId=${scene.contentId}`, viewer.accessToken)).toBe(EMPTY_VAST);
    // The same request without the plan gets the ad.
    expect((await parse(await vast(`?videoId=${scene.contentId}`))).ads).toHaveLength(1);
    const priv = await storeReadyVideo(scene.owner, { visibility: "private" });
    const unlisted = await storeReadyVideo(scene.owner, { visibility: "unlisted" });
    for (const id of [priv, unlisted, scene.creativeVideoId, "vid_doesnotexist0000000000"]) {
      expect((await api(`/api/v1/ads/vast?videoId=${id}`)).status, id).toBe(404);
    }
    expect((await api("/api/v1/ads/vast?videoId=../../x")).status).toBe(400);
  });
});

async function creativeTitle(id: string): Promise<string> {
  const [row] = await testDb().select({ title: videos.title }).from(videos).where(eq(videos.id, id));
  return row?.title ?? "";
}
