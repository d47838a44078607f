import type { DomainEvent, DomainEventType } from "@marquee/shared";
import { eq } from "drizzle-orm";
import { createDb } from "../db/client";
import { processedEvents } from "../db/schema";
import { historyEventHandlers } from "../history/events";
import { removeVideoMedia } from "../housekeeping/storage";
import { createLogger } from "../lib/logger";
import { reportsEventHandlers } from "../moderation/report-erasure";
import { streamsEventHandlers } from "../playback/streams/events";
import { playlistsEventHandlers } from "../playlists/service";
import { commentsEventHandlers } from "../social/comments/events";
import { notificationsEventHandlers } from "../social/notifications/events";
import { reactionsEventHandlers } from "../social/reactions/events";
import { subscriptionsEventHandlers } from "../social/subscriptions/events";
import { webhooksEventHandlers } from "../webhooks/events";
import type { EventHandler, EventHandlers } from "./handlers";

/** Handlers of the core domains. */
const coreHandlers: EventHandlers = {
  // Media goes with its video; deleting a prefix twice is harmless.
  "video.deleted": [
    // Revokes the media generation again (idempotent) before removing the files, so a redelivery
    // retries a revocation KV refused during DELETE.
    async (event, env) => void (await removeVideoMedia(env, event.payload.videoId)),
  ],
};

/**
 * Who reacts to which event: every domain's handler map, merged. Handlers must be idempotent: a
 * handler can run again if the batch fails after it ran but before the event was recorded.
 */
const DOMAINS: EventHandlers[] = [
  coreHandlers,
  reactionsEventHandlers,
  commentsEventHandlers,
  subscriptionsEventHandlers,
  notificationsEventHandlers,
  historyEventHandlers,
  streamsEventHandlers,
  reportsEventHandlers,
  webhooksEventHandlers,
  playlistsEventHandlers,
];

function handlersFor(type: DomainEventType): EventHandler<DomainEventType>[] {
  return DOMAINS.flatMap((d) => (d[type] ?? []) as EventHandler<DomainEventType>[]);
}

function subjectOf(event: DomainEvent): string | null {
  switch (event.type) {
    case "account.deleted":
      return event.payload.accountId;
    case "profile.deleted":
      return event.payload.profileId;
    case "video.published":
    case "video.deleted":
    case "video.failed":
      return event.payload.videoId;
    case "comment.created":
    case "comment.replied":
    case "mention":
      return event.payload.commentId;
    case "subscription.created":
      return event.payload.channelId;
    case "notification.batch":
      return event.payload.sourceEventId;
  }
}

export async function consumeEvents(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const log = createLogger({ queue: batch.queue });
  const db = createDb(env.DB);
  for (const message of batch.messages) {
    const event = message.body as DomainEvent;
    try {
      const seen = await db
        .select({ id: processedEvents.id })
        .from(processedEvents)
        .where(eq(processedEvents.id, event.id))
        .get();
      if (!seen) {
        for (const handler of handlersFor(event.type)) await handler(event, env);
        await db
          .insert(processedEvents)
          .values({ id: event.id, type: event.type, subject: subjectOf(event) })
          .onConflictDoNothing();
      }
      log("info", { event: "queue-event-handled", type: event.type, id: event.id, duplicate: Boolean(seen) });
      message.ack();
    } catch (error) {
      log("error", { event: "queue-event-failed", type: event.type, id: event.id, error: String(error) });
      message.retry({ delaySeconds: Math.min(60, 2 ** message.attempts) });
    }
  }
}
