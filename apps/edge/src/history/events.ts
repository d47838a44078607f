import { createDb } from "../db/client";
import { playbackEvents } from "../db/schema";
import { type BatchLimits, DEFAULT_BATCH_LIMITS, deleteProfileRows, onErasure } from "../events/erasure";

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
  const rows = { table: playbackEvents, profile: playbackEvents.profileId, key: playbackEvents.beaconId };
  await deleteProfileRows(createDb(env.DB), "beacons", rows, profileIds, limits);
}

/** History's reactions to other domains' events. */
export const historyEventHandlers = onErasure((env, { profileIds }) => erasePlaybackEvents(env, profileIds));
