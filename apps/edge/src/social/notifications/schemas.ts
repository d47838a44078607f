import { z } from "@hono/zod-openapi";
import { pageOf } from "../../lib/pagination";
import { NOTIFICATION_TYPES } from "./types";

export const NotificationTypeSchema = z.enum(NOTIFICATION_TYPES);

export const NotificationId = z
  .string()
  .regex(/^ntf_[0-9a-f]{32}$/, "A notification id")
  .openapi({ example: "ntf_0123456789abcdef0123456789abcdef" });

export const Notification = z
  .object({
    id: NotificationId,
    type: NotificationTypeSchema,
    data: z.record(z.string(), z.string()).openapi({
      description:
        "video.published: videoId, channelId, channelHandle, channelName, title, maturity. comment.created, " +
        "comment.replied (plus parentId) and mention: commentId, videoId, videoTitle, maturity, " +
        "authorProfileId, authorName, excerpt. `maturity` is the video's rating; a profile only sees " +
        "notifications rated at or below its current level.",
    }),
    read: z.boolean(),
    createdAt: z.string(),
  })
  .openapi("Notification");

/** A page of the list (lib/pagination.ts), with the unread count next to it. */
export const NotificationPage = pageOf("NotificationPage", Notification, { unread: z.number().int() });

/** The key of the list's cursor: the `seq` (arrival order) of the last notification served. */
export const NotificationsKey = z.strictObject({ s: z.number().int().positive() });

export const MarkReadBody = z
  .strictObject({
    ids: z.array(NotificationId).min(1).max(100).optional(),
    all: z.literal(true).optional(),
  })
  .refine((b) => (b.ids === undefined) !== (b.all === undefined), {
    message: "Send either `ids` (1–100 notification ids) or `all: true`",
  })
  .openapi("MarkRead");

export const MarkReadResult = z
  .object({ updated: z.number().int(), unread: z.number().int() })
  .openapi("MarkReadResult");

export const UnreadCount = z.object({ unread: z.number().int() }).openapi("UnreadCount");

const typeFlags = <T extends z.ZodType>(flag: T) =>
  Object.fromEntries(NOTIFICATION_TYPES.map((t) => [t, flag])) as Record<
    (typeof NOTIFICATION_TYPES)[number],
    T
  >;

export const Preferences = z
  .object(typeFlags(z.boolean()))
  .openapi("NotificationPreferences", { description: "Per type: true = notify me (the default)" });

export const PreferencesPatch = z
  .strictObject(typeFlags(z.boolean().optional()))
  .openapi("NotificationPreferencesUpdate", { description: "Types left out keep their setting" });
