import { createLogger } from "../lib/logger";
import { sweepOrphans } from "./orphans";

const ORPHAN_CURSOR_KEY = "housekeeping:orphan-cursor";

/**
 * The periodic sweep (cron trigger in wrangler.toml). Each run does a bounded slice of work and
 * remembers where it stopped, so a large bucket is covered over several runs.
 */
export async function runHousekeeping(
  env: Env,
  extraTasks: ((env: Env) => Promise<unknown>)[] = [],
): Promise<void> {
  const log = createLogger({ task: "housekeeping" });
  const cursor = await env.SETTINGS.get(ORPHAN_CURSOR_KEY);
  const orphans = await sweepOrphans(env, cursor);
  if (orphans.cursor) await env.SETTINGS.put(ORPHAN_CURSOR_KEY, orphans.cursor);
  else await env.SETTINGS.delete(ORPHAN_CURSOR_KEY);
  log("info", { event: "orphan-sweep", scanned: orphans.scanned, removed: orphans.removed.length });
  for (const task of extraTasks) await task(env);
}
