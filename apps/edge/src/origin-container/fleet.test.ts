import { env } from "cloudflare:test";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../config";
import type { LogLevel } from "../lib/logger";
import { privateQueue } from "../transcode-queue/test-utils";
import { originsToWake, wakeOrigins, wakeOriginsForQueue } from "./fleet";
import { originEnvVars } from "./object";

// What runs here: the fleet-sizing decision, the no-binding paths, the queue's alarm without a
// binding, and the container's start-up environment. What cannot: a real ORIGIN_CONTAINER binding
// (workerd under vitest has no container runtime), so start(), sleepAfter and onActivityExpired
// are exercised only on Cloudflare (docs/production.md says what to watch after a deploy).

const limits = { maxInstances: 3, concurrency: 1 };

function recordingLog() {
  const lines: { level: LogLevel; fields: Record<string, unknown> }[] = [];
  return { lines, log: (level: LogLevel, fields: Record<string, unknown>) => lines.push({ level, fields }) };
}

describe("origin fleet sizing", () => {
  it("wakes nothing without queued work, then one origin per job up to the maximum", () => {
    expect(originsToWake({ queued: 0, leased: 0 }, limits)).toEqual([]);
    // Leased jobs have a running holder: no wake while nothing waits.
    expect(originsToWake({ queued: 0, leased: 2 }, limits)).toEqual([]);
    expect(originsToWake({ queued: 1, leased: 0 }, limits)).toEqual(["origin-0"]);
    expect(originsToWake({ queued: 1, leased: 1 }, limits)).toEqual(["origin-0", "origin-1"]);
    expect(originsToWake({ queued: 50, leased: 0 }, limits)).toEqual(["origin-0", "origin-1", "origin-2"]);
    // Two jobs per container: four live jobs need two containers.
    expect(originsToWake({ queued: 3, leased: 1 }, { maxInstances: 3, concurrency: 2 })).toEqual([
      "origin-0",
      "origin-1",
    ]);
    expect(originsToWake({ queued: 1, leased: 0 }, { maxInstances: 0, concurrency: 1 })).toEqual([]);
  });

  it("never names more than the maximum, never a name outside the fixed set, and grows with the backlog", () => {
    fc.assert(
      fc.property(
        fc.nat(10_000),
        fc.nat(10_000),
        fc.integer({ min: 1, max: 100 }),
        fc.integer({ min: 1, max: 64 }),
        (queued, leased, maxInstances, concurrency) => {
          const names = originsToWake({ queued, leased }, { maxInstances, concurrency });
          const allowed = new Set(Array.from({ length: maxInstances }, (_, i) => `origin-${i}`));
          expect(names.length).toBeLessThanOrEqual(maxInstances);
          expect(new Set(names).size).toBe(names.length);
          for (const name of names) expect(allowed.has(name)).toBe(true);
          if (queued > 0) expect(names.length).toBeGreaterThanOrEqual(1);
          const more = originsToWake({ queued: queued + 1, leased }, { maxInstances, concurrency });
          expect(more.length).toBeGreaterThanOrEqual(names.length);
        },
      ),
    );
  });
});

describe("origin waking without the container binding (local development and tests)", () => {
  it("is a no-op: no start, no queue call, nothing logged", async () => {
    expect("ORIGIN_CONTAINER" in env).toBe(false);
    const { lines, log } = recordingLog();
    expect(await wakeOrigins(env, { queued: 5, leased: 0 }, log)).toEqual([]);
    let asked = 0;
    const stats = async () => {
      asked += 1;
      return { jobs: { queued: 5, leased: 0 } };
    };
    expect(await wakeOriginsForQueue(env, stats, log)).toEqual([]);
    expect(asked).toBe(0);
    expect(lines).toEqual([]);
  });

  it("leaves the transcode queue's alarm alone: an enqueue sets none when nothing is leased", async () => {
    const queue = privateQueue();
    await queue.enqueue(`vid_${crypto.randomUUID()}`);
    expect((await queue.stats()).alarm).toBeNull();
  });
});

describe("origin container start-up", () => {
  it("gives the origin the edge's URL and token, production mode, its concurrency, and payouts off", () => {
    const config = loadConfig({ ...env, ORIGIN_CONTAINER_CONCURRENCY: "2" });
    expect(originEnvVars(config)).toEqual({
      APP_ENV: "production",
      EDGE_URL: config.publicUrl,
      ORIGIN_TOKEN: config.originToken,
      ORIGIN_CONCURRENCY: "2",
      PAYOUTS_SCHEDULE: "off",
    });
  });
});
