import { createDb, type Db } from "../../db/client";
import { subscriptions } from "../../db/schema";
import { deleteProfileRows, onErasure } from "../../events/erasure";

/**
 * Erases whatever subscriptions of the given profiles still exist. The `subscriptions_count_delete`
 * trigger takes each deleted row off its channel's count in the same statement, so a repeat finds
 * no rows and changes nothing (idempotent).
 *
 * Profiles reference subscriptions with ON DELETE CASCADE, so by the time `account.deleted` or
 * `profile.deleted` arrives D1 has normally removed these rows already — and the trigger, which a
 * cascade fires too, has uncounted them. This handler only sweeps up rows a race may have left.
 */
export async function eraseSubscriptionsOf(db: Db, profileIds: readonly string[]): Promise<void> {
  const rows = { table: subscriptions, profile: subscriptions.profileId, key: subscriptions.channelId };
  await deleteProfileRows(db, "subscriptions", rows, profileIds);
}

/** What the subscriptions domain does with queue events (registered in events/consumer.ts). */
export const subscriptionsEventHandlers = onErasure((env, { profileIds }) =>
  eraseSubscriptionsOf(createDb(env.DB), profileIds),
);
