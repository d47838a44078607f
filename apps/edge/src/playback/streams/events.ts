import { onErasure } from "../../events/erasure";
import { accountStreams } from "./service";

/**
 * Erasure of the streams domain (registered in events/consumer.ts). Rows vanish by themselves
 * within STREAM_LAPSE_SECONDS once the deleted sessions stop heartbeating; this frees the slots
 * and drops the profile ids and device labels at once. Idempotent (a repeat drops nothing).
 */
export const streamsEventHandlers = onErasure(async (env, { accountId, profileIds, wholeAccount }) => {
  await accountStreams(env, accountId).erase(wholeAccount ? "all" : profileIds);
});
