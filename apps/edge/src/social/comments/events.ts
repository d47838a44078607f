import type { EventHandlers } from "../../events/handlers";

/** What the comments domain does with queue events (registered in events/consumer.ts). */
export const commentsEventHandlers: EventHandlers = {};
