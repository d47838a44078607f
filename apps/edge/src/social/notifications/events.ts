import { inArray } from "drizzle-orm";
import { createDb } from "../../db/client";
import { notificationPreferences } from "../../db/schema";
import { chunksOf, onErasure } from "../../events/erasure";
import type { EventHandlers } from "../../events/handlers";
import { createLogger } from "../../lib/logger";
import { onCommentCreated, onCommentReplied, onMention } from "./comment-notifications";
import { deliverToInboxes, forEachLimited, inboxOf } from "./delivery";
import { fanOutVideoPublished } from "./fanout";

const log = createLogger({ domain: "notifications" });

/**
 * Erases the profiles' inboxes (each object keeps only an "erased" marker, its sockets closed) and
 * their preferences (normally already gone with the profiles, by ON DELETE CASCADE: a handful of
 * rows per profile, so one statement per chunk of ids, not a batched loop). Idempotent.
 */
export async function eraseInboxes(env: Env, profileIds: readonly string[]): Promise<void> {
  await forEachLimited(profileIds, 8, (profileId) => inboxOf(env, profileId).deleteAll());
  const db = createDb(env.DB);
  for (const ids of chunksOf(profileIds)) {
    await db.delete(notificationPreferences).where(inArray(notificationPreferences.profileId, ids));
  }
}

/** What the notifications domain does with queue events (registered in events/consumer.ts). */
export const notificationsEventHandlers: EventHandlers = {
  "video.published": [
    async (event, env) => {
      const stats = await fanOutVideoPublished(env, event);
      log("info", { event: "notification-fanout", sourceEventId: event.id, ...stats });
    },
  ],
  "comment.created": [async (event, env) => onCommentCreated(env, event)],
  "comment.replied": [async (event, env) => onCommentReplied(env, event)],
  mention: [async (event, env) => onMention(env, event)],
  // One page of a fan-out; preferences were applied when the page was made.
  "notification.batch": [
    async (event, env) =>
      deliverToInboxes(
        env,
        {
          sourceEventId: event.payload.sourceEventId,
          type: event.payload.notificationType,
          data: event.payload.data,
          createdAt: Date.parse(event.occurredAt) || Date.now(),
        },
        event.payload.recipientProfileIds,
      ),
  ],
  ...onErasure((env, { profileIds }) => eraseInboxes(env, profileIds)),
};
