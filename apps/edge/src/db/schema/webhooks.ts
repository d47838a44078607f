import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { channelRef } from "./channels";
import { cascadeRef, now, timestamps } from "./columns";

/**
 * A channel's HTTPS endpoint for integrator webhooks (docs/webhooks.md). `secret` signs every
 * delivery; after a rotation `previous_secret` signs too, until `previous_secret_expires_at`.
 */
export const webhookEndpoints = sqliteTable(
  "webhook_endpoints",
  {
    id: text("id").primaryKey(),
    channelId: channelRef(),
    url: text("url").notNull(),
    description: text("description").notNull().default(""),
    /** The event types it receives (a JSON array of WebhookEventType). */
    events: text("events", { mode: "json" }).$type<string[]>().notNull(),
    secret: text("secret").notNull(),
    previousSecret: text("previous_secret"),
    previousSecretExpiresAt: integer("previous_secret_expires_at"),
    ...timestamps(),
  },
  (t) => [index("webhook_endpoints_channel_idx").on(t.channelId)],
);

/**
 * One event for one endpoint. `body` is the exact JSON sent (and signed) on every attempt;
 * (endpoint, event) is unique, so a redelivered domain event never makes a second delivery.
 * `attempts` is the claim counter: an attempt runs only for the message whose number is next.
 */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    endpointId: cascadeRef("endpoint_id", () => webhookEndpoints.id),
    eventId: text("event_id").notNull(),
    eventType: text("event_type").notNull(),
    body: text("body").notNull(),
    status: text("status").$type<"pending" | "succeeded" | "failed">().notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastStatusCode: integer("last_status_code"),
    /** When the next attempt is due (null once it succeeded or gave up). */
    nextAttemptAt: integer("next_attempt_at"),
    createdAt: integer("created_at").notNull().default(now),
    completedAt: integer("completed_at"),
  },
  (t) => [
    uniqueIndex("webhook_deliveries_event_idx").on(t.endpointId, t.eventId),
    index("webhook_deliveries_endpoint_idx").on(t.endpointId, t.createdAt),
    // The cron's sweep of overdue attempts (requeueStalledDeliveries).
    index("webhook_deliveries_due_idx").on(t.status, t.nextAttemptAt),
  ],
);

/** Each attempt of a delivery: the delivery log shows these (response code or network error). */
export const webhookAttempts = sqliteTable(
  "webhook_attempts",
  {
    deliveryId: cascadeRef("delivery_id", () => webhookDeliveries.id),
    attempt: integer("attempt").notNull(),
    at: integer("at").notNull(),
    statusCode: integer("status_code"),
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
  },
  (t) => [primaryKey({ columns: [t.deliveryId, t.attempt] })],
);
