import type { EventHandlers } from "../events/handlers";

/** Rows deleted per statement, and statements per delivery, while erasing a profile's beacons. */
const BATCH_ROWS = 1_000;
const MAX_BATCHES_PER_RUN = 50;

/**
 * Erases the raw playback beacons of deleted profiles (playback_events has no foreign key: it is
 * raw material and outlives nothing else). watch_history and profile_affinities go with the profile
 * row (ON DELETE CASCADE). Idempotent; bounded per run: a profile with more beacons than one run
 * erases fails the run on purpose, so the queue redelivers and the next run carries on.
 */
export async function erasePlaybackEvents(db: D1Database, profileIds: readonly string[]): Promise<void> {
  for (const profileId of profileIds) {
    let batch = 0;
    for (;;) {
      const { meta } = await db
        .prepare(
          `DELETE FROM playback_events WHERE rowid IN
             (SELECT rowid FROM playback_events WHERE profile_id = ?1 LIMIT ?2)`,
        )
        .bind(profileId, BATCH_ROWS)
        .run();
      if (meta.changes < BATCH_ROWS) break;
      if (++batch >= MAX_BATCHES_PER_RUN) {
        throw new Error(
          `profile ${profileId} has more beacons than one run erases; continuing on redelivery`,
        );
      }
    }
  }
}

/** History's reactions to other domains' events. */
export const historyEventHandlers: EventHandlers = {
  "account.deleted": [async (event, env) => erasePlaybackEvents(env.DB, event.payload.profileIds)],
  "profile.deleted": [async (event, env) => erasePlaybackEvents(env.DB, [event.payload.profileId])],
};
