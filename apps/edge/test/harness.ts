/**
 * The one entry for tests' API helpers: calling the app (harness/api.ts), seeding accounts through
 * it (harness/accounts.ts), and videos and uploads (harness/videos.ts). Rows tests insert directly
 * are in fixtures.ts.
 */
export * from "./harness/accounts";
export * from "./harness/api";
export * from "./harness/clock";
export * from "./harness/videos";
