import type { EventHandlers } from "../../events/handlers";

/** What the reactions domain does with queue events (registered in events/consumer.ts). */
export const reactionsEventHandlers: EventHandlers = {};
