export * from "./events";
export * from "./media";
export * from "./passwords";
export * from "./random";
export * from "./roles";
export * from "./payouts";
