import { MAX_RANGE_MS } from "@marquee/shared";
import { describe, expect, it } from "vitest";
import { AppError } from "../lib/errors";
import { resolveRange } from "./range";

const HOUR = 3_600_000;
const DAY = 86_400_000;
const at = (ms: number) => new Date(ms).toISOString();
const T = Date.UTC(2026, 5, 15);

describe("resolveRange", () => {
  it("rounds `from` down and `to` up to whole buckets of the grain (UTC)", () => {
    expect(resolveRange({ granularity: "day", from: at(T + 5 * HOUR), to: at(T + 2 * DAY + 1) })).toEqual({
      grain: "day",
      from: T,
      to: T + 3 * DAY,
    });
    expect(resolveRange({ granularity: "hour", from: at(T + 59_000), to: at(T + HOUR) })).toEqual({
      grain: "hour",
      from: T,
      to: T + HOUR,
    });
    // An offset is an instant like any other: 02:30+02:00 is 00:30 UTC.
    expect(
      resolveRange({ granularity: "hour", from: "2026-06-15T02:30:00+02:00", to: at(T + HOUR) }).from,
    ).toBe(T);
  });

  it("defaults to the last 28 days up to now", () => {
    const now = T + 7 * HOUR;
    expect(resolveRange({ granularity: "day" }, now)).toEqual({
      grain: "day",
      from: T - 28 * DAY,
      to: T + DAY,
    });
    expect(resolveRange({ granularity: "day", to: at(T) }, now)).toEqual({
      grain: "day",
      from: T - 28 * DAY,
      to: T,
    });
  });

  it("refuses an empty or inverted range, and spans over the grain's limit, as validation failures", () => {
    const refused = (q: Parameters<typeof resolveRange>[0]) => {
      try {
        resolveRange(q, T);
      } catch (e) {
        return e instanceof AppError ? e.code : String(e);
      }
      return "accepted";
    };
    expect(refused({ granularity: "day", from: at(T), to: at(T) })).toBe("validation_failed");
    expect(refused({ granularity: "day", from: at(T + 1), to: at(T) })).toBe("validation_failed");
    expect(refused({ granularity: "hour", from: at(T), to: at(T + MAX_RANGE_MS.hour + 1) })).toBe(
      "validation_failed",
    );
    expect(refused({ granularity: "hour", from: at(T + 1), to: at(T + MAX_RANGE_MS.hour + 1) })).toBe(
      "accepted",
    );
    expect(refused({ granularity: "day", from: at(T), to: at(T + MAX_RANGE_MS.day + 1) })).toBe(
      "validation_failed",
    );
    // The hour grain's default of 28 days is within its 31.
    expect(refused({ granularity: "hour" })).toBe("accepted");
  });
});
