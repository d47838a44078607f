import type { EventHandlers } from "../../events/handlers";
import { createLogger } from "../../lib/logger";
import {
  deliverToInboxes,
  fanOutVideoPublished,
  forEachLimited,
  inboxOf,
  onCommentCreated,
  onCommentReplied,
  onMention,
} from "./fanout";

const log = createLogger({ domain: "notifications" });

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
  "account.deleted": [async (event, env) => eraseInboxes(env, event.payload.profileIds)],
  "profile.deleted": [async (event, env) => eraseInboxes(env, [event.payload.profileId])],
};

/**
 * Erases the profiles' inboxes (each object keeps only an "erased" marker, its sockets closed) and
 * their preferences (normally already gone with the profiles, by ON DELETE CASCADE). Idempotent.
 */
async function eraseInboxes(env: Env, profileIds: readonly string[]): Promise<void> {
  await forEachLimited(profileIds, 8, (profileId) => inboxOf(env, profileId).deleteAll());
  for (const profileId of profileIds) {
    await env.DB.prepare("DELETE FROM notification_preferences WHERE profile_id = ?").bind(profileId).run();
  }
}
