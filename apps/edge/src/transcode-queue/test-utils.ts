/** Helpers for tests that talk to the queue object over RPC (run in workerd). */
import { env } from "cloudflare:test";
import { unique } from "../../test/harness";
import { QUEUE_NAME } from "./client";
import type { TranscodeQueue } from "./object";

const namespace = () => env.TRANSCODE_QUEUE as unknown as DurableObjectNamespace<TranscodeQueue>;

/** A queue of its own (unique name), so a test sees only the jobs it made. */
export function privateQueue(): DurableObjectStub<TranscodeQueue> {
  const ns = namespace();
  return ns.get(ns.idFromName(unique("queue")));
}

/** The queue the internal API uses (shared by every test file: lease only your own videos' jobs). */
export function globalQueue(): DurableObjectStub<TranscodeQueue> {
  const ns = namespace();
  return ns.get(ns.idFromName(QUEUE_NAME));
}

export const LEASE = { leaseSeconds: 60, maxAttempts: 3 } as const;
