import type { DomainEvent } from "@marquee/shared";
import { newId } from "../lib/ids";

/** Puts a domain event on the events queue. Consumers are idempotent by `id` (at-least-once). */
export async function publishEvent<E extends DomainEvent>(
  env: Env,
  type: E["type"],
  payload: E["payload"],
): Promise<E> {
  const event = { id: newId("evt"), type, occurredAt: new Date().toISOString(), payload } as E;
  await env.EVENTS.send(event, { contentType: "json" });
  return event;
}
