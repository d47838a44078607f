import { MODERATION_TEXT_MAX } from "@marquee/shared";
import { bearerSecurity, commonErrors, createRouter, jsonBody, jsonContent, routesOf } from "../lib/openapi";
import { ListQuery } from "../lib/pagination";
import { caller } from "../services";
import { Report, ReportCreate, ReportPage } from "./report-schemas";
import { fileReport, listMyReports } from "./reports";

const route = routesOf({ tags: ["moderation"], security: bearerSecurity });

/** Reporting under /api/v1 (docs/moderation.md, "Reports"): any signed-in profile; its own list. */
export const reportRoutes = createRouter()
  .openapi(
    route({
      method: "post",
      path: "/reports",
      summary: "Report a video (optionally at a position), a comment or a channel",
      description:
        "As the caller's account and active profile. The report joins the target's case under review; " +
        "enough weighted reports within the window hide the target pending review. Refused: your own " +
        "content (403), a second open report of the same target (409), a target you cannot see (404), a " +
        `reason outside the list or text over ${MODERATION_TEXT_MAX} characters (400), more than ` +
        "`reports.perAccountPerHour` reports an hour (429), the `reports` flag off for the account (403).",
      request: { body: jsonBody(ReportCreate) },
      responses: { 201: jsonContent(Report, "Filed"), ...commonErrors },
    }),
    async (c) => c.json(await fileReport(...caller(c), c.req.valid("json")), 201),
  )
  .openapi(
    route({
      method: "get",
      path: "/me/reports",
      summary: "The account's reports, newest first, with their state and outcome (cursor-paginated)",
      request: { query: ListQuery },
      responses: { 200: jsonContent(ReportPage, "A page of reports"), ...commonErrors },
    }),
    async (c) => c.json(await listMyReports(...caller(c), c.req.valid("query")), 200),
  );
