import type { EventHandlers } from "../../events/handlers";

/** What the notifications domain does with queue events (registered in events/consumer.ts). */
export const notificationsEventHandlers: EventHandlers = {};
