/**
 * Channel subscriptions, per profile (the active profile of the token).
 *
 * `channels.subscriber_count` is kept exact by D1 itself: the triggers `subscriptions_count_insert`
 * and `subscriptions_count_delete` (migration 0004) move it by one in the same statement as a row
 * that really appears or disappears — an upsert that only changes the level inserts nothing, and a
 * cascade from a deleted profile or account fires the delete trigger too. A batch reads the count
 * back in the same transaction as the write, so the answer includes it.
 */

import { requireProfile } from "../../auth/permissions";
import { AppError } from "../../lib/errors";
import type { Services } from "../../services";
import type { Actor } from "../../types";
import type { SubscriptionLevel } from "./schemas";

interface ChannelRow {
  id: string;
  account_id: string;
  handle: string;
  name: string;
  subscriber_count: number;
}

/** The profile that subscribes: the token's active profile. */
const subscriberOf = (actor: Actor) => requireProfile(actor, "subscription.manage");

async function findChannel(s: Services, idOrHandle: string): Promise<ChannelRow> {
  const handle = (idOrHandle.startsWith("@") ? idOrHandle.slice(1) : idOrHandle).toLowerCase();
  const row = await s.env.DB.prepare(
    "SELECT id, account_id, handle, name, subscriber_count FROM channels WHERE id = ?1 OR handle = ?2 LIMIT 1",
  )
    .bind(idOrHandle, handle)
    .first<ChannelRow>();
  if (!row) throw new AppError("not_found", "No such channel");
  return row;
}

const foreignKeyViolation = (error: unknown): boolean => {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    if (/FOREIGN KEY constraint failed/i.test(e instanceof Error ? e.message : String(e))) return true;
    if (!(e instanceof Error)) break;
  }
  return false;
};

export interface SubscriptionStateView {
  channelId: string;
  subscribed: boolean;
  level: SubscriptionLevel | null;
  subscribedAt: string | null;
  subscriberCount: number;
}

interface StateRow {
  level: SubscriptionLevel | null;
  created_at: number | null;
  subscriber_count: number;
}

const STATE_SQL = `SELECT s.level, s.created_at, c.subscriber_count
                     FROM channels c
                     LEFT JOIN subscriptions s ON s.channel_id = c.id AND s.profile_id = ?2
                    WHERE c.id = ?1`;

const stateView = (channelId: string, row: StateRow | null | undefined): SubscriptionStateView => ({
  channelId,
  subscribed: row?.level != null,
  level: row?.level ?? null,
  subscribedAt: row?.created_at != null ? new Date(row.created_at).toISOString() : null,
  subscriberCount: row?.subscriber_count ?? 0,
});

export async function getSubscription(s: Services, actor: Actor, channelRef: string) {
  const profileId = subscriberOf(actor);
  const channel = await findChannel(s, channelRef);
  const row = await s.env.DB.prepare(STATE_SQL).bind(channel.id, profileId).first<StateRow>();
  return stateView(channel.id, row);
}

/**
 * Subscribes the active profile, or changes the level of an existing subscription. Idempotent.
 * Subscribing to a channel of your own account is refused (409): it would only inflate the count.
 */
export async function subscribe(s: Services, actor: Actor, channelRef: string, level: SubscriptionLevel) {
  const profileId = subscriberOf(actor);
  const channel = await findChannel(s, channelRef);
  if (channel.account_id === actor.accountId) {
    throw new AppError("conflict", "You cannot subscribe to your own channel");
  }
  const db = s.env.DB;
  try {
    const results = await db.batch([
      // The row (counted by the insert trigger); an existing one only takes the new level (its
      // created_at is kept, and nothing is counted).
      db
        .prepare(
          `INSERT INTO subscriptions (profile_id, channel_id, level, created_at) VALUES (?2, ?1, ?3, ?4)
           ON CONFLICT (profile_id, channel_id) DO UPDATE SET level = excluded.level`,
        )
        .bind(channel.id, profileId, level, Date.now()),
      db.prepare(STATE_SQL).bind(channel.id, profileId),
    ]);
    return stateView(channel.id, results[1]?.results[0] as StateRow | undefined);
  } catch (error) {
    // The channel (or the profile) was deleted since it was looked up; the batch rolled back whole.
    if (foreignKeyViolation(error)) throw new AppError("not_found", "No such channel");
    throw error;
  }
}

/** Unsubscribes the active profile. Idempotent: unsubscribing twice is fine. */
export async function unsubscribe(s: Services, actor: Actor, channelRef: string): Promise<void> {
  const profileId = subscriberOf(actor);
  const channel = await findChannel(s, channelRef);
  // The delete trigger uncounts the row, if there was one.
  await s.env.DB.prepare("DELETE FROM subscriptions WHERE profile_id = ?2 AND channel_id = ?1")
    .bind(channel.id, profileId)
    .run();
}

interface ListRow {
  channel_id: string;
  level: SubscriptionLevel;
  created_at: number;
  handle: string;
  name: string;
  subscriber_count: number;
}

/** The active profile's subscriptions, newest first, keyset-paginated on (created_at, channel_id). */
export async function listSubscriptions(
  s: Services,
  actor: Actor,
  query: { limit: number; cursor?: string },
) {
  const profileId = subscriberOf(actor);
  let after: { at: number; channelId: string } | null = null;
  if (query.cursor) {
    const dot = query.cursor.indexOf(".");
    after = { at: Number(query.cursor.slice(0, dot)), channelId: query.cursor.slice(dot + 1) };
  }
  const { results } = await s.env.DB.prepare(
    // created_at is whole milliseconds when written here, but the column default (unixepoch('subsec')
    // * 1000) can store a REAL: the keyset uses the integer part, so cursors stay exact strings.
    `SELECT s.channel_id, s.level, CAST(s.created_at AS INTEGER) AS created_at,
            c.handle, c.name, c.subscriber_count
       FROM subscriptions s JOIN channels c ON c.id = s.channel_id
      WHERE s.profile_id = ?1
        AND (?2 IS NULL OR CAST(s.created_at AS INTEGER) < ?2
             OR (CAST(s.created_at AS INTEGER) = ?2 AND s.channel_id < ?3))
      ORDER BY CAST(s.created_at AS INTEGER) DESC, s.channel_id DESC
      LIMIT ?4`,
  )
    .bind(profileId, after?.at ?? null, after?.channelId ?? "", query.limit + 1)
    .all<ListRow>();
  const page = results.slice(0, query.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => ({
      channel: { id: r.channel_id, handle: r.handle, name: r.name, subscriberCount: r.subscriber_count },
      level: r.level,
      subscribedAt: new Date(r.created_at).toISOString(),
    })),
    nextCursor: results.length > query.limit && last ? `${last.created_at}.${last.channel_id}` : null,
  };
}
