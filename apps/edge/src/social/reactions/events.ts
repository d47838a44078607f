import type { EventHandlers } from "../../events/handlers";
import { eraseCommentReactions } from "./comment-reactions";
import { wipeVideoReactions } from "./service";

/**
 * What the reactions domain does with queue events (registered in events/consumer.ts). Both
 * handlers are idempotent: erasing or wiping twice finds nothing the second time.
 *
 * `account.deleted` erases the profiles' comment reactions (counts fixed in the same transactions).
 * Their *video* reactions are not found here yet: no index says which videos a profile reacted to,
 * and scanning every video's shards does not scale. docs/social.md ("Reactions", account deletion)
 * describes the gap and the D1 index table that closes it.
 */
export const reactionsEventHandlers: EventHandlers = {
  "account.deleted": [
    async (event, env) => void (await eraseCommentReactions(env.DB, event.payload.profileIds)),
  ],
  // A deleted video's shard objects drop everything (who reacted how included).
  "video.deleted": [async (event, env) => wipeVideoReactions(env, event.payload.videoId)],
};
