import { bearerSecurity, commonErrors, createRouter, jsonBody, jsonContent, routesOf } from "../lib/openapi";
import { caller } from "../services";
import { decideReview, listReviews } from "./reviews";
import { CampaignParam, CampaignSchema, ReviewDecision, ReviewListQuery, ReviewPage } from "./schemas";

const route = routesOf({ tags: ["ads"], security: bearerSecurity });

/** The moderators' review of campaigns and their creatives under /api/v1 (docs/ads.md). */
export const reviewRoutes = createRouter()
  .openapi(
    route({
      method: "get",
      path: "/moderation/ad-reviews",
      summary: "Campaigns awaiting review, longest waiting first, with a preview of each creative",
      description: "Moderators and admins.",
      request: { query: ReviewListQuery },
      responses: { 200: jsonContent(ReviewPage, "A page of campaigns in review"), ...commonErrors },
    }),
    async (c) => c.json(await listReviews(...caller(c), c.req.valid("query")), 200),
  )
  .openapi(
    route({
      method: "post",
      path: "/moderation/ad-reviews/{campaignId}",
      summary: "Approve (→ active, or paused if its owner had paused it) or reject (→ rejected, with a note)",
      description:
        "Moderators and admins, never on their own campaign (403). `updatedAt` is the version the moderator " +
        "saw: 409 when the campaign changed since, is not in review, or its creative is not ready. A rejection " +
        "needs a note; approving a campaign that claims kidsSafe needs `kidsSafe`. Retrying a decision that " +
        "was written but not pushed to the campaign's object pushes it again (200).",
      request: { params: CampaignParam, body: jsonBody(ReviewDecision) },
      responses: { 200: jsonContent(CampaignSchema, "The campaign"), ...commonErrors },
    }),
    async (c) =>
      c.json(await decideReview(...caller(c), c.req.valid("param").campaignId, c.req.valid("json")), 200),
  );
