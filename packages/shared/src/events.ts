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

export type DomainEvent = AccountDeleted;
export type DomainEventType = DomainEvent["type"];
