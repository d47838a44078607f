import { bearerSecurity, commonErrors, createRouter, jsonContent, routesOf } from "../lib/openapi";
import { caller } from "../services";
import { AuditPage, AuditQuery, AuditVerification } from "./schemas";
import { listAudit, verifyAuditLog } from "./service";

const route = routesOf({ tags: ["admin"], security: bearerSecurity });

/** The audit log under /api/v1 (docs/moderation.md): admins read it; nothing changes it through the API. */
export const auditRoutes = createRouter()
  .openapi(
    route({
      method: "get",
      path: "/admin/audit",
      summary: "The audit log, newest first, filtered by action, actor, target and time (admin)",
      description:
        "Every moderator and admin action, role change, suspension, plan change, payout run and " +
        "configuration change, with who (account and roles), what, before/after, reason and request id. " +
        "`from` is inclusive, `to` exclusive. Rows carry their hash-chain links once sealed.",
      request: { query: AuditQuery },
      responses: { 200: jsonContent(AuditPage, "A page of audit rows"), ...commonErrors },
    }),
    async (c) => c.json(await listAudit(...caller(c), c.req.valid("query")), 200),
  )
  .openapi(
    route({
      method: "get",
      path: "/admin/audit/verify",
      summary: "Seal pending audit rows, then recompute the whole hash chain (admin)",
      description:
        "`ok` is false when a row was changed, removed or inserted in the database behind the API's " +
        "back; `firstBrokenSeq` names the first row whose hashes no longer match. Reads the whole log " +
        "in pages.",
      responses: { 200: jsonContent(AuditVerification, "The chain's state"), ...commonErrors },
    }),
    async (c) => c.json(await verifyAuditLog(...caller(c)), 200),
  );
