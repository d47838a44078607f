import { sha256Hex } from "../../lib/ids";

/**
 * A notification's id is a pure function of (source event id, recipient profile). Every path that
 * may deliver it again — a redelivered queue message, a retried fan-out whose pages came out
 * differently, the inline first page and a queued page overlapping — computes the same id, and
 * the inbox drops an id it has seen. This is the one idempotency key of the whole fan-out.
 */
export async function notificationId(sourceEventId: string, recipientProfileId: string): Promise<string> {
  return `ntf_${(await sha256Hex(`${sourceEventId}\n${recipientProfileId}`)).slice(0, 32)}`;
}

/**
 * The envelope id of one `notification.batch` message: a hash of the source event and the exact
 * recipient list. A retried fan-out that pages identically produces identical ids, which the
 * consumer drops (processed_events); if the subscriber set changed in between, pages differ, get
 * new ids and are delivered — and the inbox ids above keep every recipient at one copy. Hashing
 * the content rather than numbering pages matters: "page 3" of a retry may hold other profiles
 * than page 3 of the first run, and dropping it as a duplicate would lose them.
 */
export async function batchEventId(sourceEventId: string, recipients: readonly string[]): Promise<string> {
  return `evt_nb_${(await sha256Hex(`${sourceEventId}\n${recipients.join(",")}`)).slice(0, 40)}`;
}
