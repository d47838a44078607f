import { z } from "@hono/zod-openapi";
import { ROLES } from "@marquee/shared";
import { AccountSchema } from "../accounts/schemas";
import { requireActor } from "../auth/middleware";
import { authorize } from "../auth/permissions";
import { bearerSecurity, commonErrors, createRouter, jsonBody, jsonContent, routesOf } from "../lib/openapi";
import { entityId } from "../lib/params";
import { caller, services } from "../services";
import { AdminUserDetail, AdminUserPage, SuspensionInput, UserParam, UserQuery } from "./schemas";
import { setRoles } from "./service";
import { setSuspension } from "./suspension";
import { getUser, listUsers } from "./users";

const route = routesOf({ tags: ["admin"], security: bearerSecurity });

export const adminRoutes = createRouter()
  .openapi(
    route({
      method: "put",
      path: "/admin/users/{userId}/role",
      summary: "Replace a user's roles (admin only); viewer is always kept",
      request: {
        params: z.object({
          userId: entityId("account"),
        }),
        body: jsonBody(z.strictObject({ roles: z.array(z.enum(ROLES)).max(ROLES.length) })),
      },
      responses: { 200: jsonContent(AccountSchema, "The account with its new roles"), ...commonErrors },
    }),
    async (c) => {
      const actor = requireActor(c);
      authorize(actor, "admin.roles.assign");
      return c.json(
        await setRoles(services(c), actor, c.req.valid("param").userId, c.req.valid("json").roles),
        200,
      );
    },
  )
  .openapi(
    route({
      method: "get",
      path: "/admin/users",
      summary: "Search accounts, newest first (admin): by email prefix, display name or channel handle",
      request: { query: UserQuery },
      responses: { 200: jsonContent(AdminUserPage, "A page of accounts"), ...commonErrors },
    }),
    async (c) => c.json(await listUsers(...caller(c), c.req.valid("query")), 200),
  )
  .openapi(
    route({
      method: "get",
      path: "/admin/users/{userId}",
      summary: "One account's standing (admin): roles, suspension, channel and its moderation, strikes",
      request: { params: UserParam },
      responses: { 200: jsonContent(AdminUserDetail, "The account"), ...commonErrors },
    }),
    async (c) => c.json(await getUser(...caller(c), c.req.valid("param").userId), 200),
  )
  .openapi(
    route({
      method: "put",
      path: "/admin/users/{userId}/suspension",
      summary: "Suspend an account or lift its suspension (admin; audited)",
      description:
        "Suspending revokes every session, hides the account's videos and refuses sign-in and refresh " +
        "(403 account_suspended, with the reason). Lifting it un-hides the videos; the person signs in " +
        "again. Setting the state the account already has changes nothing. An admin cannot suspend " +
        "themself (409).",
      request: { params: UserParam, body: jsonBody(SuspensionInput) },
      responses: { 200: jsonContent(AdminUserDetail, "The account"), ...commonErrors },
    }),
    async (c) =>
      c.json(await setSuspension(...caller(c), c.req.valid("param").userId, c.req.valid("json")), 200),
  );
