export * from "./events";
export * from "./media";
export * from "./money";
export * from "./passwords";
export * from "./payouts";
export * from "./random";
export * from "./revenue-share";
export * from "./roles";
