/**
 * The webhooks queue's consumer: one message is one attempt of one delivery.
 *
 * Each attempt is claimed first (attempts: n-1 → n, only while pending; the claim also pushes
 * `next_attempt_at` past the attempt's longest run, so the cron's sweep leaves a running attempt
 * alone). A duplicated or stale message therefore never sends twice nor jumps the backoff. Then the
 * endpoint's address is checked again (a name can be re-pointed inward after registration), the
 * body POSTed with its signature, redirects not followed, and the outcome logged — only if attempt
 * n is still the delivery's latest, so a late outcome never reopens a delivery that succeeded. A 2xx
 * ends it; anything else queues attempt n+1 after base·2^(n-1) seconds (the last delay clamped to
 * the window), until a day after the event; then it is failed.
 *
 * Failures of our own: before the POST the claim is undone and the message retried; after it, the
 * outcome may be lost and the cron's sweep queues the next attempt. A crash after the receiver
 * answered means it may get the event again: deliveries are at least once, and receivers dedupe by
 * the event id (docs/webhooks.md).
 */
import { and, eq, lt, or } from "drizzle-orm";
import { loadConfig } from "../config";
import { createDb, type Db } from "../db/client";
import { webhookAttempts, webhookDeliveries, webhookEndpoints } from "../db/schema";
import { createLogger } from "../lib/logger";
import { addressRulesOf, checkWebhookUrl } from "./address";
import type { WebhookAttemptMessage } from "./events";
import { SIGNATURE_HEADER, signatureHeader } from "./signature";

/** How long after the event deliveries keep being retried. */
export const RETRY_WINDOW_MS = 24 * 3600 * 1000;
/** Queues delays a message by at most 12 h. */
const MAX_DELAY_SECONDS = 12 * 3600;
const ATTEMPT_TIMEOUT_MS = 10_000;
/** Longer than an attempt can run (two 5 s lookups and a 10 s POST): the claim's hold on the row. */
const ATTEMPT_HOLD_MS = 60_000;
/** Completed deliveries (and their attempts) are kept this long in the log. */
export const LOG_RETENTION_MS = 30 * 24 * 3600 * 1000;

/** The queue wrangler.toml binds as WEBHOOKS (the worker's one queue handler tells them apart by name). */
export const WEBHOOKS_QUEUE = "marquee-webhooks";

/** The delay before attempt n+1 (n ≥ 1), in seconds. */
export const retryDelaySeconds = (base: number, attempt: number) =>
  Math.min(MAX_DELAY_SECONDS, base * 2 ** (attempt - 1));

class BeforeSend extends Error {}

export async function consumeWebhookAttempts(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const log = createLogger({ queue: batch.queue });
  for (const message of batch.messages) {
    const body = message.body as WebhookAttemptMessage;
    try {
      await attempt(env, body, log);
      message.ack();
    } catch (error) {
      log("error", { event: "webhook-attempt-failed", deliveryId: body.deliveryId, error: String(error) });
      // Before the POST the claim was undone: the same attempt runs again. After it, retrying would
      // find the claim taken and do nothing; the cron's sweep queues the next attempt instead.
      if (error instanceof BeforeSend) message.retry({ delaySeconds: 5 });
      else message.ack();
    }
  }
}

async function claim(db: Db, deliveryId: string, n: number, now: number) {
  return db
    .update(webhookDeliveries)
    .set({ attempts: n, nextAttemptAt: now + ATTEMPT_HOLD_MS })
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
}

async function attempt(
  env: Env,
  { deliveryId, attempt: n }: WebhookAttemptMessage,
  log: ReturnType<typeof createLogger>,
): Promise<void> {
  const db = createDb(env.DB);
  const config = loadConfig(env);
  const claimed = await claim(db, deliveryId, n, Date.now());
  if (!claimed) return;
  const started = Date.now();
  let prepared: { url: string; headers: Record<string, string> } | { refused: string } | null = null;
  try {
    const endpoint = await db
      .select()
      .from(webhookEndpoints)
      .where(eq(webhookEndpoints.id, claimed.endpointId))
      .get();
    if (!endpoint) return; // deleted meanwhile: its deliveries went with it
    const verdict = await checkWebhookUrl(endpoint.url, addressRulesOf(config));
    if (!verdict.ok) {
      prepared = { refused: verdict.reason };
    } else {
      const secrets = [endpoint.secret];
      if (endpoint.previousSecret && (endpoint.previousSecretExpiresAt ?? 0) > started) {
        secrets.push(endpoint.previousSecret);
      }
      prepared = {
        url: endpoint.url,
        headers: {
          "content-type": "application/json",
          "user-agent": "Marquee-Webhooks/1",
          [SIGNATURE_HEADER]: await signatureHeader(secrets, Math.floor(started / 1000), claimed.body),
          "Marquee-Delivery-Id": deliveryId,
          "Marquee-Attempt": String(n),
        },
      };
    }
  } catch (error) {
    // Nothing was sent: give the attempt back (a resolver outage is ours, not the receiver's).
    await db
      .update(webhookDeliveries)
      .set({ attempts: n - 1 })
      .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.attempts, n)));
    throw new BeforeSend(String(error), { cause: error });
  }

  let statusCode: number | null = null;
  let error: string | null = null;
  if ("refused" in prepared) {
    error = prepared.refused;
  } else {
    try {
      const res = await fetch(prepared.url, {
        method: "POST",
        redirect: "manual",
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
        headers: prepared.headers,
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
  const windowEnd = claimed.createdAt + RETRY_WINDOW_MS;
  // The last delay is clamped to what is left of the window, so the last attempt comes at its end.
  const delay = Math.min(
    retryDelaySeconds(config.webhooks.retryBaseSeconds, n),
    Math.floor((windowEnd - now) / 1000),
  );
  const retry = !succeeded && delay >= 1;
  const [, updated] = await db.batch([
    db
      .insert(webhookAttempts)
      .values({ deliveryId, attempt: n, at: started, statusCode, error, durationMs: now - started })
      .onConflictDoNothing(),
    // Only while attempt n is still the latest: a slow attempt overtaken by the next one (after the
    // sweep) must not reopen or re-queue what that one settled.
    db
      .update(webhookDeliveries)
      .set({
        status: succeeded ? "succeeded" : retry ? "pending" : "failed",
        lastStatusCode: statusCode,
        nextAttemptAt: retry ? now + delay * 1000 : null,
        completedAt: retry ? null : now,
      })
      .where(
        and(
          eq(webhookDeliveries.id, deliveryId),
          eq(webhookDeliveries.attempts, n),
          eq(webhookDeliveries.status, "pending"),
        ),
      )
      .returning({ id: webhookDeliveries.id }),
  ]);
  if (retry && updated.length > 0) {
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

/** A pending attempt this long overdue lost its message (a crash between the log and the send). */
const STALLED_AFTER_MS = 15 * 60 * 1000;

/**
 * The cron's backstop: re-sends the next attempt of every pending delivery long overdue, oldest
 * first, and fails those past the window; then forgets completed deliveries older than the log
 * keeps. A duplicate of a message still in flight is harmless: the claim lets one of them run.
 */
export async function requeueStalledDeliveries(env: Env, now: number): Promise<void> {
  const db = createDb(env.DB);
  const stalled = await db
    .select({
      id: webhookDeliveries.id,
      attempts: webhookDeliveries.attempts,
      createdAt: webhookDeliveries.createdAt,
    })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.status, "pending"),
        lt(webhookDeliveries.nextAttemptAt, now - STALLED_AFTER_MS),
      ),
    )
    .orderBy(webhookDeliveries.nextAttemptAt)
    .limit(500);
  const expired = stalled.filter((d) => d.createdAt + RETRY_WINDOW_MS <= now);
  const due = stalled.filter((d) => d.createdAt + RETRY_WINDOW_MS > now);
  for (const d of expired) {
    await db
      .update(webhookDeliveries)
      .set({ status: "failed", nextAttemptAt: null, completedAt: now })
      .where(
        and(
          eq(webhookDeliveries.id, d.id),
          eq(webhookDeliveries.status, "pending"),
          eq(webhookDeliveries.attempts, d.attempts),
        ),
      );
  }
  for (let i = 0; i < due.length; i += 100) {
    await env.WEBHOOKS.sendBatch(
      due.slice(i, i + 100).map((d) => ({
        body: { deliveryId: d.id, attempt: d.attempts + 1 } satisfies WebhookAttemptMessage,
      })),
    );
  }
  await db
    .delete(webhookDeliveries)
    .where(
      and(
        or(eq(webhookDeliveries.status, "succeeded"), eq(webhookDeliveries.status, "failed")),
        lt(webhookDeliveries.createdAt, now - LOG_RETENTION_MS),
      ),
    );
}
