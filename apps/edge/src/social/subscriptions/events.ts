import type { EventHandlers } from "../../events/handlers";

/** What the subscriptions domain does with queue events (registered in events/consumer.ts). */
export const subscriptionsEventHandlers: EventHandlers = {};
