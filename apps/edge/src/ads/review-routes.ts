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
      summary: "Approve (→ active) or reject (→ rejected, with a note) a campaign in review",
      description:
        "Moderators and admins. 409 when the campaign is not in review (or changed since it was read), " +
        "or when approving a creative that is not ready. A rejection needs a note.",
      request: { params: CampaignParam, body: jsonBody(ReviewDecision) },
      responses: { 200: jsonContent(CampaignSchema, "The campaign"), ...commonErrors },
    }),
    async (c) =>
      c.json(await decideReview(...caller(c), c.req.valid("param").campaignId, c.req.valid("json")), 200),
  );
