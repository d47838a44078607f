/** The periodic trending recompute, run by the cron trigger (see index.ts). Filled in by the feed domain. */
export async function recomputeTrending(_env: Env, _now: number): Promise<void> {}
