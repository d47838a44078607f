import { describe, expect, it } from "vitest";
import { batchSize } from "./beaconBatch";

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
