/**
 * Tests whose facts are per UTC day (views, budgets, day rows) hold only if the day does not turn
 * while they run. CI starts at any hour, so such a test first waits out a nearby midnight: when the
 * next one is less than `ms` away, or the last one less than `after` ago, it sleeps past the risk.
 */
const DAY_MS = 86_400_000;

export async function clearOfUtcMidnight(ms: number, after = 0): Promise<void> {
  const intoDay = Date.now() % DAY_MS;
  const wait =
    intoDay > DAY_MS - ms ? DAY_MS - intoDay + after + 50 : intoDay < after ? after - intoDay + 50 : 0;
  if (wait > 0) await new Promise((done) => setTimeout(done, wait));
}
