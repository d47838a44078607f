import type { DomainEvent, DomainEventType } from "@marquee/shared";

export type EventHandler<T extends DomainEventType> = (
  event: Extract<DomainEvent, { type: T }>,
  env: Env,
) => Promise<void>;

/** A domain's handlers, by event type. Handlers must be idempotent (at-least-once delivery). */
export type EventHandlers = { [T in DomainEventType]?: EventHandler<T>[] };
