/**
 * Legitimate requests of the ads routes for the fuzz test (see stateful.ts): the fuzz world has no
 * advertiser or moderator, and every campaign route refuses the others (403) whatever the input, so
 * without these no case of those operations would get past authorisation. One advertiser and one
 * moderator per run, made on first use; each request names a campaign of its own.
 */
import { campaignInReview, createCampaign, seedAdvertiserAccount } from "../../src/ads/campaign-fixtures";
import { type SeededAccount, seedAccount } from "../harness";

/**
 * Operations that answer every well-routed path value alike, so a malformed one is no 400/404: the
 * VAST beacon is fired by players that ignore the answer, and a malformed token answering like a
 * forged one (204, nothing counted) tells a prober nothing (ads/delivery-routes.ts).
 */
export const ACKNOWLEDGES_ANY_PATH_VALUE: Record<string, string> = {
  "GET /api/v1/ads/track/{token}": "a beacon: 204 for any token, counted only when its signature holds",
};

interface StatefulCase {
  body: unknown;
  token?: string;
  path?: string;
}

let cast: Promise<{ advertiser: SeededAccount; moderator: SeededAccount }> | null = null;
const people = () => {
  cast ??= Promise.all([
    seedAdvertiserAccount("fuzzadv"),
    seedAccount({ tag: "fuzzmod", roles: ["moderator"] }),
  ]).then(([advertiser, moderator]) => ({ advertiser, moderator }));
  return cast;
};

const CAMPAIGN = {
  name: "Fuzz campaign",
  clickThroughUrl: "https://advertiser.example/fuzz",
  totalBudgetCents: 1_000,
  dailyBudgetCents: 500,
  cpmBidCents: 150,
};

/** A campaign of the fuzz advertiser, and the advertiser's token. */
async function campaign(): Promise<{ id: string; token: string }> {
  const { advertiser } = await people();
  return { id: (await createCampaign(advertiser)).id, token: advertiser.accessToken };
}

export const ADS_STATEFUL: Record<string, () => Promise<StatefulCase>> = {
  "POST /api/v1/ads/campaigns": async () => ({
    body: CAMPAIGN,
    token: (await people()).advertiser.accessToken,
  }),
  "GET /api/v1/ads/campaigns": async () => ({
    body: undefined,
    token: (await people()).advertiser.accessToken,
  }),
  "GET /api/v1/ads/campaigns/{campaignId}": async () => {
    const { id, token } = await campaign();
    return { body: undefined, token, path: `/api/v1/ads/campaigns/${id}` };
  },
  "PATCH /api/v1/ads/campaigns/{campaignId}": async () => {
    const { id, token } = await campaign();
    return { body: { name: "Fuzzed", dailyBudgetCents: 100 }, token, path: `/api/v1/ads/campaigns/${id}` };
  },
  "POST /api/v1/ads/campaigns/{campaignId}/creative": async () => {
    const { id, token } = await campaign();
    return {
      body: { upload: { size: 1000, contentType: "video/mp4" } },
      token,
      path: `/api/v1/ads/campaigns/${id}/creative`,
    };
  },
  "GET /api/v1/ads/campaigns/{campaignId}/report": async () => {
    const { id, token } = await campaign();
    return { body: undefined, token, path: `/api/v1/ads/campaigns/${id}/report` };
  },
  "GET /api/v1/moderation/ad-reviews": async () => ({
    body: undefined,
    token: (await people()).moderator.accessToken,
  }),
  "POST /api/v1/moderation/ad-reviews/{campaignId}": async () => {
    const { advertiser, moderator } = await people();
    const { campaign: inReview } = await campaignInReview(advertiser);
    return {
      body: { decision: "approve", updatedAt: inReview.updatedAt },
      token: moderator.accessToken,
      path: `/api/v1/moderation/ad-reviews/${inReview.id}`,
    };
  },
};
