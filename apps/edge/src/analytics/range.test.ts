import { MAX_RANGE_MS } from "@marquee/shared";
import { describe, expect, it } from "vitest";
import { AppError } from "../lib/errors";
import { type CoverSegment, coverOf, resolveRange } from "./range";

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

describe("coverOf", () => {
  const utc = (y: number, m: number, d = 1, h = 0) => Date.UTC(y, m - 1, d, h);
  const tiles = (cover: CoverSegment[]) => cover.map((s) => [s.grain, at(s.from), at(s.to)]);

  it("covers a year of days with its whole months, and days at the ends", () => {
    const range = { grain: "day" as const, from: utc(2025, 12, 7), to: utc(2026, 12, 7) };
    expect(tiles(coverOf(range))).toEqual([
      ["day", at(utc(2025, 12, 7)), at(utc(2026, 1, 1))],
      ["month", at(utc(2026, 1, 1)), at(utc(2026, 12, 1))],
      ["day", at(utc(2026, 12, 1)), at(utc(2026, 12, 7))],
    ]);
  });

  it("leaves out empty segments: month-aligned ends, or no whole month", () => {
    expect(tiles(coverOf({ grain: "day", from: utc(2026, 2, 1), to: utc(2026, 4, 1) }))).toEqual([
      ["month", at(utc(2026, 2, 1)), at(utc(2026, 4, 1))],
    ]);
    expect(tiles(coverOf({ grain: "day", from: utc(2026, 2, 3), to: utc(2026, 3, 5) }))).toEqual([
      ["day", at(utc(2026, 2, 3)), at(utc(2026, 3, 5))],
    ]);
  });

  it("covers an hour range with hours at the ends, whole days, and a whole month inside", () => {
    const range = { grain: "hour" as const, from: utc(2026, 1, 31, 20), to: utc(2026, 3, 2, 5) };
    expect(tiles(coverOf(range))).toEqual([
      ["hour", at(utc(2026, 1, 31, 20)), at(utc(2026, 2, 1))],
      ["month", at(utc(2026, 2, 1)), at(utc(2026, 3, 1))],
      ["day", at(utc(2026, 3, 1)), at(utc(2026, 3, 2))],
      ["hour", at(utc(2026, 3, 2)), at(utc(2026, 3, 2, 5))],
    ]);
    // Inside one day: hours only.
    expect(tiles(coverOf({ grain: "hour", from: utc(2026, 3, 2, 1), to: utc(2026, 3, 2, 5) }))).toEqual([
      ["hour", at(utc(2026, 3, 2, 1)), at(utc(2026, 3, 2, 5))],
    ]);
  });

  it("tiles the range exactly: consecutive segments, from `from` to `to`", () => {
    for (let n = 0; n < 200; n++) {
      const from = T - ((n * 7919) % 400) * DAY - ((n * 13) % 24) * HOUR;
      const grain = n % 2 === 0 ? ("hour" as const) : ("day" as const);
      const span = grain === "hour" ? ((n * 31) % (31 * 24)) + 1 : ((n * 17) % 400) + 1;
      const range = resolveRange(
        { granularity: grain, from: at(from), to: at(from + span * (grain === "hour" ? HOUR : DAY)) },
        T,
      );
      const cover = coverOf(range);
      expect(cover[0]?.from).toBe(range.from);
      expect(cover[cover.length - 1]?.to).toBe(range.to);
      for (let i = 1; i < cover.length; i++) expect(cover[i]?.from).toBe(cover[i - 1]?.to);
      for (const s of cover) expect(s.from).toBeLessThan(s.to as number);
    }
  });
});
