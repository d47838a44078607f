import { z } from "@hono/zod-openapi";
import { ROLES } from "@marquee/shared";
import { AccountSchema } from "../accounts/schemas";
import { requireActor } from "../auth/middleware";
import { authorize } from "../auth/permissions";
import { bearerSecurity, commonErrors, createRouter, jsonBody, jsonContent, routesOf } from "../lib/openapi";
import { entityId } from "../lib/params";
import { services } from "../services";
import { setRoles } from "./service";

const route = routesOf({ tags: ["admin"], security: bearerSecurity });

export const adminRoutes = createRouter().openapi(
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
);
