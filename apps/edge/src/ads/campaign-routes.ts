import { bearerSecurity, commonErrors, createRouter, jsonBody, jsonContent, routesOf } from "../lib/openapi";
import { ListQuery } from "../lib/pagination";
import { caller } from "../services";
import * as campaigns from "./campaigns";
import { createCreative } from "./creatives";
import { campaignReport } from "./reports";
import {
  CampaignCreate,
  CampaignPage,
  CampaignParam,
  CampaignPatch,
  CampaignSchema,
  CreatedVideo,
  CreativeCreate,
  ReportQuery,
  ReportSchema,
} from "./schemas";

const route = routesOf({ tags: ["ads"], security: bearerSecurity });
const params = CampaignParam;

const WHO =
  "Advertisers (their own campaigns) and admins; 403 for anyone else. Another advertiser's campaign is 404.";

/** Advertisers' campaigns, creatives and reports under /api/v1 (docs/ads.md, "The API"). */
export const campaignRoutes = createRouter()
  .openapi(
    route({
      method: "post",
      path: "/ads/campaigns",
      summary: "Create a campaign (a draft: upload its creative, then ask for review)",
      description: `${WHO} Budgets and bid are positive integer cents, daily ≤ total; the click-through is https, not the platform itself.`,
      request: { body: jsonBody(CampaignCreate) },
      responses: { 201: jsonContent(CampaignSchema, "Created (draft)"), ...commonErrors },
    }),
    async (c) => c.json(await campaigns.createCampaign(...caller(c), c.req.valid("json")), 201),
  )
  .openapi(
    route({
      method: "get",
      path: "/ads/campaigns",
      summary: "The caller's campaigns, newest first, with their spend (cursor-paginated)",
      description: WHO,
      request: { query: ListQuery },
      responses: { 200: jsonContent(CampaignPage, "A page of campaigns"), ...commonErrors },
    }),
    async (c) => c.json(await campaigns.listCampaigns(...caller(c), c.req.valid("query")), 200),
  )
  .openapi(
    route({
      method: "get",
      path: "/ads/campaigns/{campaignId}",
      summary: "A campaign, its creative and its spend",
      description: WHO,
      request: { params },
      responses: { 200: jsonContent(CampaignSchema, "The campaign"), ...commonErrors },
    }),
    async (c) => c.json(await campaigns.getCampaign(...caller(c), c.req.valid("param").campaignId), 200),
  )
  .openapi(
    route({
      method: "patch",
      path: "/ads/campaigns/{campaignId}",
      summary: "Change a campaign, or its status (submit for review, pause, resume, end)",
      description:
        `${WHO} Status: draft|rejected → in_review (needs a ready creative), active ⇄ paused, anything → ended ` +
        "(final); others are 409. A new click-through URL (or kidsSafe turned on) sends an approved campaign back to review " +
        "(approval returns a paused one to paused). `targeting` changes only the dimensions it names.",
      request: { params, body: jsonBody(CampaignPatch) },
      responses: { 200: jsonContent(CampaignSchema, "The campaign"), ...commonErrors },
    }),
    async (c) =>
      c.json(
        await campaigns.updateCampaign(...caller(c), c.req.valid("param").campaignId, c.req.valid("json")),
        200,
      ),
  )
  .openapi(
    route({
      method: "post",
      path: "/ads/campaigns/{campaignId}/creative",
      summary: "Upload the campaign's creative: answers signed upload URLs exactly like POST /videos",
      description:
        `${WHO} A private video of kind ad in the advertiser's channel (made if they have none); then ` +
        "POST /videos/{videoId}/upload-complete. Replacing the creative of an approved campaign sends it back to review.",
      request: { params, body: jsonBody(CreativeCreate) },
      responses: { 201: jsonContent(CreatedVideo, "Created, awaiting its upload"), ...commonErrors },
    }),
    async (c) =>
      c.json(await createCreative(...caller(c), c.req.valid("param").campaignId, c.req.valid("json")), 201),
  )
  .openapi(
    route({
      method: "get",
      path: "/ads/campaigns/{campaignId}/report",
      summary: "The campaign's daily impressions, tracking events, clicks and spend (UTC days)",
      description: `${WHO} At most 92 days; default the last 14.`,
      request: { params, query: ReportQuery },
      responses: { 200: jsonContent(ReportSchema, "The report"), ...commonErrors },
    }),
    async (c) =>
      c.json(await campaignReport(...caller(c), c.req.valid("param").campaignId, c.req.valid("query")), 200),
  );
