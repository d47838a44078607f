import { z } from "@hono/zod-openapi";
import { requireActor } from "../auth/middleware";
import { authorize } from "../auth/permissions";
import {
  bearerSecurity,
  commonErrors,
  createRouter,
  jsonBody,
  jsonContent,
  optionalBearerSecurity,
  routesOf,
} from "../lib/openapi";
import { ChannelParam } from "../lib/params";
import { MultiLineText, SingleLineText } from "../lib/text";
import { caller, services } from "../services";
import * as channels from "./service";

const route = routesOf({ tags: ["channels"], security: bearerSecurity });

export const Handle = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9_]{3,30}$/, "3–30 letters, digits or underscores")
  .openapi({ example: "ada_films" });
const ChannelName = SingleLineText(1, 80);
const Description = MultiLineText(5000);

const Channel = z
  .object({
    id: z.string(),
    handle: z.string(),
    name: z.string(),
    description: z.string(),
    ownerAccountId: z.string(),
    subscriberCount: z.number().int().openapi({ description: "Profiles following the channel" }),
    createdAt: z.string(),
  })
  .openapi("Channel");

export const channelRoutes = createRouter()
  .openapi(
    route({
      method: "post",
      path: "/me/channel",
      summary: "Create this account's channel; the account becomes a creator",
      request: {
        body: jsonBody(
          z.strictObject({ handle: Handle, name: ChannelName, description: Description.optional() }),
        ),
      },
      responses: { 201: jsonContent(Channel, "Created"), ...commonErrors },
    }),
    async (c) => {
      const actor = requireActor(c);
      authorize(actor, "channel.create");
      return c.json(await channels.createChannel(services(c), actor, c.req.valid("json")), 201);
    },
  )
  .openapi(
    route({
      method: "get",
      path: "/channels/{channelId}",
      security: optionalBearerSecurity,
      summary: "A channel by id or @handle",
      description:
        "A channel held pending review or suspended, or whose account is suspended, is 404 to everyone but its owner and staff.",
      request: { params: ChannelParam },
      responses: { 200: jsonContent(Channel, "The channel"), ...commonErrors },
    }),
    async (c) =>
      c.json(await channels.getChannelFor(services(c), c.var.actor, c.req.valid("param").channelId), 200),
  )
  .openapi(
    route({
      method: "patch",
      path: "/channels/{channelId}",
      summary: "Edit a channel (its owner or an admin)",
      request: {
        params: ChannelParam,
        body: jsonBody(z.strictObject({ name: ChannelName.optional(), description: Description.optional() })),
      },
      responses: { 200: jsonContent(Channel, "Updated"), ...commonErrors },
    }),
    async (c) =>
      c.json(
        await channels.updateChannel(...caller(c), c.req.valid("param").channelId, c.req.valid("json")),
        200,
      ),
  );
