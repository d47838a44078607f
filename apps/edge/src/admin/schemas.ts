import { z } from "@hono/zod-openapi";
import { CHANNEL_MODERATION_STATES, ROLES } from "@marquee/shared";
import { ListQuery, pageOf } from "../lib/pagination";
import { entityId } from "../lib/params";
import { SingleLineText } from "../lib/text";

export const UserParam = z.object({ userId: entityId("account") });

export const UserQuery = ListQuery.extend({
  // D1 refuses LIKE patterns over 50 bytes: the term escaped (each % or _ doubles) plus two wildcards
  // must fit, so at most 24 bytes of UTF-8.
  q: z
    .string()
    .trim()
    .min(1)
    .max(24)
    .refine((q) => new TextEncoder().encode(q).length <= 24, "At most 24 bytes of UTF-8")
    .optional()
    .openapi({
      description:
        "An email prefix, part of a display name, or a channel handle prefix (@ optional); at most 24 bytes",
    }),
  role: z.enum(ROLES).optional(),
  suspended: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional()
    .openapi({ description: "true: only suspended accounts; false: only the others" }),
});
export type UserQuery = z.infer<typeof UserQuery>;

const Suspension = z
  .object({ at: z.string(), reason: z.string().nullable() })
  .nullable()
  .openapi({ description: "Null unless an admin suspended the account" });

const UserChannel = z
  .object({
    id: z.string(),
    handle: z.string(),
    name: z.string(),
    moderationState: z.enum(CHANNEL_MODERATION_STATES),
    demonetised: z.boolean(),
  })
  .nullable();

export const AdminUser = z
  .object({
    id: z.string(),
    email: z.string(),
    displayName: z.string(),
    roles: z.array(z.enum(ROLES)),
    suspension: Suspension,
    channel: UserChannel,
    createdAt: z.string(),
  })
  .openapi("AdminUser");

export const AdminUserPage = pageOf("AdminUserPage", AdminUser);

export const AdminUserDetail = AdminUser.extend({
  activeStrikes: z
    .number()
    .int()
    .openapi({ description: "Strikes on the channel neither lifted nor expired" }),
  activeWarnings: z.number().int(),
  liveSessions: z.number().int(),
}).openapi("AdminUserDetail");

export const SuspensionInput = z
  .strictObject({
    suspended: z.boolean(),
    reason: SingleLineText(1, 500).openapi({ description: "Shown to the person when they try to sign in" }),
  })
  .openapi("SuspensionInput");
