import { DurableObject } from "cloudflare:workers";

/** One profile's notification inbox and live WebSocket. Implementation in progress. */
export class Inbox extends DurableObject<Env> {}
