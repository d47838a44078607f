import { bearerSecurity, commonErrors, createRouter, jsonBody, jsonContent, routesOf } from "../lib/openapi";
import { ListQuery } from "../lib/pagination";
import { caller } from "../services";
import { claimAppeal, createAppeal, decideAppeal, listAppeals } from "./appeals";
import { decideCase } from "./decisions";
import { claimCase, getCase, listCases, releaseCase } from "./queue";
import {
  AppealBody,
  AppealDecisionBody,
  AppealPage,
  AppealParam,
  AppealQuery,
  AppealSchema,
  CaseDetail,
  CasePage,
  CaseParam,
  CaseQuery,
  CaseSchema,
  DecisionBody,
  DecisionResult,
  MyAppealSchema,
  StrikePage,
  StrikeParam,
} from "./schemas";
import { listMyStrikes } from "./strikes";

const route = routesOf({ tags: ["moderation"], security: bearerSecurity });
const STAFF = "Moderators and admins (403 for anyone else).";

/** The review queue, strikes and appeals under /api/v1 (docs/moderation.md). */
export const moderationRoutes = createRouter()
  .openapi(
    route({
      method: "get",
      path: "/moderation/cases",
      summary: "The review queue: cases oldest first, filtered by state, target type, reason and age",
      description: `${STAFF} Without \`state\`, the cases still to decide (open and claimed).`,
      request: { query: CaseQuery },
      responses: { 200: jsonContent(CasePage, "A page of cases"), ...commonErrors },
    }),
    async (c) => c.json(await listCases(...caller(c), c.req.valid("query")), 200),
  )
  .openapi(
    route({
      method: "get",
      path: "/moderation/cases/{caseId}",
      summary: "A case: its reports, its target and the target owner's active strikes",
      description: STAFF,
      request: { params: CaseParam },
      responses: { 200: jsonContent(CaseDetail, "The case"), ...commonErrors },
    }),
    async (c) => c.json(await getCase(...caller(c), c.req.valid("param").caseId), 200),
  )
  .openapi(
    route({
      method: "post",
      path: "/moderation/cases/{caseId}/claim",
      summary: "Claim a case for `claimMinutes`: no other moderator decides it meanwhile",
      description: `${STAFF} Open, lapsed or already yours → 200; held by someone else or decided → 409 (with \`claimExpiresAt\`).`,
      request: { params: CaseParam },
      responses: { 200: jsonContent(CaseSchema, "Claimed"), ...commonErrors },
    }),
    async (c) => c.json(await claimCase(...caller(c), c.req.valid("param").caseId), 200),
  )
  .openapi(
    route({
      method: "post",
      path: "/moderation/cases/{caseId}/release",
      summary: "Give a claimed case back to the queue",
      description: `${STAFF} 409 when you do not hold it.`,
      request: { params: CaseParam },
      responses: { 200: jsonContent(CaseSchema, "Released"), ...commonErrors },
    }),
    async (c) => c.json(await releaseCase(...caller(c), c.req.valid("param").caseId), 200),
  )
  .openapi(
    route({
      method: "post",
      path: "/moderation/cases/{caseId}/decision",
      summary: "Decide a claimed case: dismiss, remove, age_restrict, demonetise or strike",
      description:
        `${STAFF} Only the claimant, while the claim holds (409 otherwise, and for a decided case). ` +
        "Decides every open report of the case, applies the effect, notifies the reporters, audits it.",
      request: { params: CaseParam, body: jsonBody(DecisionBody) },
      responses: { 200: jsonContent(DecisionResult, "Decided"), ...commonErrors },
    }),
    async (c) =>
      c.json(await decideCase(...caller(c), c.req.valid("param").caseId, c.req.valid("json")), 200),
  )
  .openapi(
    route({
      method: "get",
      path: "/me/strikes",
      summary: "The caller's channel's strikes and warnings (newest first), its upload freeze and state",
      description: "The caller's own channel: 403 for a kids profile, 409 when the account has no channel.",
      request: { query: ListQuery },
      responses: { 200: jsonContent(StrikePage, "A page of strikes"), ...commonErrors },
    }),
    async (c) => c.json(await listMyStrikes(...caller(c), c.req.valid("query")), 200),
  )
  .openapi(
    route({
      method: "post",
      path: "/me/strikes/{strikeId}/appeal",
      summary: "Appeal a strike or warning (once per strike, while it is active)",
      description:
        "Its owner only (404 for others' strikes); 409 for a second appeal or a lifted or expired strike — " +
        "except an expired strike while its channel is still suspended by strikes, which may be appealed " +
        "(granting it restores the channel once its active strikes are below the threshold). " +
        "The answer names no moderator.",
      request: { params: StrikeParam, body: jsonBody(AppealBody) },
      responses: { 201: jsonContent(MyAppealSchema, "Appealed"), ...commonErrors },
    }),
    async (c) =>
      c.json(await createAppeal(...caller(c), c.req.valid("param").strikeId, c.req.valid("json").text), 201),
  )
  .openapi(
    route({
      method: "get",
      path: "/moderation/appeals",
      summary: "Appeals oldest first; without `state`, those still to decide",
      description: STAFF,
      request: { query: AppealQuery },
      responses: { 200: jsonContent(AppealPage, "A page of appeals"), ...commonErrors },
    }),
    async (c) => c.json(await listAppeals(...caller(c), c.req.valid("query")), 200),
  )
  .openapi(
    route({
      method: "post",
      path: "/moderation/appeals/{appealId}/claim",
      summary: "Claim an appeal (never one of a strike you issued: 403)",
      description: `${STAFF} 409 while another moderator holds it, or once decided.`,
      request: { params: AppealParam },
      responses: { 200: jsonContent(AppealSchema, "Claimed"), ...commonErrors },
    }),
    async (c) => c.json(await claimAppeal(...caller(c), c.req.valid("param").appealId), 200),
  )
  .openapi(
    route({
      method: "post",
      path: "/moderation/appeals/{appealId}/decision",
      summary: "Grant (lift the strike, recompute the freeze, restore the channel) or deny an appeal",
      description: `${STAFF} Only the claimant, never the strike's issuer (403); 409 otherwise.`,
      request: { params: AppealParam, body: jsonBody(AppealDecisionBody) },
      responses: { 200: jsonContent(AppealSchema, "Decided"), ...commonErrors },
    }),
    async (c) =>
      c.json(await decideAppeal(...caller(c), c.req.valid("param").appealId, c.req.valid("json")), 200),
  );
