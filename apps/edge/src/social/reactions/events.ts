import { createDb } from "../../db/client";
import { onErasure } from "../../events/erasure";
import type { EventHandlers } from "../../events/handlers";
import { eraseCommentReactions } from "./comment-reactions";
import { eraseVideoReactionsOf, wipeVideoReactions } from "./service";

/**
 * What the reactions domain does with queue events (registered in events/consumer.ts). Every
 * handler is idempotent: erasing or wiping twice finds nothing the second time.
 *
 * A deleted account or profile loses its video reactions (found through `video_reaction_index`,
 * forgotten by the videos' shard objects so the counts drop exactly) and its comment reactions
 * (counts fixed in the same transactions).
 */
export const reactionsEventHandlers: EventHandlers = {
  ...onErasure(async (env, { profileIds }) => {
    await eraseVideoReactionsOf(env, profileIds);
    await eraseCommentReactions(createDb(env.DB), profileIds);
  }),
  // A deleted video's shard objects drop everything (who reacted how included), then its index rows.
  "video.deleted": [async (event, env) => wipeVideoReactions(env, event.payload.videoId)],
};
