import { describe, expect, it } from "vitest";
import { batchSize, keepaliveCount, MAX_KEEPALIVE_BYTES } from "./beaconBatch";

const beacon = (bytes: number) => ({ id: "b".repeat(bytes) });

describe("batchSize", () => {
  it("takes up to 50 small beacons", () => {
    expect(batchSize(Array.from({ length: 80 }, () => beacon(100)))).toBe(50);
    expect(batchSize(Array.from({ length: 7 }, () => beacon(100)))).toBe(7);
    expect(batchSize([])).toBe(0);
  });

  it("stops before the batch's JSON passes 60,000 bytes, under the API's 64 KiB body limit", () => {
    const n = batchSize(Array.from({ length: 50 }, () => beacon(2000)));
    expect(n).toBe(29);
    expect(JSON.stringify({ beacons: Array.from({ length: n }, () => beacon(2000)) }).length).toBeLessThan(
      65_536,
    );
  });

  it("always sends at least one beacon, however large", () => {
    expect(batchSize([beacon(70_000), beacon(10)])).toBe(1);
  });
});

describe("keepaliveCount", () => {
  /** The bodies flushKeepalive would send for the newest `n`: batches of 50 at most. */
  const bodies = (beacons: unknown[], n: number) => {
    const tail = beacons.slice(beacons.length - n);
    const out: string[] = [];
    while (tail.length) out.push(JSON.stringify({ beacons: tail.splice(0, batchSize(tail)) }));
    return out;
  };

  it("takes the newest beacons whose batches together stay within the keepalive quota", () => {
    const beacons = Array.from({ length: 120 }, (_, i) => ({ id: String(i).padStart(1000, "x") }));
    const n = keepaliveCount(beacons);
    expect(n).toBeGreaterThan(50); // more than one batch…
    expect(n).toBeLessThan(120); // …but not all of them
    const sent = bodies(beacons, n);
    expect(sent.reduce((sum, b) => sum + new TextEncoder().encode(b).length, 0)).toBeLessThanOrEqual(
      MAX_KEEPALIVE_BYTES,
    );
    // One more would pass it.
    const more = bodies(beacons, n + 1);
    expect(more.reduce((sum, b) => sum + new TextEncoder().encode(b).length, 0)).toBeGreaterThan(
      MAX_KEEPALIVE_BYTES,
    );
    // The newest: the last beacon is among them.
    expect(sent.at(-1)).toContain(String(119).padStart(1000, "x"));
  });

  it("takes a small queue whole, and nothing that cannot fit", () => {
    expect(keepaliveCount(Array.from({ length: 7 }, () => beacon(100)))).toBe(7);
    expect(keepaliveCount([])).toBe(0);
    expect(keepaliveCount([beacon(10), beacon(70_000)])).toBe(0);
  });
});
