/**
 * Authorisation-matrix entries of the ads routes (issue 13; see matrix.ts and docs/ads.md).
 *
 * The matrix's world has no advertiser and no moderator: this module seeds its own (in a
 * `beforeAll` registered when the matrix test imports it): an advertiser with a kids profile, a
 * second advertiser, a moderator, a draft campaign and a campaign in review with a ready creative.
 * The world's intruders (a creator, a viewer, a kids profile) lack the advertiser role: 403 on every
 * campaign route, whatever the id. The forgeries that only an advertiser can make are `attempts`:
 * another advertiser naming the campaign (404, as for no campaign at all), the advertiser's own kids
 * profile (403), the advertiser approving their own campaign (403), and a moderator who is also an
 * advertiser approving their own campaign (403: roles combine, nobody reviews their own). `afterRefusals` checks the
 * campaigns are exactly as they were and no intruder made one.
 *
 * The delivery routes (VAST, beacons, click redirect) are public GETs, authenticated by the
 * signature of their link where they count anything (ads/tracking.ts; forgeries are tested in the
 * delivery tests): they are listed in ADS_PUBLIC_OPERATIONS with why.
 */
import { inArray } from "drizzle-orm";
import { beforeAll, expect } from "vitest";
import {
  type CampaignJson,
  campaignInReview,
  createCampaign,
  seedAdvertiserAccount,
} from "../../src/ads/campaign-fixtures";
import { adCampaigns } from "../../src/db/schema";
import { testDb } from "../fixtures";
import { type SeededAccount, seedAccount } from "../harness";
import { signedIn } from "./intruders";
import type { Attempt, MatrixEntry, MatrixRequest, OwnerCheck, World } from "./matrix";
import { afterRefusals } from "./phases";

interface AdsWorld {
  advertiser: SeededAccount;
  rival: SeededAccount;
  moderator: SeededAccount;
  /** Advertiser and moderator at once, with a campaign of their own in review. */
  both: SeededAccount;
  ownInReview: CampaignJson;
  /** A draft of `advertiser`'s: the campaign routes' target. */
  draft: CampaignJson;
  /** In review with a ready creative: the review decision's target. */
  inReview: CampaignJson;
}

let ads: AdsWorld;
let intruders: string[] = [];

beforeAll(async () => {
  const [advertiser, rival, moderator, both] = await Promise.all([
    seedAccount({
      tag: "mxadv",
      roles: ["advertiser"],
      channel: true,
      profiles: [{ name: "Kid", maturity: "kids" }],
    }),
    seedAdvertiserAccount("mxadvrival"),
    seedAccount({ tag: "mxmod", roles: ["moderator"] }),
    seedAccount({ tag: "mxboth", roles: ["advertiser", "moderator"], channel: true }),
  ]);
  const [draft, { campaign: inReview }, { campaign: ownInReview }] = await Promise.all([
    createCampaign(advertiser, { name: "Matrix draft" }),
    campaignInReview(advertiser, { name: "Matrix review" }),
    campaignInReview(both, { name: "Matrix own review" }),
  ]);
  ads = { advertiser, rival, moderator, both, ownInReview, draft, inReview };
});

const rowsOf = (ids: string[]) => testDb().select().from(adCampaigns).where(inArray(adCampaigns.id, ids));

afterRefusals("no refused attempt changed a campaign, decided a review or made a campaign", async () => {
  const rows = Object.fromEntries(
    (await rowsOf([ads.draft.id, ads.inReview.id, ads.ownInReview.id])).map((r) => [r.id, r]),
  );
  expect(rows[ads.ownInReview.id]).toMatchObject({ status: "in_review", reviewedBy: null });
  expect(rows[ads.draft.id]).toMatchObject({ name: "Matrix draft", status: "draft", creativeVideoId: null });
  expect(rows[ads.inReview.id]).toMatchObject({
    name: "Matrix review",
    status: "in_review",
    reviewedBy: null,
  });
  const made = await testDb()
    .select({ id: adCampaigns.id })
    .from(adCampaigns)
    .where(inArray(adCampaigns.accountId, [...intruders, ads.rival.accountId]));
  expect(made).toEqual([]);
});

/** Remembers the world's intruders, to check they made nothing. */
const remember = (w: World) => {
  intruders = [w.other.accountId, w.viewer.accountId, w.kids.accountId];
};

/** The world's intruders have no advertiser (or moderator) role: 403 whatever they name. */
const notAdvertisers = { ...signedIn, otherAccount: 403, viewer: 403, kids: 403 } as const;

const bearer = (token: string | undefined) => ({ authorization: `Bearer ${token}` });

/** Forgeries only an advertiser can make, on a route naming the draft. */
const advertiserAttempts = (request: () => MatrixRequest): Attempt[] => [
  {
    name: "another advertiser",
    request: () => ({ ...request(), headers: bearer(ads.rival.accessToken) }),
    status: 404,
  },
  {
    name: "the advertiser's kids profile",
    request: () => ({ ...request(), headers: bearer(ads.advertiser.profiles[1]?.token) }),
    status: 403,
  },
];

const asAdvertiser = (check: Omit<OwnerCheck, "as">): OwnerCheck => ({
  as: () => ({ token: ads.advertiser.accessToken }),
  ...check,
});

const CAMPAIGN = {
  name: "Matrix campaign",
  clickThroughUrl: "https://advertiser.example/matrix",
  totalBudgetCents: 1_000,
  dailyBudgetCents: 100,
  cpmBidCents: 200,
};

const draftPath = (rest = "") => `/api/v1/ads/campaigns/${ads.draft.id}${rest}`;

const patchDraft = (): MatrixRequest => ({
  path: draftPath(),
  json: { name: "Taken over", status: "ended" },
});
const readDraft = (): MatrixRequest => ({ path: draftPath() });
const creativeForDraft = (): MatrixRequest => ({
  path: draftPath("/creative"),
  json: { upload: { size: 100, contentType: "video/mp4" } },
});
const reportOfDraft = (): MatrixRequest => ({ path: draftPath("/report") });
const decideInReview = (): MatrixRequest => ({
  path: `/api/v1/moderation/ad-reviews/${ads.inReview.id}`,
  // The version the moderator saw (a decision on any other is 409).
  json: { decision: "approve", kidsSafe: true, updatedAt: ads.inReview.updatedAt },
});

export const ADS_ENTRIES: MatrixEntry[] = [
  {
    operation: "POST /api/v1/ads/campaigns",
    request: (w) => {
      remember(w);
      return { path: "/api/v1/ads/campaigns", json: CAMPAIGN };
    },
    refuse: notAdvertisers,
    attempts: [
      {
        name: "the advertiser's kids profile",
        request: () => ({
          path: "/api/v1/ads/campaigns",
          json: CAMPAIGN,
          headers: bearer(ads.advertiser.profiles[1]?.token),
        }),
        status: 403,
      },
    ],
    owner: asAdvertiser({ status: 201 }),
  },
  {
    operation: "GET /api/v1/ads/campaigns",
    request: () => ({ path: "/api/v1/ads/campaigns" }),
    refuse: notAdvertisers,
    owner: asAdvertiser({ status: 200 }),
  },
  {
    operation: "GET /api/v1/ads/campaigns/{campaignId}",
    request: readDraft,
    refuse: notAdvertisers,
    attempts: advertiserAttempts(readDraft),
    owner: asAdvertiser({ status: 200 }),
  },
  {
    operation: "PATCH /api/v1/ads/campaigns/{campaignId}",
    request: () => ({ path: draftPath(), json: { name: "Renamed by its owner" } }),
    refuse: notAdvertisers,
    attempts: advertiserAttempts(patchDraft),
    owner: asAdvertiser({ status: 200 }),
  },
  {
    operation: "POST /api/v1/ads/campaigns/{campaignId}/creative",
    request: creativeForDraft,
    refuse: notAdvertisers,
    attempts: advertiserAttempts(creativeForDraft),
    owner: asAdvertiser({ status: 201 }),
  },
  {
    operation: "GET /api/v1/ads/campaigns/{campaignId}/report",
    request: reportOfDraft,
    refuse: notAdvertisers,
    attempts: advertiserAttempts(reportOfDraft),
    owner: asAdvertiser({ status: 200 }),
  },
  {
    operation: "GET /api/v1/moderation/ad-reviews",
    request: () => ({ path: "/api/v1/moderation/ad-reviews" }),
    refuse: notAdvertisers,
    attempts: [
      {
        name: "an advertiser",
        request: () => ({
          path: "/api/v1/moderation/ad-reviews",
          headers: bearer(ads.advertiser.accessToken),
        }),
        status: 403,
      },
    ],
    owner: { as: () => ({ token: ads.moderator.accessToken }), status: 200 },
  },
  {
    operation: "POST /api/v1/moderation/ad-reviews/{campaignId}",
    request: decideInReview,
    refuse: notAdvertisers,
    attempts: [
      {
        name: "the campaign's own advertiser approving it",
        request: () => ({ ...decideInReview(), headers: bearer(ads.advertiser.accessToken) }),
        status: 403,
      },
      {
        name: "a moderator approving their own campaign",
        request: () => ({
          path: `/api/v1/moderation/ad-reviews/${ads.ownInReview.id}`,
          json: { decision: "approve", kidsSafe: false, updatedAt: ads.ownInReview.updatedAt },
          headers: bearer(ads.both.accessToken),
        }),
        status: 403,
      },
    ],
    owner: { as: () => ({ token: ads.moderator.accessToken }), status: 200 },
  },
];

/** Ads operations anyone may call, and why. */
export const ADS_PUBLIC_OPERATIONS: Record<string, string> = {
  "GET /api/v1/ads/vast":
    "a VAST document for any player (optional bearer: a signed-in viewer's plan may make it empty); each call is an ad decision bound by the campaigns' budgets and the viewer's caps",
  "GET /api/v1/ads/track/{token}":
    "a VAST beacon fired by third-party players without credentials; authenticated by the token's signature (per session and event): forged or replayed beacons answer 204 and count nothing",
  "GET /api/v1/ads/click/{token}":
    "the click-through redirect, followed by viewers without credentials; authenticated by the token's signature, and it redirects only to the campaign's registered URL",
};
