export * from "./harness";
