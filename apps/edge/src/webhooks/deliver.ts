/**
 * The webhooks queue's consumer: one message is one attempt of one delivery.
 *
 * Each attempt is claimed first (attempts: n-1 → n, only while pending), so a duplicated or stale
 * message never sends twice nor jumps the backoff; then the endpoint's address is checked again
 * (a name can be re-pointed inward after registration), the body is POSTed with its signature,
 * redirects not followed, and the outcome logged. A 2xx ends the delivery; anything else queues
 * attempt n+1 after base·2^(n-1) seconds, until a day after the event; then it is failed.
 *
 * A crash after the POST and before the log means the queue redelivers the message and the
 * receiver may get the event again: deliveries are at least once, and receivers dedupe by the
 * event id (docs/webhooks.md).
 */
import { and, eq, lt } from "drizzle-orm";
import { loadConfig } from "../config";
import { createDb } from "../db/client";
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from "../db/schema";
import { createLogger } from "../lib/logger";
import { checkWebhookUrl } from "./address";
import type { WebhookAttemptMessage } from "./events";
import { SIGNATURE_HEADER, signatureHeader } from "./signature";

/** How long after the event deliveries keep being retried. */
export const RETRY_WINDOW_MS = 24 * 3600 * 1000;
/** Queues delays a message by at most 12 h. */
const MAX_DELAY_SECONDS = 12 * 3600;
const ATTEMPT_TIMEOUT_MS = 10_000;

/** The delay before attempt n+1 (n ≥ 1), in seconds. */
export const retryDelaySeconds = (base: number, attempt: number) =>
  Math.min(MAX_DELAY_SECONDS, base * 2 ** (attempt - 1));

export async function consumeWebhookAttempts(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const log = createLogger({ queue: batch.queue });
  for (const message of batch.messages) {
    const body = message.body as WebhookAttemptMessage;
    try {
      await attempt(env, body, log);
      message.ack();
    } catch (error) {
      // Our own failure (D1, the queue): the same attempt again shortly; the claim keeps it single.
      log("error", { event: "webhook-attempt-failed", deliveryId: body.deliveryId, error: String(error) });
      message.retry({ delaySeconds: 5 });
    }
  }
}

async function attempt(
  env: Env,
  { deliveryId, attempt: n }: WebhookAttemptMessage,
  log: ReturnType<typeof createLogger>,
): Promise<void> {
  const db = createDb(env.DB);
  const config = loadConfig(env).webhooks;
  // The claim: only the message for the next attempt of a pending delivery proceeds.
  const claimed = await db
    .update(webhookDeliveries)
    .set({ attempts: n })
    .where(
      and(
        eq(webhookDeliveries.id, deliveryId),
        eq(webhookDeliveries.status, "pending"),
        eq(webhookDeliveries.attempts, n - 1),
      ),
    )
    .returning({
      body: webhookDeliveries.body,
      createdAt: webhookDeliveries.createdAt,
      endpointId: webhookDeliveries.endpointId,
    })
    .get();
  if (!claimed) return;
  const endpoint = await db
    .select()
    .from(webhookEndpoints)
    .where(eq(webhookEndpoints.id, claimed.endpointId))
    .get();
  if (!endpoint) return; // deleted meanwhile: its deliveries went with it

  const started = Date.now();
  let statusCode: number | null = null;
  let error: string | null = null;
  const verdict = await checkWebhookUrl(endpoint.url, config).catch((e: unknown) => ({
    ok: false as const,
    reason: String(e),
  }));
  if (!verdict.ok) {
    error = verdict.reason;
  } else {
    const secrets = [endpoint.secret];
    if (endpoint.previousSecret && (endpoint.previousSecretExpiresAt ?? 0) > started) {
      secrets.push(endpoint.previousSecret);
    }
    try {
      const res = await fetch(endpoint.url, {
        method: "POST",
        redirect: "manual",
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
        headers: {
          "content-type": "application/json",
          "user-agent": "Marquee-Webhooks/1",
          [SIGNATURE_HEADER]: await signatureHeader(secrets, Math.floor(started / 1000), claimed.body),
          "Marquee-Delivery-Id": deliveryId,
          "Marquee-Attempt": String(n),
        },
        body: claimed.body,
      });
      statusCode = res.status;
      await res.body?.cancel();
    } catch (e) {
      error = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    }
  }
  const now = Date.now();
  const succeeded = statusCode !== null && statusCode >= 200 && statusCode < 300;
  const delay = retryDelaySeconds(config.retryBaseSeconds, n);
  const retry = !succeeded && now + delay * 1000 <= claimed.createdAt + RETRY_WINDOW_MS;
  await db.batch([
    db
      .insert(webhookAttempts)
      .values({ deliveryId, attempt: n, at: started, statusCode, error, durationMs: now - started })
      .onConflictDoNothing(),
    db
      .update(webhookDeliveries)
      .set({
        status: succeeded ? "succeeded" : retry ? "pending" : "failed",
        lastStatusCode: statusCode,
        nextAttemptAt: retry ? now + delay * 1000 : null,
        completedAt: retry ? null : now,
      })
      .where(eq(webhookDeliveries.id, deliveryId)),
  ]);
  if (retry) {
    await env.WEBHOOKS.send({ deliveryId, attempt: n + 1 } satisfies WebhookAttemptMessage, {
      delaySeconds: delay,
    });
  }
  log(succeeded ? "info" : "warn", {
    event: "webhook-attempt",
    deliveryId,
    attempt: n,
    statusCode,
    error,
    outcome: succeeded ? "succeeded" : retry ? "retrying" : "failed",
  });
}

/** The queue wrangler.toml binds as WEBHOOKS (the worker's one queue handler tells them apart by name). */
export const WEBHOOKS_QUEUE = "marquee-webhooks";

/** A pending attempt this long overdue lost its message (a crash between the log and the send). */
const STALLED_AFTER_MS = 15 * 60 * 1000;

/**
 * The cron's backstop: re-sends the next attempt of every pending delivery long overdue. A
 * duplicate of a message still in flight is harmless: the claim lets one of them run.
 */
export async function requeueStalledDeliveries(env: Env, now: number): Promise<void> {
  const db = createDb(env.DB);
  const stalled = await db
    .select({ id: webhookDeliveries.id, attempts: webhookDeliveries.attempts })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.status, "pending"),
        lt(webhookDeliveries.nextAttemptAt, now - STALLED_AFTER_MS),
      ),
    )
    .limit(100);
  if (stalled.length === 0) return;
  await env.WEBHOOKS.sendBatch(
    stalled.map((d) => ({
      body: { deliveryId: d.id, attempt: d.attempts + 1 } satisfies WebhookAttemptMessage,
    })),
  );
}
