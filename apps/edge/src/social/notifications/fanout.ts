/**
 * Fan-out of video.published: who hears of a new video, and how it reaches their inboxes
 * (docs/social.md, "Notifications"). Comments and mentions: comment-notifications.ts; the inbox
 * calls and queue messages both use: delivery.ts.
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
import type { DomainEvent } from "@marquee/shared";
import { and, asc, eq, gt } from "drizzle-orm";
import { entitlementsOfAccounts, graceMsOf } from "../../billing/entitlements";
import { canSee } from "../../catalog/maturity";
import { loadConfig } from "../../config";
import { createDb, type Db } from "../../db/client";
import { channels, notificationPreferences, profiles, subscriptions, videos } from "../../db/schema";
import { chunksOf } from "../../events/erasure";
import { deliverToInboxes, enqueueBatches, RECIPIENTS_PER_MESSAGE } from "./delivery";

/** Subscription rows read per D1 query (bounded work per query, whatever the channel's size). */
export const SUBSCRIBERS_PER_QUERY = 1000;

/**
 * Who hears of a new video, by its visibility (decided here; docs/social.md):
 *   public   → every subscriber with level `all`;
 *   premium  → those of them whose account's entitlements include premium content (the one rule,
 *              billing/entitlements.ts, applied to the page's accounts), not a paywall teaser;
 *   unlisted → nobody (it is shared by link; announcing it would defeat that);
 *   private  → nobody.
 * The video's current row decides, not the event's copy: a video deleted or made private since
 * announces nothing.
 */
type Audience = "everyone" | "premium";
const audienceOf = (visibility: string): Audience | null =>
  visibility === "public" ? "everyone" : visibility === "premium" ? "premium" : null;

/**
 * One page of the channel's subscribers after `after` (profile_id order: the index is
 * (channel_id, profile_id), so this is a bounded index range scan, never a sort). Filtering by
 * level and preference happens on the page in code, so LIMIT bounds the rows scanned, not just
 * the rows returned. The profile's account comes along for the premium audience's entitlements.
 */
function subscriberPage(db: Db, channelId: string, after: string) {
  return db
    .select({
      profileId: subscriptions.profileId,
      accountId: profiles.accountId,
      level: subscriptions.level,
      enabled: notificationPreferences.enabled,
      maturity: profiles.maturity,
    })
    .from(subscriptions)
    .innerJoin(profiles, eq(profiles.id, subscriptions.profileId))
    .leftJoin(
      notificationPreferences,
      and(
        eq(notificationPreferences.profileId, subscriptions.profileId),
        eq(notificationPreferences.type, "video.published"),
      ),
    )
    .where(and(eq(subscriptions.channelId, channelId), gt(subscriptions.profileId, after)))
    .orderBy(asc(subscriptions.profileId))
    .limit(SUBSCRIBERS_PER_QUERY);
}

export interface FanOutStats {
  scanned: number;
  recipients: number;
  inline: number;
  messages: number;
}

export async function fanOutVideoPublished(
  env: Env,
  event: Extract<DomainEvent, { type: "video.published" }>,
): Promise<FanOutStats> {
  const stats: FanOutStats = { scanned: 0, recipients: 0, inline: 0, messages: 0 };
  const db = createDb(env.DB);
  const [video] = await db
    .select({
      title: videos.title,
      visibility: videos.visibility,
      status: videos.status,
      maturity: videos.maturity,
      handle: channels.handle,
      name: channels.name,
    })
    .from(videos)
    .innerJoin(channels, eq(channels.id, videos.channelId))
    .where(and(eq(videos.id, event.payload.videoId), eq(videos.channelId, event.payload.channelId)));
  if (!video || video.status === "deleted") return stats;
  const audience = audienceOf(video.visibility);
  if (!audience) return stats;
  // The same grace as every other entitlement check (the dynamic setting, else the env default).
  const graceMs = await graceMsOf({ env, config: loadConfig(env) });
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
    const results = await subscriberPage(db, event.payload.channelId, after);
    stats.scanned += results.length;
    const entitled =
      audience === "premium"
        ? await entitlementsOfAccounts(
            db,
            results.map((r) => r.accountId),
            Date.now(),
            graceMs,
          )
        : null;
    const recipients = results
      .filter(
        (r) =>
          r.level === "all" &&
          r.enabled !== false &&
          // A kids profile subscribed to a channel does not hear of its adult videos.
          canSee(r.maturity, video.maturity) &&
          (entitled === null || entitled.get(r.accountId)?.premiumContent === true),
      )
      .map((r) => r.profileId);
    stats.recipients += recipients.length;
    const groups = chunksOf(recipients, RECIPIENTS_PER_MESSAGE);
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
    after = last.profileId;
  }
  return stats;
}
