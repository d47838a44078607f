import { z } from "@hono/zod-openapi";
import { AppError } from "../lib/errors";
import { createRouter, jsonContent, publicSecurity, routesOf } from "../lib/openapi";
import { Limit } from "../lib/pagination";
import { listDevMail, listDevSms } from "../notify";

const DevRecord = { id: z.string(), to: z.string(), sentAt: z.string() };
const DevMailSchema = z
  .object({
    ...DevRecord,
    subject: z.string(),
    text: z.string(),
    html: z.string().optional(),
    tag: z.string().optional(),
  })
  .openapi("DevMail");
const DevSmsSchema = z.object({ ...DevRecord, body: z.string() }).openapi("DevSms");

const route = routesOf({ tags: ["development"], security: publicSecurity });

/**
 * The development mailbox: what the dev mailer and SMS sender "sent", newest first. Exists only
 * when APP_ENV is not production; in production it answers 404 like any unknown route.
 */
export const devRoutes = createRouter().openapi(
  route({
    method: "get",
    path: "/dev/mailbox",
    summary: "Messages sent by the development mailer and SMS sender (not in production)",
    request: {
      query: z.object({
        to: z.string().max(254).optional(),
        limit: Limit,
      }),
    },
    responses: {
      200: jsonContent(z.object({ email: z.array(DevMailSchema), sms: z.array(DevSmsSchema) }), "Messages"),
      404: { description: "Not available in production" },
    },
  }),
  async (c) => {
    if (!c.var.config.devRoutes) throw new AppError("not_found");
    const { to, limit } = c.req.valid("query");
    const filter = { limit, ...(to ? { to } : {}) };
    const [email, sms] = await Promise.all([
      listDevMail(c.env.SETTINGS, filter),
      listDevSms(c.env.SETTINGS, filter),
    ]);
    return c.json({ email, sms }, 200);
  },
);
