/**
 * How a notification reaches inboxes, whatever made it: the recipients that still want it, one
 * Inbox call per recipient (bounded concurrency), and `notification.batch` messages for the rest.
 */
import { MATURITY_LEVELS, type Maturity, type NotificationBatch } from "@marquee/shared";
import { and, eq, inArray, isNull, or } from "drizzle-orm";
import { canSee } from "../../catalog/maturity";
import type { Db } from "../../db/client";
import { notificationPreferences, profiles } from "../../db/schema";
import { chunksOf } from "../../events/erasure";
import { batchEventId, notificationId } from "./ids";
import type { Inbox } from "./inbox";
import type { NotificationInput, NotificationType } from "./types";

/**
 * Recipients per `notification.batch` message: ~3.5 KB per message, and a consumer batch of 50
 * messages stays at 5,000 Durable Object calls, well inside one invocation's subrequest budget.
 */
export const RECIPIENTS_PER_MESSAGE = 100;
/** Inbox calls in flight at once from one handler. */
export const DELIVERY_CONCURRENCY = 32;
/** Queues' sendBatch takes at most 100 messages per call. */
const MESSAGES_PER_SEND = 100;

/**
 * The rating a notification carries: every type names a video, and `data.maturity` is that
 * video's rating. It travels in `data` so a queued `notification.batch` keeps it. Missing or
 * unknown (a message queued before ratings were added) counts as adult: the most restrictive.
 */
export function ratingOf(data: Record<string, string>): Maturity {
  const m = data.maturity;
  return (MATURITY_LEVELS as readonly string[]).includes(m ?? "") ? (m as Maturity) : "adult";
}

export function inboxOf(env: Env, profileId: string): DurableObjectStub<Inbox> {
  return env.INBOX.get(env.INBOX.idFromName(profileId));
}

/** Runs `work` over `items`, `limit` at a time; runs every item, then throws if any failed. */
export async function forEachLimited<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<unknown>,
): Promise<void> {
  const errors: unknown[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      try {
        await work(item);
      } catch (error) {
        errors.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (errors.length > 0) {
    throw new AggregateError(
      errors,
      `${errors.length} of ${items.length} deliveries failed: ${String(errors[0])}`,
    );
  }
}

/** One notification before it is addressed: what happened, when, and what it says. */
export interface Notice {
  sourceEventId: string;
  type: NotificationType;
  data: Record<string, string>;
  createdAt: number;
}

/**
 * Delivers one notification to each recipient's inbox. Idempotent (ids per source event and
 * recipient). Throws after trying everyone if any inbox failed, so the message is retried; the
 * inboxes that already have it ignore the repeat.
 */
export async function deliverToInboxes(
  env: Env,
  notice: Notice,
  recipients: readonly string[],
): Promise<void> {
  await forEachLimited(recipients, DELIVERY_CONCURRENCY, async (profileId) => {
    const item: NotificationInput = {
      id: await notificationId(notice.sourceEventId, profileId),
      type: notice.type,
      data: notice.data,
      createdAt: notice.createdAt,
      maturity: ratingOf(notice.data),
    };
    await inboxOf(env, profileId).deliver([item]);
  });
}

/** Puts recipients on the queue as `notification.batch` messages, one per group. */
export async function enqueueBatches(
  env: Env,
  source: { id: string; occurredAt: string },
  type: NotificationType,
  data: Record<string, string>,
  groups: readonly string[][],
): Promise<number> {
  const messages: MessageSendRequest<NotificationBatch>[] = [];
  for (const recipientProfileIds of groups) {
    messages.push({
      contentType: "json",
      body: {
        id: await batchEventId(source.id, recipientProfileIds),
        type: "notification.batch",
        // The time of the fact notified, which the inboxes show.
        occurredAt: source.occurredAt,
        payload: { notificationType: type, sourceEventId: source.id, recipientProfileIds, data },
      },
    });
  }
  for (const part of chunksOf(messages, MESSAGES_PER_SEND)) await env.EVENTS.sendBatch(part);
  return messages.length;
}

/**
 * Which of `profileIds` still exist, have `type` on (absent preference = on) and may see a video
 * rated `rating`, in input order. Also drops ids of deleted profiles, so no inbox is ever created
 * for them.
 */
export async function withPreferenceOn(
  db: Db,
  type: NotificationType,
  profileIds: readonly string[],
  rating: Maturity,
): Promise<string[]> {
  const unique = [...new Set(profileIds)];
  const on = new Set<string>();
  for (const ids of chunksOf(unique)) {
    const rows = await db
      .select({ id: profiles.id, maturity: profiles.maturity })
      .from(profiles)
      .leftJoin(
        notificationPreferences,
        and(eq(notificationPreferences.profileId, profiles.id), eq(notificationPreferences.type, type)),
      )
      .where(
        and(
          inArray(profiles.id, ids),
          or(isNull(notificationPreferences.enabled), eq(notificationPreferences.enabled, true)),
        ),
      );
    for (const r of rows) if (canSee(r.maturity, rating)) on.add(r.id);
  }
  return unique.filter((id) => on.has(id));
}
