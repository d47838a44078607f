import { defineConfig } from "drizzle-kit";

// The payout ledger's migrations (src/payouts/schema.ts → migrations/). drizzle-kit only generates
// them here; the origin applies them itself on open (src/payouts/db.ts, drizzle's libSQL migrator),
// on a local file and on a libSQL/Turso server alike, so "sqlite" SQL is what both run.
export default defineConfig({
  dialect: "sqlite",
  schema: "./apps/origin-transcoder/src/payouts/schema.ts",
  out: "./apps/origin-transcoder/migrations",
});
