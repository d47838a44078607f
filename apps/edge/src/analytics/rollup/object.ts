import { DurableObject } from "cloudflare:workers";
import { drainDirty } from "./drain";

/** A poke arms the alarm this far ahead: the beacons of the next seconds join the same drain. */
export const POKE_DELAY_MS = 5_000;
/** After a failed drain (D1 unavailable), the next attempt; the marks stay until drained. */
const RETRY_DELAY_MS = 30_000;

/**
 * The one writer of the analytics rollups (docs/analytics.md): one instance (poke.ts `rollupObject`).
 * Beacon batches poke it; its alarm drains one slice of analytics_dirty (D1 allows about 1000
 * queries per invocation) and re-arms at once while due marks remain, or for the earliest retry of a
 * mark backing off (drain.ts); the cron pokes it too, as the backstop for lost pokes.
 *
 * Why one writer: a recompute reads the raw beacons, then writes its buckets. Two recomputes of the
 * same bucket running at once (two isolates, two alarms) could interleave so that the one that read
 * the older snapshot of the beacons writes last, and the bucket would stay stale with no dirty mark
 * left to fix it (the newer drain deleted it). A Durable Object's alarm never runs concurrently
 * with itself, so recomputes here are serial.
 */
export class AnalyticsRollup extends DurableObject<Env> {
  /**
   * Arms the alarm (soon) unless it is armed sooner already: an alarm armed for a backing-off mark's
   * retry, maybe an hour away, must not delay fresh beacons.
   */
  async poke(): Promise<void> {
    const armed = await this.ctx.storage.getAlarm();
    const soon = Date.now() + POKE_DELAY_MS;
    if (armed === null || armed > soon) await this.ctx.storage.setAlarm(soon);
  }

  override async alarm(): Promise<void> {
    try {
      const { remaining, nextRetryAt } = await drainDirty(this.env);
      if (remaining) await this.ctx.storage.setAlarm(Date.now());
      else if (nextRetryAt !== null) await this.ctx.storage.setAlarm(nextRetryAt);
    } catch (error) {
      console.error("analytics rollup: drain failed, retrying", error);
      await this.ctx.storage.setAlarm(Date.now() + RETRY_DELAY_MS);
    }
  }
}
