import type { EventHandlers } from "../../events/handlers";

/** D1 allows 100 bound parameters per statement. */
const IDS_PER_STATEMENT = 90;

/**
 * Erases whatever subscriptions of the given profiles still exist. The `subscriptions_count_delete`
 * trigger takes each deleted row off its channel's count in the same statement, so a repeat finds
 * no rows and changes nothing (idempotent).
 *
 * Profiles reference subscriptions with ON DELETE CASCADE, so by the time `account.deleted` or
 * `profile.deleted` arrives D1 has normally removed these rows already — and the trigger, which a
 * cascade fires too, has uncounted them. This handler only sweeps up rows a race may have left.
 */
export async function eraseSubscriptionsOf(db: D1Database, profileIds: readonly string[]): Promise<void> {
  for (let i = 0; i < profileIds.length; i += IDS_PER_STATEMENT) {
    const ids = profileIds.slice(i, i + IDS_PER_STATEMENT);
    const marks = ids.map((_, n) => `?${n + 1}`).join(", ");
    await db
      .prepare(`DELETE FROM subscriptions WHERE profile_id IN (${marks})`)
      .bind(...ids)
      .run();
  }
}

/** What the subscriptions domain does with queue events (registered in events/consumer.ts). */
export const subscriptionsEventHandlers: EventHandlers = {
  "account.deleted": [async (event, env) => eraseSubscriptionsOf(env.DB, event.payload.profileIds)],
  "profile.deleted": [async (event, env) => eraseSubscriptionsOf(env.DB, [event.payload.profileId])],
};
