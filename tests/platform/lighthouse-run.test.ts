import { describe, expect, it } from "vitest";
import { calibratedSlowdown } from "./lighthouse-run";

describe("calibratedSlowdown (Lighthouse's CPU throttling calculator)", () => {
  it("gives the calculator's anchor points and follows its lines between them", () => {
    expect([150, 800, 1300, 1533, 1766, 2000].map(calibratedSlowdown)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(calibratedSlowdown(1050)).toBe(2.5);
    expect(calibratedSlowdown(475)).toBe(1.5);
    expect(calibratedSlowdown(2778)).toBe(9.3);
  });

  it("never speeds a host up, and reads the index as the report rounds it", () => {
    expect(calibratedSlowdown(100)).toBe(1);
    expect(calibratedSlowdown(0)).toBe(1);
    expect(calibratedSlowdown(1532.6)).toBe(calibratedSlowdown(1533));
  });
});
