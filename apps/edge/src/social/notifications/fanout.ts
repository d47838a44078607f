/**
 * Fan-out: who hears of an event, and how it reaches their inboxes (docs/social.md, "Notifications").
 *
 * A video of a channel with 100k subscribers is neither one query nor one message:
 *   video.published ──► page through subscribers, SUBSCRIBERS_PER_QUERY rows per query (keyset on
 *                       profile_id over the (channel_id, profile_id) index), drop level `none` and
 *                       profiles that turned the type off, cut the rest into messages of
 *                       RECIPIENTS_PER_MESSAGE, and enqueue them with one sendBatch per page;
 *   notification.batch ─► deliver to each recipient's Inbox, DELIVERY_CONCURRENCY at a time.
 * The first message's worth of recipients is delivered inline by the video.published handler
 * instead of taking a second trip through the queue (each trip waits up to max_batch_timeout), so
 * a small channel's subscribers hear within one queue hop.
 *
 * Exactly one copy per inbox, whatever is retried: each notification's id is derived from (source
 * event, recipient) and the inbox ignores ids it has seen (ids.ts, inbox.ts). Batch envelopes get
 * content-derived ids so the consumer's processed_events dedupe drops identical re-sends cheaply.
 */
import { type DomainEvent, MATURITY_LEVELS, type Maturity, type NotificationBatch } from "@marquee/shared";
import { loadConfig } from "../../config";
import { canSee } from "../../discovery/maturity";
import { batchEventId, notificationId } from "./ids";
import type { Inbox } from "./inbox";
import type { NotificationInput, NotificationType } from "./types";

/** Subscription rows read per D1 query (bounded work per query, whatever the channel's size). */
export const SUBSCRIBERS_PER_QUERY = 1000;
/**
 * Recipients per `notification.batch` message: ~3.5 KB per message, and a consumer batch of 50
 * messages stays at 5,000 Durable Object calls, well inside one invocation's subrequest budget.
 */
export const RECIPIENTS_PER_MESSAGE = 100;
/** Inbox calls in flight at once from one handler. */
export const DELIVERY_CONCURRENCY = 32;
/** Queues' sendBatch takes at most 100 messages per call. */
const MESSAGES_PER_SEND = 100;
/** D1 allows 100 bound parameters per statement. */
const IDS_PER_STATEMENT = 90;
/** At most this many mentioned handles are notified per comment. */
export const MAX_MENTIONS = 20;

type Event<T extends DomainEvent["type"]> = Extract<DomainEvent, { type: T }>;

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

const chunk = <T>(items: readonly T[], size: number): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

/**
 * Delivers one notification to each recipient's inbox. Idempotent (ids per source event and
 * recipient). Throws after trying everyone if any inbox failed, so the message is retried; the
 * inboxes that already have it ignore the repeat.
 */
export async function deliverToInboxes(
  env: Env,
  notification: {
    sourceEventId: string;
    type: NotificationType;
    data: Record<string, string>;
    createdAt: number;
  },
  recipients: readonly string[],
): Promise<void> {
  await forEachLimited(recipients, DELIVERY_CONCURRENCY, async (profileId) => {
    const item: NotificationInput = {
      id: await notificationId(notification.sourceEventId, profileId),
      type: notification.type,
      data: notification.data,
      createdAt: notification.createdAt,
      maturity: ratingOf(notification.data),
    };
    await inboxOf(env, profileId).deliver([item]);
  });
}

/** Puts recipients on the queue as `notification.batch` messages of RECIPIENTS_PER_MESSAGE. */
async function enqueueBatches(
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
  for (const part of chunk(messages, MESSAGES_PER_SEND)) await env.EVENTS.sendBatch(part);
  return messages.length;
}

/**
 * Which of `profileIds` still exist, have `type` on (absent preference = on) and may see a video
 * rated `rating`, in input order. Also drops ids of deleted profiles, so no inbox is ever created
 * for them.
 */
export async function withPreferenceOn(
  db: D1Database,
  type: NotificationType,
  profileIds: readonly string[],
  rating: Maturity,
): Promise<string[]> {
  const unique = [...new Set(profileIds)];
  const on = new Set<string>();
  for (const ids of chunk(unique, IDS_PER_STATEMENT)) {
    const marks = ids.map((_, n) => `?${n + 2}`).join(", ");
    const { results } = await db
      .prepare(
        `SELECT p.id, p.maturity FROM profiles p
           LEFT JOIN notification_preferences np ON np.profile_id = p.id AND np.type = ?1
          WHERE p.id IN (${marks}) AND COALESCE(np.enabled, 1) = 1`,
      )
      .bind(type, ...ids)
      .all<{ id: string; maturity: Maturity }>();
    for (const r of results) if (canSee(r.maturity, rating)) on.add(r.id);
  }
  return unique.filter((id) => on.has(id));
}

// ---- video.published -------------------------------------------------------------------------

/**
 * Who hears of a new video, by its visibility (decided here; docs/social.md):
 *   public   → every subscriber with level `all`;
 *   premium  → those of them whose plan may watch it (PREMIUM_PLANS), not a paywall teaser;
 *   unlisted → nobody (it is shared by link; announcing it would defeat that);
 *   private  → nobody.
 * The video's current row decides, not the event's copy: a video deleted or made private since
 * announces nothing.
 */
type Audience = "everyone" | "premium";
const audienceOf = (visibility: string): Audience | null =>
  visibility === "public" ? "everyone" : visibility === "premium" ? "premium" : null;

interface SubscriberRow {
  profile_id: string;
  level: string;
  enabled: number;
  plan: string | null;
  maturity: Maturity;
}

/**
 * One page of the channel's subscribers after `after` (profile_id order: the index is
 * (channel_id, profile_id), so this is a bounded index range scan, never a sort). Filtering by
 * level and preference happens on the page in code, so LIMIT bounds the rows scanned, not just
 * the rows returned.
 */
function subscriberPage(db: D1Database, channelId: string, after: string, withPlan: boolean) {
  return db
    .prepare(
      `SELECT s.profile_id, s.level, COALESCE(np.enabled, 1) AS enabled, ${withPlan ? "a.plan" : "NULL"} AS plan,
              p.maturity
         FROM subscriptions s
         JOIN profiles p ON p.id = s.profile_id
         LEFT JOIN notification_preferences np ON np.profile_id = s.profile_id AND np.type = 'video.published'
         ${withPlan ? "JOIN accounts a ON a.id = p.account_id" : ""}
        WHERE s.channel_id = ?1 AND s.profile_id > ?2
        ORDER BY s.profile_id
        LIMIT ?3`,
    )
    .bind(channelId, after, SUBSCRIBERS_PER_QUERY)
    .all<SubscriberRow>();
}

export interface FanOutStats {
  scanned: number;
  recipients: number;
  inline: number;
  messages: number;
}

export async function fanOutVideoPublished(env: Env, event: Event<"video.published">): Promise<FanOutStats> {
  const stats: FanOutStats = { scanned: 0, recipients: 0, inline: 0, messages: 0 };
  const video = await env.DB.prepare(
    `SELECT v.title, v.visibility, v.status, v.maturity, c.handle, c.name
       FROM videos v JOIN channels c ON c.id = v.channel_id
      WHERE v.id = ?1 AND v.channel_id = ?2`,
  )
    .bind(event.payload.videoId, event.payload.channelId)
    .first<{
      title: string;
      visibility: string;
      status: string;
      maturity: Maturity;
      handle: string;
      name: string;
    }>();
  if (!video || video.status === "deleted") return stats;
  const audience = audienceOf(video.visibility);
  if (!audience) return stats;
  const premiumPlans = audience === "premium" ? loadConfig(env).playback.premiumPlans : null;
  const data = {
    videoId: event.payload.videoId,
    channelId: event.payload.channelId,
    channelHandle: video.handle,
    channelName: video.name,
    title: video.title,
    maturity: video.maturity,
  };
  const createdAt = Date.parse(event.occurredAt) || Date.now();
  let inlineDone = false;
  let after = "";
  for (;;) {
    const { results } = await subscriberPage(env.DB, event.payload.channelId, after, premiumPlans !== null);
    stats.scanned += results.length;
    const recipients = results
      .filter(
        (r) =>
          r.level === "all" &&
          r.enabled === 1 &&
          // A kids profile subscribed to a channel does not hear of its adult videos.
          canSee(r.maturity, video.maturity) &&
          (premiumPlans === null || (r.plan !== null && premiumPlans.includes(r.plan))),
      )
      .map((r) => r.profile_id);
    stats.recipients += recipients.length;
    const groups = chunk(recipients, RECIPIENTS_PER_MESSAGE);
    const inline = inlineDone ? undefined : groups.shift();
    // Queue the rest first, so the consumer can work on them while the inline group is delivered.
    stats.messages += await enqueueBatches(env, event, "video.published", data, groups);
    if (inline) {
      await deliverToInboxes(
        env,
        { sourceEventId: event.id, type: "video.published", data, createdAt },
        inline,
      );
      stats.inline += inline.length;
      inlineDone = true;
    }
    const last = results[results.length - 1];
    if (!last || results.length < SUBSCRIBERS_PER_QUERY) break;
    after = last.profile_id;
  }
  return stats;
}

// ---- comments ----------------------------------------------------------------------------------

/**
 * The profile that hears about an account's channel (comments on its videos, mentions of its
 * handle): the account's oldest grown-up profile — the account holder's, who made the channel.
 * Not every profile: the household's other members did not start a channel and should not get its
 * mail, and kids profiles cannot manage it. SQL fragment; `?acct` is the owning account.
 */
const ACCOUNT_HOLDER = (account: string) =>
  `(SELECT p.id FROM profiles p WHERE p.account_id = ${account} AND p.maturity != 'kids'
     ORDER BY p.created_at, p.id LIMIT 1)`;

async function commentContext(env: Env, videoId: string, authorProfileId: string) {
  return env.DB.prepare(
    `SELECT v.title, v.status, v.maturity, (SELECT name FROM profiles WHERE id = ?2) AS author_name,
            (SELECT account_id FROM profiles WHERE id = ?2) AS author_account_id
       FROM videos v WHERE v.id = ?1`,
  )
    .bind(videoId, authorProfileId)
    .first<{
      title: string;
      status: string;
      maturity: Maturity;
      author_name: string | null;
      author_account_id: string | null;
    }>();
}

function commentData(
  payload: { commentId: string; videoId: string; authorProfileId: string; excerpt: string },
  ctx: { title: string; maturity: Maturity; author_name: string | null },
): Record<string, string> {
  return {
    commentId: payload.commentId,
    videoId: payload.videoId,
    videoTitle: ctx.title,
    maturity: ctx.maturity,
    authorProfileId: payload.authorProfileId,
    authorName: ctx.author_name ?? "deleted user",
    excerpt: payload.excerpt,
  };
}

async function deliverComment(
  env: Env,
  event: Event<"comment.created" | "comment.replied" | "mention">,
  data: Record<string, string>,
  candidates: readonly string[],
): Promise<void> {
  const recipients = await withPreferenceOn(env.DB, event.type, candidates, ratingOf(data));
  await deliverToInboxes(
    env,
    {
      sourceEventId: event.id,
      type: event.type,
      data,
      createdAt: Date.parse(event.occurredAt) || Date.now(),
    },
    recipients,
  );
}

/** A comment on a video → the video owner's account holder profile (unless they wrote it). */
export async function onCommentCreated(env: Env, event: Event<"comment.created">): Promise<void> {
  const { payload } = event;
  const ctx = await commentContext(env, payload.videoId, payload.authorProfileId);
  if (!ctx || ctx.status === "deleted") return;
  // Comments by any profile of the owning account are the owner's own.
  if (ctx.author_account_id === payload.videoOwnerAccountId) return;
  const holder = await env.DB.prepare(`SELECT ${ACCOUNT_HOLDER("?1")} AS id`)
    .bind(payload.videoOwnerAccountId)
    .first<{ id: string | null }>();
  if (!holder?.id) return;
  await deliverComment(env, event, commentData(payload, ctx), [holder.id]);
}

/** A reply → the author of the parent comment (not when replying to oneself). */
export async function onCommentReplied(env: Env, event: Event<"comment.replied">): Promise<void> {
  const { payload } = event;
  if (!payload.parentAuthorProfileId || payload.parentAuthorProfileId === payload.authorProfileId) return;
  const ctx = await commentContext(env, payload.videoId, payload.authorProfileId);
  if (!ctx || ctx.status === "deleted") return;
  await deliverComment(env, event, { ...commentData(payload, ctx), parentId: payload.parentId }, [
    payload.parentAuthorProfileId,
  ]);
}

/** @handle mentions → each mentioned channel's account holder profile (not the author's own account). */
export async function onMention(env: Env, event: Event<"mention">): Promise<void> {
  const { payload } = event;
  const handles = [...new Set(payload.handles.map((h) => h.replace(/^@/, "").toLowerCase()))].slice(
    0,
    MAX_MENTIONS,
  );
  if (handles.length === 0) return;
  const ctx = await commentContext(env, payload.videoId, payload.authorProfileId);
  if (!ctx || ctx.status === "deleted") return;
  const marks = handles.map((_, n) => `?${n + 2}`).join(", ");
  const { results } = await env.DB.prepare(
    `SELECT ${ACCOUNT_HOLDER("c.account_id")} AS id
       FROM channels c
      WHERE c.handle IN (${marks}) AND c.account_id IS NOT COALESCE(?1, '')`,
  )
    .bind(ctx.author_account_id, ...handles)
    .all<{ id: string | null }>();
  const candidates = results.flatMap((r) => (r.id ? [r.id] : []));
  await deliverComment(env, event, commentData(payload, ctx), candidates);
}
