import { and, eq, inArray } from "drizzle-orm";
import { createDb } from "../db/client";
import { playbackEvents } from "../db/schema";
import { type BatchLimits, DEFAULT_BATCH_LIMITS, deleteInBatches, onErasure } from "../events/erasure";

/**
 * Erases the raw playback beacons of deleted profiles (playback_events has no foreign key: it is
 * raw material and outlives nothing else). watch_history and profile_affinities go with the profile
 * row (ON DELETE CASCADE). Idempotent; bounded per delivery (events/erasure.ts).
 */
export async function erasePlaybackEvents(
  env: Env,
  profileIds: readonly string[],
  limits: BatchLimits = DEFAULT_BATCH_LIMITS,
): Promise<void> {
  const db = createDb(env.DB);
  for (const profileId of profileIds) {
    await deleteInBatches(
      `profile ${profileId}'s beacons`,
      async (batchRows) => {
        const batch = db
          .select({ beaconId: playbackEvents.beaconId })
          .from(playbackEvents)
          .where(eq(playbackEvents.profileId, profileId))
          .limit(batchRows);
        const { meta } = await db
          .delete(playbackEvents)
          .where(and(eq(playbackEvents.profileId, profileId), inArray(playbackEvents.beaconId, batch)));
        return meta.changes;
      },
      limits,
    );
  }
}

/** History's reactions to other domains' events. */
export const historyEventHandlers = onErasure((env, { profileIds }) => erasePlaybackEvents(env, profileIds));
