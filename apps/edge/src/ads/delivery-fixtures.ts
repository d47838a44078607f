/**
 * Test fixtures for ad delivery (workerd): a hand-made ad creative's ladder in R2 (what the origin's
 * ad job leaves: master, video rungs, audio, fMP4 init and segments, the MP4), and a campaign whose
 * targeting only this test's content matches, bidding high enough to win that content's auction
 * whatever other test files seeded (storage is shared; the category is unique).
 */
import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { insertCategory, testDb } from "../../test/fixtures";
import { type SeededAccount, seedAccount, storeReadyVideo } from "../../test/harness";
import { loadConfig } from "../config";
import { videos } from "../db/schema";
import { forgetEligibleCampaigns } from "./eligible";
import { type SeededCampaign, seedAdvertiserCampaign } from "./test-utils";

/** The ad's segments: 15.2 s in four (quartiles at 3.8, 7.6 and 11.4 s). */
export const AD_SEGMENTS = [4, 4, 4, 3.2];
export const AD_DURATION_MS = 15_200;
export const AD_RUNGS = [
  { name: "720p", width: 1280, height: 720 },
  { name: "480p", width: 854, height: 480 },
  { name: "360p", width: 640, height: 360 },
];

export const publicUrl = () => loadConfig(env).publicUrl.replace(/\/+$/, "");

function mediaPlaylist(durations: number[]): string {
  return [
    "#EXTM3U",
    "#EXT-X-VERSION:7",
    "#EXT-X-TARGETDURATION:4",
    "#EXT-X-MEDIA-SEQUENCE:0",
    "#EXT-X-PLAYLIST-TYPE:EVENT",
    "#EXT-X-INDEPENDENT-SEGMENTS",
    '#EXT-X-MAP:URI="init.mp4"',
    ...durations.flatMap((d, i) => [`#EXTINF:${d.toFixed(6)},`, `seg_${String(i + 1).padStart(5, "0")}.m4s`]),
    "#EXT-X-ENDLIST",
    "",
  ].join("\n");
}

/** The creative's ladder in R2 and its renditions on the row (what a finished ad job records). */
export async function storeAdCreative(creativeVideoId: string): Promise<void> {
  const put = (path: string, body: string | Uint8Array) =>
    env.MEDIA.put(`videos/${creativeVideoId}/${path}`, body);
  const master = [
    "#EXTM3U",
    "#EXT-X-VERSION:7",
    "#EXT-X-INDEPENDENT-SEGMENTS",
    '#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID="aud",NAME="Audio",DEFAULT=YES,AUTOSELECT=YES,CHANNELS="2",URI="audio/playlist.m3u8"',
    ...AD_RUNGS.flatMap((r) => [
      `#EXT-X-STREAM-INF:BANDWIDTH=${r.height * 4000},RESOLUTION=${r.width}x${r.height},CODECS="avc1.64001f,mp4a.40.2",AUDIO="aud"`,
      `${r.name}/playlist.m3u8`,
    ]),
    "",
  ].join("\n");
  await put("hls/master.m3u8", master);
  for (const r of [...AD_RUNGS.map((x) => x.name), "audio"]) {
    await put(`hls/${r}/playlist.m3u8`, mediaPlaylist(AD_SEGMENTS));
    await put(`hls/${r}/init.mp4`, new Uint8Array([0, 0, 0, 8, 102, 116, 121, 112]));
    for (let i = 1; i <= AD_SEGMENTS.length; i++) {
      await put(`hls/${r}/seg_${String(i).padStart(5, "0")}.m4s`, new Uint8Array(64).fill(i));
    }
  }
  await put("mp4/ad.mp4", new Uint8Array(256).fill(7));
  await testDb()
    .update(videos)
    .set({
      durationMs: AD_DURATION_MS,
      width: 1280,
      height: 720,
      renditions: AD_RUNGS.map((r) => ({
        ...r,
        bandwidth: r.height * 4000,
        codecs: "avc1.64001f,mp4a.40.2",
      })),
    })
    .where(eq(videos.id, creativeVideoId));
}

export interface AdScene {
  owner: SeededAccount;
  /** A ready public content video (TEST_MASTER's ladder) in a category of its own. */
  contentId: string;
  campaign: SeededCampaign;
  creativeVideoId: string;
}

/** Content, and an active campaign with a stored creative that wins that content's auction. */
export async function adScene(tag: string, options: { title?: string } = {}): Promise<AdScene> {
  const category = await insertCategory(`Ads ${tag}`);
  const owner = await seedAccount({ tag, channel: true });
  const contentId = await storeReadyVideo(owner);
  await testDb().update(videos).set({ categoryId: category.id }).where(eq(videos.id, contentId));
  const campaign = await seedAdvertiserCampaign({
    // Far above any other test's bid: this content's auction is this campaign's.
    cpmBidCents: 900_000,
    totalBudgetCents: 100_000_000,
    targeting: { categories: [category.id] },
    creative: { durationMs: AD_DURATION_MS, ...(options.title ? { title: options.title } : {}) },
  });
  const creativeVideoId = campaign.creativeVideoId as string;
  await storeAdCreative(creativeVideoId);
  // The isolate keeps the eligible list two seconds; this campaign must be in it now.
  forgetEligibleCampaigns();
  return { owner, contentId, campaign, creativeVideoId };
}
