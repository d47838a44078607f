export * from "./events";
export * from "./media";
export * from "./passwords";
export * from "./roles";
