// Ads end to end on one real platform (edge, origin, payments sandbox) and Chromium: a campaign made
// through the API (roles by an admin, the creative uploaded and transcoded, approved by a moderator),
// its pre-roll stitched into a creator's video and played through by hls.js (the web player) and by
// Shaka Player, none for a premium viewer, VAST 4 parsed by @dailymotion/vast-client, a paused
// campaign gone within seconds.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VASTParser } from "@dailymotion/vast-client";
import { DOMParser } from "@xmldom/xmldom";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ApiClient } from "../../scripts/lib/api-client";
import {
  type AdPlayback,
  activeCampaign,
  adBreak,
  type Campaign,
  CLICK_THROUGH,
  campaignOf,
  forge,
  grantRoles,
  makeAdmin,
  mediaPlaylists,
  playPast,
  poll,
  signUp,
  splitAtDiscontinuity,
  uploadContent,
  videoReady,
  WATCH_OVERLAY,
} from "./ads-lib";
import { type Device, launchChromium, newViewer, planIs, signedInTab, subscribe } from "./billing-lib";
import {
  freePort,
  killSurvivors,
  type Platform,
  platformReady,
  ROOT,
  startPlatform,
  stopPlatform,
} from "./lib";
import { Api, makeClip, signUpCreator } from "./media-lib";
import { TAG } from "./web-lib";

const AD_SECONDS = 6;
const SHAKA = join(ROOT, "node_modules/shaka-player/dist/shaka-player.compiled.js");
const SHAKA_PAGE =
  '<!doctype html><title>Shaka</title><video width="640" height="360" muted playsinline></video>';

describe("ads end to end (Chromium: hls.js and Shaka Player; real edge, origin and payments sandbox)", () => {
  let platform: Platform;
  let base: string;
  let dir: string;
  let browser: Browser;
  let advertiser: ApiClient;
  let campaign: Campaign;
  let creativeId = "";
  let contentId = "";
  /** Timings and what the players showed: printed (and kept in artifacts/) after the run, passed or not. */
  const notes: string[] = [];

  beforeAll(async () => {
    const startedAt = Date.now();
    dir = mkdtempSync(join(tmpdir(), "marquee-ads-e2e-"));
    const stateDir = join(dir, "state");
    mkdirSync(stateDir);
    platform = startPlatform({
      port: await freePort(),
      originPort: await freePort(),
      stateDir,
      env: { MARQUEE_DEMO: "0" },
    });
    base = platform.base;
    // A 480p ad (three rungs) before a 360p video (two): each content rung gets the ad rung of its
    // height, and the ad's 480p rung none. Small, so the one origin transcodes both quickly.
    const adClip = makeClip(join(dir, "ad.mp4"), { seconds: AD_SECONDS, size: "854x480" });
    const contentClip = makeClip(join(dir, "content.mp4"), { seconds: 12, size: "640x360" });
    await platformReady(platform);
    const bootSeconds = (Date.now() - startedAt) / 1000;
    // The admin first, while the edge writes nothing else: admin:create writes its D1 file directly.
    const admin = await makeAdmin(base, stateDir, `ads-admin-${TAG}@example.test`);
    const creator = signUpCreator(new Api(base), {
      email: `ads-creator-${TAG}@example.test`,
      password: "a long ads test password",
      displayName: "Creator",
      handle: `ads_${TAG}`,
      channelName: "Ads E2E",
    });
    // The content's upload goes first, so the one origin starts on it while the campaign is made.
    const content = creator.then((c) => uploadContent(c, contentClip, "Content with a pre-roll"));
    const made = (async () => {
      const mod = await signUp(base, `ads-mod-${TAG}@example.test`, "Moderator");
      await grantRoles(admin, mod.accountId, ["moderator"]);
      const email = `ads-advertiser-${TAG}@example.test`;
      return activeCampaign({ base, admin, moderator: mod.api, email, adClip });
    })();
    made.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
    const [id, launched] = await Promise.all([content, launchChromium()]);
    contentId = id;
    browser = launched;
    await videoReady(await creator, contentId);
    ({ advertiser, campaign } = await made);
    creativeId = (await made).creative?.videoId ?? "";
    expect(campaign.status).toBe("active");
    const setUp = ((Date.now() - startedAt) / 1000).toFixed(1);
    notes.push(`ads e2e: set up in ${setUp} s (platform up after ${bootSeconds.toFixed(1)} s)`);
  }, 400_000);

  afterAll(async () => {
    await browser?.close();
    mkdirSync(join(ROOT, "artifacts"), { recursive: true });
    console.log(notes.join("\n"));
    writeFileSync(join(ROOT, "artifacts/ads-e2e.txt"), `${notes.join("\n")}\n`);
    if (platform) writeFileSync(join(ROOT, "artifacts/ads-dev.log"), platform.output());
    if (platform) await stopPlatform(platform).catch(() => undefined);
    killSurvivors();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const playback = (d: Device) => d.expect<AdPlayback>("GET", `/api/v1/videos/${contentId}/playback`, 200);
  /** GET /ads/vast for the content (or, `withVideo` false, for no content: no content rating then). */
  const vast = async (d: Device | null, withVideo = true) => {
    const token = d?.tokens?.accessToken;
    const res = await fetch(`${base}/api/v1/ads/vast${withVideo ? `?videoId=${contentId}` : ""}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(res.headers.get("content-type")).toContain("xml");
    return text;
  };
  /** Waits for the campaign's impressions to pass `before`, then insists they settle at exactly one more. */
  const billedOnce = async (before: number) => {
    await poll("one more billed impression", 15_000, async () => {
      const n = (await campaignOf(advertiser, campaign.id)).spend.impressions;
      return n > before && n;
    });
    expect(await settledImpressions()).toBe(before + 1);
  };
  /** The campaign's billed impressions once they stop moving (beacons of earlier plays arrive in waitUntil). */
  const settledImpressions = () =>
    poll("the campaign's impressions to settle", 15_000, async () => {
      const a = (await campaignOf(advertiser, campaign.id)).spend.impressions;
      await new Promise((r) => setTimeout(r, 1000));
      const b = (await campaignOf(advertiser, campaign.id)).spend.impressions;
      return a === b && { impressions: b };
    }).then((s) => s.impressions);

  it("a free viewer's playlists carry the stitched pre-roll: DATERANGE and DISCONTINUITY on every rung and the audio, the ad's own MAP, the ad rung matched to each content rung", async () => {
    const { device } = await newViewer(base, "stitch-viewer");
    const pb = await playback(device);
    expect(pb.ad, JSON.stringify(pb)).toMatchObject({
      campaignId: campaign.id,
      clickUrl: expect.any(String),
    });
    const ad = pb.ad as NonNullable<AdPlayback["ad"]>;
    expect(Math.abs(ad.durationMs - AD_SECONDS * 1000)).toBeLessThan(500);
    const { master, media } = await mediaPlaylists(pb.manifestUrl);
    const heights = [...master.matchAll(/RESOLUTION=\d+x(\d+)/g)].map((m) => Number(m[1]));
    expect([...heights].sort((a, b) => b - a)).toEqual([360, 240]);
    expect(media).toHaveLength(3); // two rungs and the audio rendition
    for (const [i, r] of media.entries()) {
      const why = `${r.uri}:\n${r.text}`;
      expect(r.text.match(/#EXT-X-DISCONTINUITY\n/g), why).toHaveLength(1);
      expect(r.text, why).toContain("#EXT-X-ENDLIST");
      expect(r.text, why).toContain("#EXT-X-PROGRAM-DATE-TIME:");
      // Every segment, the ad's included, within the playlist's target duration (players rely on it).
      const target = Number(/#EXT-X-TARGETDURATION:(\d+)/.exec(r.text)?.[1]);
      const extinf = [...r.text.matchAll(/#EXTINF:([\d.]+)/g)].map((m) => Number(m[1]));
      expect(Math.max(...extinf), why).toBeLessThanOrEqual(target + 0.5);
      const range = adBreak(r.text);
      expect(range, why).toMatchObject({
        ID: `ad-${ad.sessionId}`,
        CLASS: "com.marquee.ad",
        "X-AD-ID": campaign.id,
        "X-AD-CLICK": ad.clickUrl,
      });
      expect(Math.abs(Number(range?.DURATION) - ad.durationMs / 1000), why).toBeLessThan(0.5);
      const maps = [...r.text.matchAll(/#EXT-X-MAP:URI="([^"]+)"/g)].map((m) => m[1] ?? "");
      expect(maps, why).toHaveLength(2);
      expect(maps[0], why).toMatch(new RegExp(`^${base}/media/${creativeId}/`));
      const { ad: adSegments, content } = splitAtDiscontinuity(r);
      expect(adSegments.length, why).toBeGreaterThan(0);
      for (const u of adSegments) expect(u, why).toMatch(new RegExp(`^${base}/media/${creativeId}/`));
      for (const u of content) expect(u, why).toContain(`/media/${contentId}/`);
      // Video rungs: the ad rung of the same height (the ad has 480/360/240; the content 360/240).
      if (i < 2) expect(maps[0], why).toContain(`/hls/${heights[i]}p/`);
    }
    notes.push(`stitched ${media[0]?.uri}:\n${media[0]?.text.trim()}`);
    // The viewer's own links: the content's master is unchanged (no ad rungs in it).
    expect(master).not.toContain(creativeId);
  });

  it("hls.js (the web player): the watch page plays through the pre-roll into the content with no player error, currentTime past the ad + 2 s, the overlay saying 'Ad · m:ss' with Learn more; the edge bills one impression and the report counts start, quartiles and complete once each", async () => {
    const before = await settledImpressions();
    const { device } = await newViewer(base, "hls-viewer");
    const page = await signedInTab(browser, device);
    await page.addInitScript(WATCH_OVERLAY);
    const granted = page.waitForResponse(
      (r) => r.url().includes(`/api/v1/videos/${contentId}/playback`) && r.request().method() === "GET",
    );
    await page.goto(`${base}/watch/${contentId}`);
    const pb = (await (await granted).json()) as AdPlayback;
    expect(pb.ad?.campaignId).toBe(campaign.id);
    const adSeconds = (pb.ad?.durationMs ?? 0) / 1000;
    await page.getByTestId("player-video").waitFor({ timeout: 30_000 });
    const reached = await playPast(page, '[data-testid="player-video"]', adSeconds + 2);
    const seen = (await page.evaluate("window.__ads")) as {
      overlay: string[];
      learnMore: string | null;
      problems: string[];
    };
    notes.push(`hls.js: currentTime ${reached.toFixed(2)} s; overlay said ${JSON.stringify(seen.overlay)}`);
    expect(seen.problems).toEqual([]);
    expect(seen.overlay.length).toBeGreaterThan(0);
    for (const text of seen.overlay) expect(text).toMatch(/^Ad · \d+:\d{2}/);
    expect(seen.learnMore).toBe(pb.ad?.clickUrl);
    // Past the break the overlay is gone.
    expect(await page.getByTestId("ad-overlay").count()).toBe(0);
    await page.context().close();
    // Serving the ad's first video segment billed this session, once whatever rungs hls.js fetched.
    await billedOnce(before);
    // Played through: every quartile and the completion counted once for the session, no click;
    // the campaign object flushes them to D1's rollups within seconds (the report reads those).
    const once = {
      impressions: 1,
      starts: 1,
      firstQuartiles: 1,
      midpoints: 1,
      thirdQuartiles: 1,
      completes: 1,
    };
    const totals = await poll("the session's events in the campaign's report", 20_000, async () => {
      const r = await advertiser.call<{ totals: Record<string, number> }>(
        "GET",
        `/api/v1/ads/campaigns/${campaign.id}/report`,
        undefined,
        200,
      );
      return (r.totals.completes ?? 0) >= 1 && r.totals;
    });
    expect(totals).toMatchObject({ ...once, clicks: 0, completionRate: 1, ctr: 0 });
    expect(totals.spendMillicents).toBeGreaterThan(0);
    expect(totals.spendMillicents).toBeLessThanOrEqual(campaign.cpmBidCents);
  });

  it("Shaka Player (loaded from npm into a page): the manifest the playback API gave a free viewer plays through the pre-roll with no error event, currentTime past the ad + 2 s, one impression billed", async () => {
    const before = await settledImpressions();
    const { device } = await newViewer(base, "shaka-viewer");
    const pb = await playback(device);
    expect(pb.ad?.campaignId).toBe(campaign.id);
    const adSeconds = (pb.ad?.durationMs ?? 0) / 1000;
    const context = await browser.newContext();
    const page = await context.newPage();
    // A bare page of the edge's origin (fulfilled by the test, so no CSP of the app's) with a <video>
    // and Shaka from node_modules.
    const url = `${base}/ads-e2e/shaka.html`;
    await page.route(url, (route) => route.fulfill({ contentType: "text/html", body: SHAKA_PAGE }));
    await page.goto(url);
    await page.addScriptTag({ path: SHAKA });
    await page.evaluate(`(async () => {
      shaka.polyfill.installAll();
      if (!shaka.Player.isBrowserSupported()) throw new Error("Shaka: browser not supported");
      window.__shaka = { errors: [] };
      const video = document.querySelector("video");
      const player = new shaka.Player();
      player.addEventListener("error", (e) => window.__shaka.errors.push(JSON.stringify(e.detail)));
      await player.attach(video);
      await player.load(${JSON.stringify(pb.manifestUrl)});
    })()`);
    const reached = await playPast(page, "video", adSeconds + 2);
    const errors = (await page.evaluate("window.__shaka.errors")) as string[];
    notes.push(`Shaka: currentTime ${reached.toFixed(2)} s, ${errors.length} error events`);
    expect(errors).toEqual([]);
    await context.close();
    await billedOnce(before);
  });

  it("a premium viewer (paid through the payments sandbox) gets no ad: `ad` null, no DISCONTINUITY or DATERANGE in any media playlist, an empty VAST", async () => {
    const { device } = await newViewer(base, "premium-viewer");
    const started = Date.now();
    await subscribe(browser, device, { provider: "stripe", planId: "premium", interval: "month" });
    await planIs(device, "premium");
    notes.push(`premium: checkout → plan in ${Date.now() - started} ms`);
    const pb = await playback(device);
    expect(pb.ad).toBeNull();
    const { media } = await mediaPlaylists(pb.manifestUrl);
    expect(media.length).toBeGreaterThan(1);
    for (const r of media) {
      expect(r.text, r.uri).not.toContain("#EXT-X-DISCONTINUITY");
      expect(r.text, r.uri).not.toContain("#EXT-X-DATERANGE");
      expect(r.text, r.uri).not.toContain(creativeId);
    }
    const doc = await vast(device);
    expect(doc).not.toContain("<Ad");
    expect(doc).toMatch(/<VAST[^>]*version="4\.2"/);
  });

  it("VAST 4.2 parses with @dailymotion/vast-client and carries every element; its Impression fired twice (and a forged one) bills once; its ClickThrough redirects to the registered URL", async () => {
    const { device } = await newViewer(base, "vast-viewer");
    const xml = await vast(device);
    const doc = new DOMParser().parseFromString(xml, "text/xml");
    // biome-ignore lint/suspicious/noExplicitAny: the parser's own types say any
    const parsed: any = await new VASTParser().parseVAST(doc as never);
    expect(parsed.version).toBe("4.2");
    expect(parsed.ads, xml).toHaveLength(1);
    const ad = parsed.ads[0];
    expect(ad.system?.value).toBeTruthy();
    expect(ad.title).toBeTruthy();
    expect(ad.adServingId).toBeTruthy();
    expect(ad.impressionURLTemplates.length).toBeGreaterThan(0);
    expect(ad.creatives).toHaveLength(1);
    const creative = ad.creatives[0];
    expect(creative.type).toBe("linear");
    expect(creative.universalAdIds[0]?.value).toBeTruthy();
    expect(Math.abs(creative.duration - AD_SECONDS)).toBeLessThan(0.5);
    const files = creative.mediaFiles as { mimeType: string; fileURL: string }[];
    const hls = files.find((f) => /mpegurl/i.test(f.mimeType));
    const mp4 = files.find((f) => f.mimeType === "video/mp4");
    expect(hls, xml).toBeTruthy();
    expect(mp4, xml).toBeTruthy();
    const master = await fetch(hls?.fileURL ?? "");
    expect(master.status).toBe(200);
    expect(await master.text()).toContain("#EXT-X-STREAM-INF");
    const file = await fetch(mp4?.fileURL ?? "", { headers: { range: "bytes=0-1023" } });
    expect([200, 206], `GET ${mp4?.fileURL}: ${file.status}`).toContain(file.status);
    expect(file.headers.get("content-type")).toContain("video/mp4");
    await file.arrayBuffer();
    for (const event of ["start", "firstQuartile", "midpoint", "thirdQuartile", "complete"])
      expect(creative.trackingEvents[event]?.length ?? 0, event).toBeGreaterThan(0);
    expect(creative.videoClickThroughURLTemplate?.url).toBeTruthy();
    expect(creative.videoClickTrackingURLTemplates.length).toBeGreaterThan(0);
    const urls: string[] = [
      ...ad.impressionURLTemplates.map((t: { url: string }) => t.url),
      creative.videoClickThroughURLTemplate.url,
      ...Object.values(creative.trackingEvents as Record<string, string[]>).flat(),
    ];
    for (const u of urls) expect(new URL(u).origin, u).toBe(base);

    // The impression: a forged token first (one character changed), then the real one twice.
    const before = await settledImpressions();
    const impression = ad.impressionURLTemplates[0].url as string;
    const forged = forge(impression);
    const beacons = [forged, impression, impression];
    const statuses: number[] = [];
    for (const u of beacons) {
      const res = await fetch(u);
      await res.arrayBuffer();
      statuses.push(res.status);
    }
    expect(statuses.slice(1)).toEqual([204, 204]);
    await billedOnce(before);

    // The click: 302 to the campaign's registered URL, nowhere else.
    const click = await fetch(creative.videoClickThroughURLTemplate.url, { redirect: "manual" });
    expect(click.status).toBe(302);
    expect(click.headers.get("location")).toBe(CLICK_THROUGH);
    const tracking = await fetch(creative.videoClickTrackingURLTemplates[0].url);
    expect(tracking.status).toBeLessThan(300);
  });

  it("a kids profile gets no ad from a campaign not marked kids-safe (its account's adult profile does); a paused campaign serves nothing (playback and VAST) within seconds", async () => {
    const { device } = await newViewer(base, "kids-viewer");
    const kid = await device.expect<{ id: string }>("POST", "/api/v1/me/profiles", 201, {
      name: "Kid",
      maturity: "kids",
    });
    const adult = device.tokens?.accessToken ?? "";
    // Without a video (so no content rating decides), the adult profile gets the ad, the kids one none.
    expect(await vast(device, false)).toContain(`<Ad id="${campaign.id}"`);
    const switched = await device.expect<{ accessToken: string }>(
      "POST",
      `/api/v1/me/profiles/${kid.id}/switch`,
      200,
    );
    if (device.tokens) device.tokens.accessToken = switched.accessToken;
    expect(await vast(device, false)).not.toContain("<Ad");
    if (device.tokens) device.tokens.accessToken = adult;

    const pausedAt = Date.now();
    const paused = await advertiser.call<Campaign>(
      "PATCH",
      `/api/v1/ads/campaigns/${campaign.id}`,
      { status: "paused" },
      200,
    );
    expect(paused.status).toBe("paused");
    const gone = await poll("a new playback without the paused campaign's ad", 10_000, async () => {
      const { device: fresh } = await newViewer(base, `after-pause-${Date.now().toString(36)}`);
      return (await playback(fresh)).ad === null && { ms: Date.now() - pausedAt, fresh };
    });
    notes.push(`paused → no ad in a new playback after ${gone.ms} ms`);
    expect(gone.ms).toBeLessThan(5_000);
    expect(await vast(gone.fresh)).not.toContain("<Ad");
  });
});
