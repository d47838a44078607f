import type { DomainEvent, DomainEventType } from "@marquee/shared";
import { createDb } from "../db/client";
import { processedEvents } from "../db/schema";
import { deletePrefix, videoPrefix } from "../housekeeping/storage";
import { createLogger } from "../lib/logger";

type Handler<T extends DomainEventType> = (
  event: Extract<DomainEvent, { type: T }>,
  env: Env,
) => Promise<void>;

/**
 * Who reacts to which event. Later domains register here (e.g. social erases reactions on
 * `account.deleted`). Handlers must be idempotent: a handler can run again if the batch fails
 * after it ran but before the event was recorded as processed.
 */
const handlers: { [T in DomainEventType]: Handler<T>[] } = {
  "account.deleted": [],
  "video.published": [],
  // Media goes with its video; deleting a prefix twice is harmless.
  "video.deleted": [
    async (event, env) => void (await deletePrefix(env.MEDIA, videoPrefix(event.payload.videoId))),
  ],
};

export function onEvent<T extends DomainEventType>(type: T, handler: Handler<T>): void {
  handlers[type].push(handler);
}

function subjectOf(event: DomainEvent): string | null {
  switch (event.type) {
    case "account.deleted":
      return event.payload.accountId;
    case "video.published":
    case "video.deleted":
      return event.payload.videoId;
  }
}

export async function consumeEvents(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const log = createLogger({ queue: batch.queue });
  const db = createDb(env.DB);
  for (const message of batch.messages) {
    const event = message.body as DomainEvent;
    try {
      const seen = await env.DB.prepare("SELECT 1 FROM processed_events WHERE id = ?").bind(event.id).first();
      if (!seen) {
        const list = (handlers[event.type] ?? []) as Handler<DomainEventType>[];
        for (const handler of list) await handler(event, env);
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
