import { DurableObject } from "cloudflare:workers";

/** The global transcode job queue with leases (implementation in progress). */
export class TranscodeQueue extends DurableObject<Env> {}
