import type { EventHandlers } from "../../events/handlers";
import { eraseCommentReactions } from "./comment-reactions";
import { eraseVideoReactionsOf, wipeVideoReactions } from "./service";

/**
 * What the reactions domain does with queue events (registered in events/consumer.ts). Every
 * handler is idempotent: erasing or wiping twice finds nothing the second time.
 *
 * `account.deleted` and `profile.deleted` erase the profiles' video reactions (found through
 * `video_reaction_index`, forgotten by the videos' shard objects so the counts drop exactly) and
 * their comment reactions (counts fixed in the same transactions).
 */
async function eraseReactionsOf(env: Env, profileIds: string[]): Promise<void> {
  await eraseVideoReactionsOf(env, profileIds);
  await eraseCommentReactions(env.DB, profileIds);
}

export const reactionsEventHandlers: EventHandlers = {
  "account.deleted": [async (event, env) => eraseReactionsOf(env, event.payload.profileIds)],
  "profile.deleted": [async (event, env) => eraseReactionsOf(env, [event.payload.profileId])],
  // A deleted video's shard objects drop everything (who reacted how included), then its index rows.
  "video.deleted": [async (event, env) => wipeVideoReactions(env, event.payload.videoId)],
};
