/**
 * The local platform's D1 database as a file: wrangler/miniflare keep it as one SQLite file under
 * `<state>/v3/d1/miniflare-D1DatabaseObject/<hash>.sqlite` (the hash derives from the binding's
 * database id). Tools that write a lot of rows at once (`bun run seed:scale`) open it with
 * bun:sqlite instead of sending SQL through `wrangler d1 execute`.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { NO_PROMPT, REPO_ROOT, toolEnv } from "./dev-vars";

export { defaultStateDir } from "./dev-vars";

/** Applies `apps/edge/migrations` to the state dir's D1, like `bun run db:migrate:local` (idempotent). */
export function migrateLocal(stateDir: string): void {
  const run = Bun.spawnSync(
    ["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", stateDir],
    { cwd: REPO_ROOT, env: toolEnv(NO_PROMPT) },
  );
  if (run.exitCode !== 0) {
    throw new Error(
      `wrangler d1 migrations apply failed:\n${run.stderr.toString().slice(-3000) || run.stdout.toString().slice(-3000)}`,
    );
  }
}

/** The D1 SQLite file in a state dir, or null when migrations were never applied there. */
export function localD1File(stateDir: string): string | null {
  const dir = join(stateDir, "v3/d1/miniflare-D1DatabaseObject");
  if (!existsSync(dir)) return null;
  const files = readdirSync(dir).filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  if (files.length > 1) {
    throw new Error(
      `more than one D1 database in ${dir} (${files.join(", ")}); expected only the DB binding's`,
    );
  }
  return files[0] ? join(dir, files[0]) : null;
}
