import type { DurableObject } from "cloudflare:workers";
import { Container } from "@cloudflare/containers";
import { loadConfig } from "../config";
import { createLogger } from "../lib/logger";

/** The port the origin listens on inside its image (apps/origin-transcoder/Dockerfile). */
export const ORIGIN_CONTAINER_PORT = 8790;

/**
 * One origin container (Cloudflare Containers; bound only in wrangler.toml's [env.production]).
 *
 * The origin pulls its work: it leases jobs from this edge with EDGE_URL and ORIGIN_TOKEN, exactly
 * as the local Bun process does, so nothing is ever proxied into the container. That matters for
 * sleeping: the Container class renews `sleepAfter` only on requests *into* the container, so a
 * busy origin looks idle. `onActivityExpired` therefore asks the origin's /healthz whether it
 * holds a job and stops it (SIGTERM: it releases its leases and exits) only when it holds none.
 */
export class OriginContainer extends Container {
  override defaultPort = ORIGIN_CONTAINER_PORT;
  override pingEndpoint = "container/healthz";
  private readonly log = createLogger({ object: "OriginContainer" });

  constructor(ctx: DurableObject["ctx"], env: Cloudflare.Env) {
    super(ctx, env);
    const config = loadConfig(env);
    this.sleepAfter = config.originContainers.sleepAfterSeconds;
    this.envVars = originEnvVars(config);
  }

  override async onActivityExpired(): Promise<void> {
    const jobs = await this.activeJobs();
    // Busy: not stopping renews the timer, and the class asks again after sleepAfter. An origin
    // that does not answer is stopped like an idle one: a hung origin's lease lapses and its job
    // goes back to the queue, where it wakes a fresh container.
    if (jobs !== null && jobs > 0) {
      this.log("info", { event: "origin-kept-awake", activeJobs: jobs });
      return;
    }
    if (jobs === null) this.log("warn", { event: "origin-unresponsive-stopped" });
    await this.stop();
  }

  /** Jobs the origin holds by its own /healthz, or null when it does not answer. */
  private async activeJobs(): Promise<number | null> {
    try {
      const res = await this.containerFetch("http://container/healthz", { method: "GET" });
      if (!res.ok) return null;
      const body = (await res.json()) as { worker?: { jobs?: unknown[] } };
      return Array.isArray(body.worker?.jobs) ? body.worker.jobs.length : null;
    } catch {
      return null;
    }
  }
}

/**
 * What the origin inside the container is started with: where the edge is and its token, and
 * nothing else secret. Payouts stay off in these transcode-only instances: several of them, each
 * with its own disk, must never run a payout (docs/production.md runs payouts elsewhere).
 */
export function originEnvVars(config: ReturnType<typeof loadConfig>): Record<string, string> {
  return {
    APP_ENV: "production",
    EDGE_URL: config.publicUrl,
    ORIGIN_TOKEN: config.originToken,
    ORIGIN_CONCURRENCY: String(config.originContainers.concurrency),
    PAYOUTS_SCHEDULE: "off",
  };
}
