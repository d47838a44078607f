import { DurableObject } from "cloudflare:workers";

/**
 * The one analytics rollup writer (SCAFFOLD: the rollup work fills this in). Beacon batches poke
 * it; its alarm drains analytics_dirty in bounded slices and re-arms while work remains; the cron
 * pokes it too, as the backstop. One writer, so two recomputes of the same bucket never interleave
 * (a slower, older recompute must not land after a newer one).
 */
export class AnalyticsRollup extends DurableObject<Env> {
  /** Arms the alarm (soon) unless it is armed already. */
  async poke(): Promise<void> {}
}
