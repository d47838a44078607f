/**
 * Tells the rollup object that beacons landed (SCAFFOLD: the rollup work implements it). Called from
 * the beacon route through waitUntil; never throws (a lost poke is caught by the next one or the cron).
 */
export async function pokeRollup(_env: Env): Promise<void> {}
