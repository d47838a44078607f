/**
 * Which domain events become which webhook events, and the fan-out: one delivery row per endpoint
 * of the channel that asked for the type, then one message per new delivery on the webhooks queue.
 * The delivery id is the domain event's id with the endpoint's, so the event consumer running this
 * twice (at-least-once) finds the rows and makes none; a queue message sent twice is harmless too
 * (deliver.ts claims each attempt once).
 */
import type { DomainEvent } from "@marquee/shared";
import { and, eq, inArray } from "drizzle-orm";
import { loadConfig } from "../config";
import { createDb, type Db } from "../db/client";
import { comments, videos, webhookDeliveries, webhookEndpoints } from "../db/schema";
import type { EventHandlers } from "../events/handlers";
import { sha256Hex } from "../lib/ids";
import { publicBaseUrl } from "../playback/urls";

export const WEBHOOK_EVENT_TYPES = [
  "video.ready",
  "video.failed",
  "video.deleted",
  "comment.created",
  "subscription.created",
] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
/** Sent only by "send test event"; no endpoint subscribes to it. */
export type WebhookDeliveryType = WebhookEventType | "webhook.test";

/** A message on the webhooks queue: attempt `attempt` of one delivery. */
export interface WebhookAttemptMessage {
  deliveryId: string;
  attempt: number;
}

/** What every delivery's body looks like (docs/webhooks.md). */
export function webhookBody(
  eventId: string,
  type: WebhookDeliveryType,
  occurredAt: string,
  channelId: string,
  data: Record<string, unknown>,
): string {
  return JSON.stringify({ id: eventId, type, createdAt: occurredAt, channelId, data });
}

/** Records the deliveries of one event and queues their first attempts. */
export async function fanOut(
  env: Env,
  db: Db,
  event: { id: string; type: WebhookEventType; occurredAt: string; channelId: string },
  data: Record<string, unknown>,
): Promise<void> {
  const endpoints = (
    await db
      .select({ id: webhookEndpoints.id, events: webhookEndpoints.events })
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.channelId, event.channelId))
  ).filter((e) => e.events.includes(event.type));
  if (endpoints.length === 0) return;
  const body = webhookBody(event.id, event.type, event.occurredAt, event.channelId, data);
  const ids = await Promise.all(endpoints.map((e) => deliveryId(event.id, e.id)));
  await db
    .insert(webhookDeliveries)
    .values(
      endpoints.map((e, n) => ({
        id: ids[n] as string,
        endpointId: e.id,
        eventId: event.id,
        eventType: event.type,
        body,
        nextAttemptAt: Date.now(),
      })),
    )
    .onConflictDoNothing();
  // Only deliveries not yet tried: a redelivered event must not restart a retry schedule.
  const fresh = await db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(
      and(
        inArray(webhookDeliveries.id, ids),
        eq(webhookDeliveries.attempts, 0),
        eq(webhookDeliveries.status, "pending"),
      ),
    );
  if (fresh.length === 0) return;
  await env.WEBHOOKS.sendBatch(
    fresh.map((d) => ({ body: { deliveryId: d.id, attempt: 1 } satisfies WebhookAttemptMessage })),
  );
}

/**
 * One delivery per (event, endpoint), named so a repeat finds it: a hash of the pair, so the id has
 * a fixed length whatever the event id (list cursors carry it, and they bound an id's length).
 */
export async function deliveryId(eventId: string, endpointId: string): Promise<string> {
  return `whd_${(await sha256Hex(`${eventId}\n${endpointId}`)).slice(0, 32)}`;
}

/** From PUBLIC_URL (publicBaseUrl), never from a request: there is none here. */
const watchUrl = (env: Env, videoId: string) => `${publicBaseUrl(loadConfig(env))}/watch/${videoId}`;

/** The video's channel, unless it is an ad creative (no events of those: docs/webhooks.md). */
async function channelOfVideo(db: Db, videoId: string): Promise<string | null> {
  const row = await db
    .select({ channelId: videos.channelId, kind: videos.kind })
    .from(videos)
    .where(eq(videos.id, videoId))
    .get();
  return row && row.kind !== "ad" ? row.channelId : null;
}

type Of<T extends DomainEvent["type"]> = Extract<DomainEvent, { type: T }>;
const envelope = (event: DomainEvent, type: WebhookEventType, channelId: string) => ({
  id: event.id,
  type,
  occurredAt: event.occurredAt,
  channelId,
});

/** What the webhooks domain does with queue events (registered in events/consumer.ts). */
export const webhooksEventHandlers: EventHandlers = {
  "video.published": [
    async (event: Of<"video.published">, env) => {
      const { videoId, channelId, title, visibility } = event.payload;
      await fanOut(env, createDb(env.DB), envelope(event, "video.ready", channelId), {
        videoId,
        title,
        visibility,
        watchUrl: watchUrl(env, videoId),
      });
    },
  ],
  "video.failed": [
    async (event: Of<"video.failed">, env) => {
      const { videoId, channelId, reason } = event.payload;
      await fanOut(env, createDb(env.DB), envelope(event, "video.failed", channelId), { videoId, reason });
    },
  ],
  "video.deleted": [
    async (event: Of<"video.deleted">, env) => {
      const db = createDb(env.DB);
      const { videoId, channelId } = event.payload;
      // The row stays (deletion marks it): an ad creative's deletion is no video of the channel's.
      if ((await channelOfVideo(db, videoId)) === null) return;
      await fanOut(env, db, envelope(event, "video.deleted", channelId), { videoId });
    },
  ],
  "comment.created": [
    async (event: Of<"comment.created">, env) => {
      const db = createDb(env.DB);
      const { commentId, videoId, excerpt } = event.payload;
      // A comment removed or deleted before this ran is not sent (its excerpt with it).
      const comment = await db
        .select({ status: comments.status })
        .from(comments)
        .where(eq(comments.id, commentId))
        .get();
      if (comment?.status !== "published") return;
      const channelId = await channelOfVideo(db, videoId);
      if (!channelId) return;
      await fanOut(env, db, envelope(event, "comment.created", channelId), { commentId, videoId, excerpt });
    },
  ],
  "subscription.created": [
    async (event: Of<"subscription.created">, env) => {
      // The subscriber's identity is the viewer's, not the channel's: only the fact is sent.
      const { channelId, level } = event.payload;
      await fanOut(env, createDb(env.DB), envelope(event, "subscription.created", channelId), { level });
    },
  ],
};
