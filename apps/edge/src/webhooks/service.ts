/**
 * Integrator webhooks of a channel (docs/webhooks.md): endpoints, their secrets, the test event and
 * the delivery log. The channel's owner does everything; an admin may read and remove, not redirect. A secret is
 * shown when it is made (create, rotate) and never again.
 */
import { and, desc, eq, inArray } from "drizzle-orm";
import { gate } from "../auth/limits";
import { authorize } from "../auth/permissions";
import { getChannel } from "../channels/service";
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from "../db/schema";
import { AppError } from "../lib/errors";
import { newId } from "../lib/ids";
import { decodeCursor, keysetPage, type ListQuery, newestAfter, TimeKey } from "../lib/pagination";
import type { Services } from "../services";
import type { Actor } from "../types";
import { addressRulesOf, checkWebhookUrl, ResolverUnavailable } from "./address";
import { deliveryId, type WebhookAttemptMessage, type WebhookEventType, webhookBody } from "./events";
import { newWebhookSecret } from "./signature";

/** Endpoints per channel: enough for staging and production receivers, not a fan-out amplifier. */
export const MAX_ENDPOINTS_PER_CHANNEL = 10;
/** How long a rotated-out secret still signs deliveries. */
export const PREVIOUS_SECRET_TTL_MS = 24 * 3600 * 1000;

type EndpointRow = typeof webhookEndpoints.$inferSelect;

const endpointView = (row: EndpointRow) => ({
  id: row.id,
  channelId: row.channelId,
  url: row.url,
  description: row.description,
  events: row.events as WebhookEventType[],
  previousSecretExpiresAt:
    row.previousSecret && row.previousSecretExpiresAt && row.previousSecretExpiresAt > Date.now()
      ? new Date(row.previousSecretExpiresAt).toISOString()
      : null,
  createdAt: new Date(row.createdAt).toISOString(),
  updatedAt: new Date(row.updatedAt).toISOString(),
});

/**
 * What a call does: reading and removing are the owner's or an admin's (`channel.manage`); choosing
 * where events go and what signs them (create, edit, rotate, test) is the owner's only.
 */
type Access = "channel.manage" | "webhooks.direct";

/** The channel, if the caller may do `access` on its webhooks. */
async function managedChannel(s: Services, actor: Actor, channelRef: string, access: Access) {
  const channel = await getChannel(s, channelRef);
  authorize(actor, access, { ownerAccountId: channel.ownerAccountId });
  return channel;
}

async function managedEndpoint(
  s: Services,
  actor: Actor,
  channelRef: string,
  webhookId: string,
  access: Access,
) {
  const channel = await managedChannel(s, actor, channelRef, access);
  const row = await s.db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, webhookId), eq(webhookEndpoints.channelId, channel.id)))
    .get();
  if (!row) throw new AppError("not_found", "No such webhook on this channel");
  return row;
}

/** Refuses a URL that is not https or reaches a private address (400 naming why). */
async function assertDeliverable(s: Services, url: string): Promise<void> {
  try {
    const verdict = await checkWebhookUrl(url, addressRulesOf(s.config));
    if (!verdict.ok) {
      throw new AppError("validation_failed", verdict.reason, {
        errors: [{ path: "body.url", message: verdict.reason }],
      });
    }
  } catch (error) {
    if (error instanceof ResolverUnavailable) {
      throw new AppError("unavailable", "The webhook URL's host could not be looked up; try again", {
        cause: error,
      });
    }
    throw error;
  }
}

export async function listEndpoints(s: Services, actor: Actor, channelRef: string) {
  const channel = await managedChannel(s, actor, channelRef, "channel.manage");
  const rows = await s.db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.channelId, channel.id))
    .orderBy(desc(webhookEndpoints.createdAt));
  return { items: rows.map(endpointView) };
}

export async function getEndpoint(s: Services, actor: Actor, channelRef: string, webhookId: string) {
  return endpointView(await managedEndpoint(s, actor, channelRef, webhookId, "channel.manage"));
}

export async function createEndpoint(
  s: Services,
  actor: Actor,
  channelRef: string,
  input: { url: string; events: WebhookEventType[]; description?: string },
) {
  const channel = await managedChannel(s, actor, channelRef, "webhooks.direct");
  await assertDeliverable(s, input.url);
  const existing = await s.db
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.channelId, channel.id));
  if (existing.length >= MAX_ENDPOINTS_PER_CHANNEL) {
    throw new AppError("limit_reached", `A channel has at most ${MAX_ENDPOINTS_PER_CHANNEL} webhooks`);
  }
  const secret = newWebhookSecret();
  const row = await s.db
    .insert(webhookEndpoints)
    .values({
      id: newId("whe"),
      channelId: channel.id,
      url: input.url,
      events: [...new Set(input.events)],
      description: input.description ?? "",
      secret,
    })
    .returning()
    .get();
  return { ...endpointView(row), secret };
}

export async function updateEndpoint(
  s: Services,
  actor: Actor,
  channelRef: string,
  webhookId: string,
  patch: { url?: string; events?: WebhookEventType[]; description?: string },
) {
  const row = await managedEndpoint(s, actor, channelRef, webhookId, "webhooks.direct");
  if (patch.url !== undefined) await assertDeliverable(s, patch.url);
  const updated = await s.db
    .update(webhookEndpoints)
    .set({
      ...(patch.url !== undefined ? { url: patch.url } : {}),
      ...(patch.events !== undefined ? { events: [...new Set(patch.events)] } : {}),
      ...(patch.description !== undefined ? { description: patch.description } : {}),
      updatedAt: Date.now(),
    })
    .where(eq(webhookEndpoints.id, row.id))
    .returning()
    .get();
  if (!updated) throw new AppError("not_found", "No such webhook on this channel");
  return endpointView(updated);
}

export async function deleteEndpoint(s: Services, actor: Actor, channelRef: string, webhookId: string) {
  const row = await managedEndpoint(s, actor, channelRef, webhookId, "channel.manage");
  // Its deliveries and their attempts go with it (ON DELETE CASCADE); queued attempts find nothing.
  await s.db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, row.id));
}

/**
 * A new secret; the current one keeps signing too for a day (both `v1=` are sent), so receivers
 * can switch over without losing a delivery. Rotating again within that day drops the oldest.
 */
export async function rotateSecret(s: Services, actor: Actor, channelRef: string, webhookId: string) {
  const row = await managedEndpoint(s, actor, channelRef, webhookId, "webhooks.direct");
  const secret = newWebhookSecret();
  const now = Date.now();
  const updated = await s.db
    .update(webhookEndpoints)
    .set({
      secret,
      previousSecret: row.secret,
      previousSecretExpiresAt: now + PREVIOUS_SECRET_TTL_MS,
      updatedAt: now,
    })
    // Compare-and-set on the secret: of two rotations at once, one wins and the other is a 409,
    // so no caller is shown a secret that was overwritten before it was ever used.
    .where(and(eq(webhookEndpoints.id, row.id), eq(webhookEndpoints.secret, row.secret)))
    .returning()
    .get();
  if (!updated) throw new AppError("conflict", "The secret was rotated meanwhile; rotate again");
  return { ...endpointView(updated), secret };
}

/** Queues a `webhook.test` delivery to this endpoint (whatever events it receives). */
/** Test events per endpoint and minute: a button, not a way to fill the delivery log and the queue. */
export const TEST_EVENTS_PER_MINUTE = 10;

export async function sendTestEvent(s: Services, actor: Actor, channelRef: string, webhookId: string) {
  const row = await managedEndpoint(s, actor, channelRef, webhookId, "webhooks.direct");
  // Keyed by the endpoint, which only its owner can reach: no stranger spends it.
  await gate(
    s.env,
    [[`webhook-test:${row.id}`, { limit: TEST_EVENTS_PER_MINUTE, windowSeconds: 60 }]],
    "test events",
  );
  const eventId = newId("evt");
  const id = await deliveryId(eventId, row.id);
  const now = new Date();
  await s.db.insert(webhookDeliveries).values({
    id,
    endpointId: row.id,
    eventId,
    eventType: "webhook.test",
    body: webhookBody(eventId, "webhook.test", now.toISOString(), row.channelId, {
      message: "A test event from Marquee",
    }),
    nextAttemptAt: now.getTime(),
  });
  await s.env.WEBHOOKS.send({ deliveryId: id, attempt: 1 } satisfies WebhookAttemptMessage);
  return { deliveryId: id, eventId };
}

/** The endpoint's deliveries, newest first, each with its attempts (the delivery log). */
export async function listDeliveries(
  s: Services,
  actor: Actor,
  channelRef: string,
  webhookId: string,
  query: ListQuery,
) {
  const row = await managedEndpoint(s, actor, channelRef, webhookId, "channel.manage");
  const after = query.cursor ? decodeCursor(query.cursor, "webhook-deliveries", TimeKey) : null;
  const rows = await s.db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.endpointId, row.id),
        after ? newestAfter(webhookDeliveries.createdAt, webhookDeliveries.id, after) : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(query.limit + 1);
  const page = keysetPage(
    rows,
    query.limit,
    "webhook-deliveries",
    (last): TimeKey => ({
      t: last.createdAt,
      i: last.id,
    }),
  );
  const attempts =
    page.items.length === 0
      ? []
      : await s.db
          .select()
          .from(webhookAttempts)
          .where(
            inArray(
              webhookAttempts.deliveryId,
              page.items.map((d) => d.id),
            ),
          )
          .orderBy(webhookAttempts.attempt);
  return {
    items: page.items.map((d) => ({
      id: d.id,
      eventId: d.eventId,
      eventType: d.eventType,
      status: d.status,
      attempts: attempts
        .filter((a) => a.deliveryId === d.id)
        .map((a) => ({
          attempt: a.attempt,
          at: new Date(a.at).toISOString(),
          statusCode: a.statusCode,
          error: a.error,
          durationMs: a.durationMs,
        })),
      nextAttemptAt:
        d.nextAttemptAt !== null && d.status === "pending" ? new Date(d.nextAttemptAt).toISOString() : null,
      createdAt: new Date(d.createdAt).toISOString(),
      completedAt: d.completedAt !== null ? new Date(d.completedAt).toISOString() : null,
    })),
    nextCursor: page.nextCursor,
  };
}
