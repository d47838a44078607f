import type { DomainEvent } from "@marquee/shared";
import { newId } from "../lib/ids";

/**
 * Puts a domain event on the events queue. Consumers are idempotent by `id` (at-least-once), so a
 * caller that may announce the same fact more than once passes a deterministic `id` and the
 * consumer drops the repeats.
 */
export async function publishEvent<E extends DomainEvent>(
  env: Env,
  type: E["type"],
  payload: E["payload"],
  options: { id?: string } = {},
): Promise<E> {
  const event = { id: options.id ?? newId("evt"), type, occurredAt: new Date().toISOString(), payload } as E;
  await env.EVENTS.send(event, { contentType: "json" });
  return event;
}
