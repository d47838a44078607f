/**
 * Messages on the `marquee-events` queue. Every message is a small envelope with a unique id
 * (consumers must be idempotent: the queue delivers at least once) and a `type` that names what
 * happened, in the past tense.
 */
export interface EventEnvelope<T extends string, P> {
  id: string;
  type: T;
  occurredAt: string;
  payload: P;
}

/** Emitted after an account and its credentials, sessions and profiles are erased. */
export type AccountDeleted = EventEnvelope<"account.deleted", { accountId: string; profileIds: string[] }>;

/** Emitted when a video becomes ready (its ladder is complete and it can be listed). */
export type VideoPublished = EventEnvelope<
  "video.published",
  { videoId: string; channelId: string; accountId: string; title: string; visibility: string }
>;

/** Emitted when a video is deleted; the storage cleanup consumer removes `videos/{videoId}/`. */
export type VideoDeleted = EventEnvelope<"video.deleted", { videoId: string; channelId: string }>;

export type DomainEvent = AccountDeleted | VideoPublished | VideoDeleted;
export type DomainEventType = DomainEvent["type"];
