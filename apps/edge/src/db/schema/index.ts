/**
 * The D1 schema, one file per entity. drizzle-kit reads this index (drizzle.config.ts) to generate
 * migrations; the app imports tables from here.
 */
export * from "./accounts";
export * from "./ads";
export * from "./analytics";
export * from "./billing";
export * from "./captions";
export * from "./catalog";
export * from "./channels";
export * from "./comments";
export * from "./events";
export * from "./feed";
export * from "./history";
export * from "./moderation";
export * from "./one-time-codes";
export * from "./payouts";
export * from "./playlists";
export * from "./reactions";
export * from "./subscriptions";
export * from "./videos";
export * from "./webhooks";
