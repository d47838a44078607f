import { describe, expect, it } from "vitest";
import { DEFAULT_PART_BYTES, defaultPartSize, PartPlanError, partLength, shapeUpload } from "./plan";

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;
const SINGLE_MAX = 100 * MiB;

describe("upload plans", () => {
  it("one PUT up to the single-upload limit, multipart beyond it or when parts are asked for", () => {
    expect(shapeUpload(1, SINGLE_MAX)).toEqual({ kind: "single" });
    expect(shapeUpload(SINGLE_MAX, SINGLE_MAX)).toEqual({ kind: "single" });
    expect(shapeUpload(SINGLE_MAX + 1, SINGLE_MAX)).toEqual({
      kind: "multipart",
      partSize: 8 * MiB,
      partCount: 13,
    });
    expect(shapeUpload(10 * MiB, SINGLE_MAX, 5 * MiB)).toEqual({
      kind: "multipart",
      partSize: 5 * MiB,
      partCount: 2,
    });
  });

  it("keeps parts at 8 MiB or more, whole MiB, and at most 10,000 of them (R2's rules)", () => {
    expect(defaultPartSize(20 * GiB)).toBe(DEFAULT_PART_BYTES);
    expect(defaultPartSize(200 * GiB)).toBe(21 * MiB);
    for (const size of [SINGLE_MAX + 1, 20 * GiB, 78.125 * GiB + 1, 200 * GiB, 1024 * GiB]) {
      const shape = shapeUpload(size, SINGLE_MAX);
      if (shape.kind !== "multipart") throw new Error("expected multipart");
      expect(shape.partCount).toBeLessThanOrEqual(10_000);
      expect(shape.partSize % MiB).toBe(0);
      expect(shape.partSize * shape.partCount).toBeGreaterThanOrEqual(size);
      expect(shape.partSize * (shape.partCount - 1)).toBeLessThan(size);
    }
  });

  it("refuses asked-for part sizes R2 would refuse", () => {
    expect(() => shapeUpload(10 * MiB, SINGLE_MAX, 4 * MiB)).toThrow(PartPlanError);
    expect(() => shapeUpload(60 * GiB, SINGLE_MAX, 5 * MiB)).toThrow(/12288 parts; at most 10000/);
  });

  it("gives every part the part size except the last, which holds the rest", () => {
    const size = 2 * 5 * MiB + 1024;
    expect([1, 2, 3].map((n) => partLength(n, size, 5 * MiB))).toEqual([5 * MiB, 5 * MiB, 1024]);
    expect(partLength(2, 10 * MiB, 5 * MiB)).toBe(5 * MiB);
    expect(partLength(1, 100, 5 * MiB)).toBe(100);
  });
});
