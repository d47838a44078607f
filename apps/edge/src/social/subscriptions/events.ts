import type { EventHandlers } from "../../events/handlers";

/** D1 allows 100 bound parameters per statement. */
const IDS_PER_STATEMENT = 90;

/**
 * Erases the subscriptions of the given profiles and takes them off their channels' counts, in one
 * batch per chunk (the count and the rows change in the same transaction, so a repeat finds no
 * rows and changes nothing: idempotent).
 *
 * Note: profiles reference subscriptions with ON DELETE CASCADE, so by the time `account.deleted`
 * arrives D1 has usually removed these rows already — without touching the counts. This handler
 * then finds nothing to do; keeping the counts right in that case needs the database's help (see
 * docs/social.md, "Subscriptions": counts and cascades).
 */
export async function eraseSubscriptionsOf(db: D1Database, profileIds: readonly string[]): Promise<void> {
  for (let i = 0; i < profileIds.length; i += IDS_PER_STATEMENT) {
    const ids = profileIds.slice(i, i + IDS_PER_STATEMENT);
    const marks = ids.map((_, n) => `?${n + 1}`).join(", ");
    await db.batch([
      db
        .prepare(
          `UPDATE channels
              SET subscriber_count = subscriber_count -
                  (SELECT COUNT(*) FROM subscriptions s WHERE s.channel_id = channels.id AND s.profile_id IN (${marks}))
            WHERE id IN (SELECT channel_id FROM subscriptions WHERE profile_id IN (${marks}))`,
        )
        .bind(...ids),
      db.prepare(`DELETE FROM subscriptions WHERE profile_id IN (${marks})`).bind(...ids),
    ]);
  }
}

/** What the subscriptions domain does with queue events (registered in events/consumer.ts). */
export const subscriptionsEventHandlers: EventHandlers = {
  "account.deleted": [async (event, env) => eraseSubscriptionsOf(env.DB, event.payload.profileIds)],
};
