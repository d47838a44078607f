export * from "./events";
export * from "./passwords";
export * from "./roles";
export * from "./media";
