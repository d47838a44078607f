// No import of the rollup itself here: the worker's entry imports this module before the app, and
// the rollup's imports (@marquee/shared) must not load before the app's zod-openapi extension.

/** The single rollup object (analytics/rollup/object.ts), by name. */
export const rollupObject = (env: Env) => env.ANALYTICS_ROLLUP.get(env.ANALYTICS_ROLLUP.idFromName("rollup"));

/** At most one poke per isolate in this window: a busy isolate's beacon batches share one. */
export const POKE_EVERY_MS = 2_000;
let lastPokeAt = Number.NEGATIVE_INFINITY;

/**
 * Tells the rollup object that beacons landed. Called from the beacon route through waitUntil and
 * by the cron; never throws: a lost poke is caught by the next one or the cron, and the dirty marks
 * wait in D1 meanwhile. `force` skips the per-isolate throttle (the cron).
 */
export async function pokeRollup(env: Env, options: { force?: boolean; now?: number } = {}): Promise<void> {
  const now = options.now ?? Date.now();
  if (!options.force && now - lastPokeAt < POKE_EVERY_MS) return;
  lastPokeAt = now;
  try {
    await rollupObject(env).poke();
  } catch (error) {
    // Let the next call try again rather than waiting out the window.
    lastPokeAt = Number.NEGATIVE_INFINITY;
    console.warn("analytics rollup: poke failed", error);
  }
}
