import type { EventHandlers } from "../events/handlers";

/** History's reactions to other domains' events. */
export const historyEventHandlers: EventHandlers = {};
