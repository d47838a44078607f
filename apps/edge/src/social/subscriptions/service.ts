/**
 * Channel subscriptions, per profile (the active profile of the token).
 *
 * `channels.subscriber_count` is kept exact by D1 itself: the triggers `subscriptions_count_insert`
 * and `subscriptions_count_delete` (migration 0004) move it by one in the same statement as a row
 * that really appears or disappears — an upsert that only changes the level inserts nothing, and a
 * cascade from a deleted profile or account fires the delete trigger too. A batch reads the count
 * back in the same transaction as the write, so the answer includes it.
 */
import { and, desc, eq, sql } from "drizzle-orm";
import { requireProfile } from "../../auth/permissions";
import { getChannel, getChannelFor } from "../../channels/service";
import { channels, subscriptions } from "../../db/schema";
import { publishEvent } from "../../events/publish";
import { foreignKeyViolation } from "../../lib/db-errors";
import { AppError } from "../../lib/errors";
import { sha256Hex } from "../../lib/ids";
import { decodeCursor, keysetPage, keysetWhere, type ListQuery, TimeKey } from "../../lib/pagination";
import type { Services } from "../../services";
import type { Actor } from "../../types";
import type { SubscriptionLevel } from "./schemas";

/** The profile that subscribes: the token's active profile. */
const subscriberOf = (actor: Actor) => requireProfile(actor, "subscription.manage");

/** The profile's subscription to the channel (if any) and the channel's count, in one read. */
const stateRead = (s: Services, channelId: string, profileId: string) =>
  s.db
    .select({
      level: subscriptions.level,
      createdAt: subscriptions.createdAt,
      subscriberCount: channels.subscriberCount,
    })
    .from(channels)
    .leftJoin(
      subscriptions,
      and(eq(subscriptions.channelId, channels.id), eq(subscriptions.profileId, profileId)),
    )
    .where(eq(channels.id, channelId));
type StateRow = Awaited<ReturnType<typeof stateRead>>[number];

const stateView = (channelId: string, row: StateRow | undefined) => ({
  channelId,
  subscribed: row?.level != null,
  level: row?.level ?? null,
  subscribedAt: row?.createdAt != null ? new Date(row.createdAt).toISOString() : null,
  subscriberCount: row?.subscriberCount ?? 0,
});

/**
 * A channel held or suspended (or a suspended account's) is 404 here as on its page (getChannelFor):
 * its subscriber count is not shown and nobody new subscribes. Unsubscribing still works (below).
 */
export async function getSubscription(s: Services, actor: Actor, channelRef: string) {
  const profileId = subscriberOf(actor);
  const channel = await getChannelFor(s, actor, channelRef);
  return stateView(channel.id, await stateRead(s, channel.id, profileId).get());
}

/**
 * Subscribes the active profile, or changes the level of an existing subscription. Idempotent.
 * Subscribing to a channel of your own account is refused (409): it would only inflate the count.
 */
export async function subscribe(s: Services, actor: Actor, channelRef: string, level: SubscriptionLevel) {
  const profileId = subscriberOf(actor);
  const channel = await getChannelFor(s, actor, channelRef);
  if (channel.ownerAccountId === actor.accountId) {
    throw new AppError("conflict", "You cannot subscribe to your own channel");
  }
  const createdAt = Date.now();
  let state: StateRow | undefined;
  try {
    const [, read] = await s.db.batch([
      // The row (counted by the insert trigger); an existing one only takes the new level (its
      // created_at is kept, and nothing is counted).
      s.db
        .insert(subscriptions)
        .values({ profileId, channelId: channel.id, level, createdAt })
        .onConflictDoUpdate({ target: [subscriptions.profileId, subscriptions.channelId], set: { level } }),
      stateRead(s, channel.id, profileId),
    ]);
    state = read[0];
  } catch (error) {
    // The channel (or the profile) was deleted since it was looked up; the batch rolled back whole.
    if (foreignKeyViolation(error)) throw new AppError("not_found", "No such channel");
    throw error;
  }
  // The row kept our created_at only if this call inserted it: a new subscriber, not a level change.
  if (state?.createdAt === createdAt) await announceSubscriber(s, channel.id, profileId, level);
  return stateView(channel.id, state);
}

/**
 * `subscription.created`, once per profile and channel ever: the event id is a hash of the pair (it
 * reaches the channel's webhooks, so it must not name the profile), so subscribing, leaving and
 * subscribing again does not announce again, and two subscribes at once announce once. After the
 * commit, a failed send is logged, not answered: the subscription stands.
 */
async function announceSubscriber(
  s: Services,
  channelId: string,
  profileId: string,
  level: SubscriptionLevel,
) {
  const id = `evt_sub_${(await sha256Hex(`${channelId}\n${profileId}`)).slice(0, 32)}`;
  try {
    await publishEvent(s.env, "subscription.created", { channelId, profileId, level }, { id });
  } catch (error) {
    s.log("error", { event: "subscription-announce-failed", channelId, error: String(error) });
  }
}

/**
 * Unsubscribes the active profile. Idempotent: unsubscribing twice is fine. A hidden channel can
 * still be left (getChannel, not getChannelFor): a subscriber must be able to drop a channel whose
 * page has gone, and a delete reveals nothing the caller did not already hold.
 */
export async function unsubscribe(s: Services, actor: Actor, channelRef: string): Promise<void> {
  const profileId = subscriberOf(actor);
  const channel = await getChannel(s, channelRef);
  // The delete trigger uncounts the row, if there was one.
  await s.db
    .delete(subscriptions)
    .where(and(eq(subscriptions.profileId, profileId), eq(subscriptions.channelId, channel.id)));
}

/**
 * When the subscription was made, in whole milliseconds: written here it is, but the column default
 * (unixepoch('subsec') * 1000) can store a REAL, and cursors must compare exactly. `sql` because
 * drizzle has no CAST.
 */
const subscribedAt = sql<number>`CAST(${subscriptions.createdAt} AS INTEGER)`;

/** The active profile's subscriptions, newest first, keyset-paginated on (subscribedAt, channel id). */
export async function listSubscriptions(s: Services, actor: Actor, query: ListQuery) {
  const profileId = subscriberOf(actor);
  const after = query.cursor ? decodeCursor(query.cursor, "subscriptions", TimeKey) : null;
  const rows = await s.db
    .select({
      channelId: subscriptions.channelId,
      level: subscriptions.level,
      subscribedAt: subscribedAt.as("subscribed_at"),
      handle: channels.handle,
      name: channels.name,
      subscriberCount: channels.subscriberCount,
    })
    .from(subscriptions)
    .innerJoin(channels, eq(channels.id, subscriptions.channelId))
    .where(
      and(
        eq(subscriptions.profileId, profileId),
        after
          ? keysetWhere([
              { column: subscribedAt, value: after.t, order: "desc" },
              { column: subscriptions.channelId, value: after.i, order: "desc" },
            ])
          : undefined,
      ),
    )
    .orderBy(desc(subscribedAt), desc(subscriptions.channelId))
    .limit(query.limit + 1);
  const page = keysetPage(
    rows,
    query.limit,
    "subscriptions",
    (last): TimeKey => ({
      t: last.subscribedAt,
      i: last.channelId,
    }),
  );
  return {
    items: page.items.map((r) => ({
      channel: { id: r.channelId, handle: r.handle, name: r.name, subscriberCount: r.subscriberCount },
      level: r.level,
      subscribedAt: new Date(r.subscribedAt).toISOString(),
    })),
    nextCursor: page.nextCursor,
  };
}
