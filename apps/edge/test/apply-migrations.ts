import { applyD1Migrations, env } from "cloudflare:test";

// The same drizzle-kit migrations wrangler applies locally and in production. Applying is
// idempotent (tracked in d1_migrations), so every test file can run this safely.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
