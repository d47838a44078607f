/**
 * Test helpers of the campaign API's tests (campaigns, creatives, reviews, reports; run in workerd):
 * campaigns made through the real API, and a ready creative set straight into D1 (transcoding is
 * the origin's, tested there).
 */
import { eq } from "drizzle-orm";
import { insertVideo, testDb } from "../../test/fixtures";
import { api, apiJson, type SeededAccount, seedAccount } from "../../test/harness";
import { type AdEventType, adCampaigns, adEvents, adImpressions } from "../db/schema";
import { newId } from "../lib/ids";

export interface CampaignJson {
  id: string;
  name: string;
  status: string;
  clickThroughUrl: string;
  totalBudgetCents: number;
  dailyBudgetCents: number;
  cpmBidCents: number;
  pacing: string;
  startsAt: string;
  endsAt: string | null;
  targeting: Record<string, unknown>;
  frequencyCapPerDay: number;
  kidsSafe: boolean;
  reviewNote: string | null;
  creative: null | {
    videoId: string;
    status: string;
    progress: number;
    durationMs: number | null;
    posterUrl: string | null;
  };
  spend: { impressions: number; spentMillicents: number; spentCents: number; todayMillicents: number };
  createdAt: string;
  updatedAt: string;
}

export const CAMPAIGN_BODY = {
  name: "Winter sale",
  clickThroughUrl: "https://advertiser.example/winter",
  totalBudgetCents: 10_000,
  dailyBudgetCents: 1_000,
  cpmBidCents: 250,
} as const;

export const seedAdvertiserAccount = (tag = "cmpadv", channel = true) =>
  seedAccount({ tag, roles: ["advertiser"], channel });

export const campaignPath = (id: string, rest = "") => `/api/v1/ads/campaigns/${id}${rest}`;

export const createCampaign = (as: SeededAccount, extra: Record<string, unknown> = {}) =>
  apiJson<CampaignJson>("/api/v1/ads/campaigns", 201, {
    method: "POST",
    token: as.accessToken,
    json: { ...CAMPAIGN_BODY, ...extra },
  });

export const patchCampaign = (token: string, id: string, json: unknown) =>
  api(campaignPath(id), { method: "PATCH", token, json });

/** A ready `kind: "ad"` creative (15 s) in the owner's channel, named on the campaign. */
export async function attachReadyCreative(
  owner: SeededAccount,
  campaignId: string,
  status: "ready" | "processing" = "ready",
): Promise<string> {
  const videoId = await insertVideo(owner, {
    id: newId("vid"),
    kind: "ad",
    visibility: "private",
    status,
    playable: status === "ready",
    durationMs: 15_000,
  });
  await testDb().update(adCampaigns).set({ creativeVideoId: videoId }).where(eq(adCampaigns.id, campaignId));
  return videoId;
}

/** A campaign in review with a ready creative, through the API (draft → creative → in_review). */
export async function campaignInReview(owner: SeededAccount, extra: Record<string, unknown> = {}) {
  const campaign = await createCampaign(owner, extra);
  const videoId = await attachReadyCreative(owner, campaign.id);
  const res = await patchCampaign(owner.accessToken, campaign.id, { status: "in_review" });
  if (res.status !== 200) throw new Error(`campaignInReview: ${res.status} ${await res.text()}`);
  return { campaign: (await res.json()) as CampaignJson, videoId };
}

/** A billed impression of `campaignId` on `day` (noon UTC) before content of `channelId`. */
export async function insertImpression(
  campaignId: string,
  day: string,
  priceMillicents: number,
  channelId: string | null = null,
): Promise<string> {
  const sessionId = newId("ads");
  const servedAt = Date.parse(`${day}T12:00:00Z`);
  await testDb()
    .insert(adImpressions)
    .values({
      sessionId,
      campaignId,
      advertiserAccountId: "acc_rollups",
      creativeVideoId: "vid_creative",
      videoId: channelId ? "vid_content" : null,
      channelId,
      priceMillicents,
      servedAt,
      day,
    });
  return sessionId;
}

export async function insertEvents(campaignId: string, sessionId: string, day: string, types: AdEventType[]) {
  await testDb()
    .insert(adEvents)
    .values(types.map((type) => ({ sessionId, campaignId, type, at: Date.parse(`${day}T12:00:01Z`), day })));
}
