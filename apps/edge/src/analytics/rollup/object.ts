import { DurableObject } from "cloudflare:workers";
import { drainDirty } from "./drain";

/** A poke arms the alarm this far ahead: the beacons of the next seconds join the same drain. */
export const POKE_DELAY_MS = 5_000;
/** One alarm drains slices for at most this long, then re-arms at once (other work may run between). */
const ALARM_BUDGET_MS = 10_000;
/** After a failed drain (D1 unavailable), the next attempt; the marks stay until drained. */
const RETRY_DELAY_MS = 30_000;

/**
 * The one writer of the analytics rollups (docs/analytics.md): one instance (poke.ts `rollupObject`).
 * Beacon batches poke it; its alarm drains analytics_dirty in bounded slices and re-arms while work
 * remains; the cron pokes it too, as the backstop for lost pokes.
 *
 * Why one writer: a recompute reads the raw beacons, then writes its buckets. Two recomputes of the
 * same bucket running at once (two isolates, two alarms) could interleave so that the one that read
 * the older snapshot of the beacons writes last, and the bucket would stay stale with no dirty mark
 * left to fix it (the newer drain deleted it). A Durable Object's alarm never runs concurrently
 * with itself, so recomputes here are serial.
 */
export class AnalyticsRollup extends DurableObject<Env> {
  /** Arms the alarm (soon) unless it is armed already. */
  async poke(): Promise<void> {
    const armed = await this.ctx.storage.getAlarm();
    if (armed === null) await this.ctx.storage.setAlarm(Date.now() + POKE_DELAY_MS);
  }

  override async alarm(): Promise<void> {
    const deadline = Date.now() + ALARM_BUDGET_MS;
    try {
      for (;;) {
        const { remaining } = await drainDirty(this.env);
        if (!remaining) return;
        if (Date.now() >= deadline) {
          await this.ctx.storage.setAlarm(Date.now());
          return;
        }
      }
    } catch (error) {
      console.error("analytics rollup: drain failed, retrying", error);
      await this.ctx.storage.setAlarm(Date.now() + RETRY_DELAY_MS);
    }
  }
}
