/**
 * How many origin containers the transcode backlog needs, and waking them (docs/production.md).
 *
 * Instances have fixed names `origin-0` … `origin-<max-1>`: waking is `start()` on those names,
 * which is a no-op for one already running, so repeated wakes never add instances and the fleet
 * can never exceed the maximum (wrangler's `max_instances` caps it again on Cloudflare's side).
 * Containers stop themselves when idle (object.ts); nothing here ever stops one.
 */
import { getContainer } from "@cloudflare/containers";
import { loadConfig } from "../config";
import type { Logger } from "../lib/logger";

export interface Backlog {
  /** Jobs waiting for an origin. */
  queued: number;
  /** Jobs an origin holds right now. */
  leased: number;
}

export interface FleetLimits {
  maxInstances: number;
  /** Jobs one container runs at once. */
  concurrency: number;
}

export const ORIGIN_NAME_PREFIX = "origin-";

/**
 * The instances that should be running for this backlog: enough to hold every live job at the
 * containers' concurrency, capped at `maxInstances`. Nothing when no job is queued: leased jobs
 * already have a running holder, and a wake is only worth its RPCs when work waits.
 */
export function originsToWake(backlog: Backlog, limits: FleetLimits): string[] {
  const queued = Math.max(0, Math.floor(backlog.queued));
  const leased = Math.max(0, Math.floor(backlog.leased));
  const max = Math.max(0, Math.floor(limits.maxInstances));
  const perInstance = Math.max(1, Math.floor(limits.concurrency));
  if (queued === 0 || max === 0) return [];
  const wanted = Math.min(max, Math.ceil((queued + leased) / perInstance));
  return Array.from({ length: wanted }, (_, i) => `${ORIGIN_NAME_PREFIX}${i}`);
}

/**
 * Starts the origin containers the backlog needs. Without the ORIGIN_CONTAINER binding (local
 * development, tests, an origin on another host) it does nothing and returns no names. A start
 * that fails, or a configuration that does not load, is logged and left: the next enqueue, lapse,
 * alarm or cron run wakes again. It never throws.
 */
export async function wakeOrigins(env: Env, backlog: Backlog, log: Logger): Promise<string[]> {
  const binding = env.ORIGIN_CONTAINER;
  if (!binding) return [];
  let limits: FleetLimits;
  try {
    limits = loadConfig(env).originContainers;
  } catch (error) {
    // A bad config must not fail the queue's alarm (its lapse sweeps and outbox come first).
    log("error", { event: "origin-wake-failed", error: String(error) });
    return [];
  }
  const names = originsToWake(backlog, limits);
  const results = await Promise.allSettled(names.map((name) => getContainer(binding, name).start()));
  results.forEach((result, i) => {
    if (result.status === "rejected") {
      log("error", { event: "origin-wake-failed", origin: names[i], error: String(result.reason) });
    }
  });
  if (names.length > 0) log("info", { event: "origins-woken", origins: names, ...backlog });
  return names;
}

/**
 * The cron's backstop: a wake that failed is not retried by the queue, so every housekeeping run
 * wakes origins for whatever is still queued. Without the binding it asks the queue nothing.
 */
export async function wakeOriginsForQueue(
  env: Env,
  stats: () => Promise<{ jobs: Backlog }>,
  log: Logger,
): Promise<string[]> {
  if (!env.ORIGIN_CONTAINER) return [];
  const { jobs } = await stats();
  return wakeOrigins(env, { queued: jobs.queued, leased: jobs.leased }, log);
}
