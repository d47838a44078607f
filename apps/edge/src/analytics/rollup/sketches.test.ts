import { describe, expect, it } from "vitest";
import { bucketOf, bucketValue, edgesOf, type Histogram, quantileOf } from "./histogram";
import { addToSketch, emptySketch, estimate, mergeInto, parseSketch, serialiseSketch } from "./hll";

describe("HyperLogLog sketch", () => {
  it("counts small sets exactly and large ones within 3 standard errors", () => {
    for (const n of [0, 1, 3, 40, 256]) {
      const s = emptySketch();
      for (let i = 0; i < n; i++) addToSketch(s, `profile_${i}`);
      expect(estimate(s)).toBe(n);
    }
    const big = emptySketch();
    for (let i = 0; i < 50_000; i++) addToSketch(big, `profile_x${i}`);
    expect(Math.abs(estimate(big) - 50_000) / 50_000).toBeLessThan(3 * 0.0325);
  });

  it("merges as a union: the same viewers in two buckets count once, exactly while small", () => {
    const a = emptySketch();
    const b = emptySketch();
    for (let i = 0; i < 30; i++) addToSketch(a, `p${i}`);
    for (let i = 20; i < 50; i++) addToSketch(b, `p${i}`);
    mergeInto(a, b);
    expect(estimate(a)).toBe(50);
    // Past EXACT_MAX the merge is the registers' estimate.
    const c = emptySketch();
    for (let i = 0; i < 2000; i++) addToSketch(c, `q${i}`);
    mergeInto(a, c);
    expect(a.exact).toBeNull();
    expect(Math.abs(estimate(a) - 2050) / 2050).toBeLessThan(0.1);
  });

  it("serialises sparse and dense sketches and reads them back; garbage reads as empty", () => {
    for (const n of [0, 5, 5000]) {
      const s = emptySketch();
      for (let i = 0; i < n; i++) addToSketch(s, `v${i}`);
      const text = serialiseSketch(s);
      expect(text[0] ?? "").toBe(n === 0 ? "" : n === 5 ? "x" : "d");
      expect(parseSketch(text)).toEqual(s);
      expect(estimate(parseSketch(text))).toBe(estimate(s));
    }
    expect(estimate(parseSketch("x!,?"))).toBe(0);
    expect(estimate(parseSketch("d!!!"))).toBe(0);
  });
});

describe("startup histogram", () => {
  it("reports every time within 1 % through its bucket", () => {
    for (const ms of [1, 7, 250, 999, 4321, 60_000, 3_600_000]) {
      const [lo, hi] = edgesOf(bucketOf(ms));
      expect(ms).toBeGreaterThanOrEqual(lo);
      expect(ms).toBeLessThan(hi);
      expect(Math.abs(bucketValue(bucketOf(ms)) - ms) / ms).toBeLessThanOrEqual(0.0101);
    }
  });

  it("takes the median and p90 by nearest rank", () => {
    const h: Histogram = new Map();
    for (const ms of [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000])
      h.set(bucketOf(ms), (h.get(bucketOf(ms)) ?? 0) + 1);
    expect(quantileOf(h, 0.5)).toBe(bucketValue(bucketOf(500)));
    expect(quantileOf(h, 0.9)).toBe(bucketValue(bucketOf(900)));
    expect(quantileOf(new Map(), 0.5)).toBeNull();
  });
});
