import { DurableObject } from "cloudflare:workers";

/** Likes and dislikes of one video (or one shard of it). Implementation in progress. */
export class VideoReactions extends DurableObject<Env> {}
