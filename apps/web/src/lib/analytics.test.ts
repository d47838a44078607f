import {
  ANALYTICS_GRAINS,
  DEFAULT_RANGE_DAYS,
  DEVICE_CLASSES,
  MAX_RANGE_MS,
  TRAFFIC_SOURCES,
} from "@marquee/shared";
import { describe, expect, it, vi } from "vitest";
import de from "../i18n/locales/de/analytics.json";
import en from "../i18n/locales/en/analytics.json";

// lib/analytics.ts imports the API client, which needs a window; only its pure helpers are tested here.
const must = vi.hoisted(() => vi.fn((_: unknown) => Promise.reject(new Error("no API in unit tests"))));
vi.mock("../api/client", () => ({
  api: { GET: () => "get" },
  must,
}));

const {
  bucketLabel,
  countryName,
  DEFAULT_RANGE,
  formatHours,
  formatMs,
  fillSeries,
  formatPct,
  granularityFor,
  hasViews,
  msToHours,
  parseRange,
  RANGE_DAYS,
  rangeBuckets,
  rangeQuery,
  seriesData,
  sourceParts,
  storyboardUrlFromPoster,
  storyboardUrlOf,
  stripTimes,
  TRAFFIC_SOURCE_NAMES,
} = await import("./analytics");
type AnalyticsPoint = import("./analytics").AnalyticsPoint;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe("ranges and granularity", () => {
  it("offers 7, 28, 90 and 365 days, defaulting to the API's own default", () => {
    expect([...RANGE_DAYS]).toEqual([7, 28, 90, 365]);
    expect(DEFAULT_RANGE).toBe(DEFAULT_RANGE_DAYS);
  });

  it("reads the range from the address, anything else is the default", () => {
    expect(parseRange("7")).toBe(7);
    expect(parseRange("365")).toBe(365);
    for (const bad of [null, undefined, "", "30", "7.5", "-7", "abc", "1e3"])
      expect(parseRange(bad)).toBe(28);
  });

  it("asks for hours up to a week and days beyond", () => {
    expect(granularityFor(1)).toBe("hour");
    expect(granularityFor(7)).toBe("hour");
    expect(granularityFor(8)).toBe("day");
    expect(granularityFor(28)).toBe("day");
    expect(granularityFor(365)).toBe("day");
    for (const days of RANGE_DAYS) expect(ANALYTICS_GRAINS).toContain(granularityFor(days));
  });

  it("ends the range at the end of the current hour and spans exactly the days asked", () => {
    const now = Date.UTC(2026, 11, 6, 16, 19, 10);
    const q = rangeQuery(7, now);
    expect(q).toEqual({
      from: "2026-11-29T17:00:00.000Z",
      to: "2026-12-06T17:00:00.000Z",
      granularity: "hour",
    });
    // On the hour exactly, the hour is not skipped ahead.
    expect(rangeQuery(7, Date.UTC(2026, 11, 6, 16)).to).toBe("2026-12-06T16:00:00.000Z");
    // The same page asked twice in an hour asks the same thing (the API may cache it).
    expect(rangeQuery(7, now + 20 * 60_000)).toEqual(rangeQuery(7, now));
  });

  it("asks for exactly N whole UTC days, today included, for daily ranges", () => {
    const now = Date.UTC(2026, 11, 6, 16, 19, 10);
    expect(rangeQuery(28, now)).toEqual({
      from: "2026-11-09T00:00:00.000Z",
      to: "2026-12-07T00:00:00.000Z",
      granularity: "day",
    });
    // 28 day buckets, not 29 (a `from` in the middle of a day would add its whole day).
    const q = rangeQuery(28, now);
    expect(fillSeries([], q)).toHaveLength(28);
    // Just after midnight today is still in, and the same all day long.
    expect(rangeQuery(90, Date.UTC(2026, 11, 6)).to).toBe("2026-12-07T00:00:00.000Z");
    expect(rangeQuery(90, Date.UTC(2026, 11, 6, 23, 59))).toEqual(rangeQuery(90, Date.UTC(2026, 11, 6)));
  });

  it("never asks for more than the API allows for the grain", () => {
    for (const days of RANGE_DAYS) {
      const q = rangeQuery(days, Date.UTC(2026, 0, 1, 0, 30));
      const span = Date.parse(q.to) - Date.parse(q.from);
      expect(span).toBe(days * DAY);
      expect(span).toBeLessThanOrEqual(MAX_RANGE_MS[q.granularity]);
    }
  });

  it("knows a range without views", () => {
    expect(hasViews({ views: 0 })).toBe(false);
    expect(hasViews({ views: 1 })).toBe(true);
  });
});

describe("fillSeries", () => {
  const point = (start: string, views: number): AnalyticsPoint => ({
    start,
    views,
    engagedViews: views,
    uniqueViewers: views,
    watchTimeMs: views * 60_000,
    averageViewDurationMs: 60_000,
    startupTimeMedianMs: 900,
    rebufferPercentage: 1,
    playbackFailurePercentage: 0,
  });

  it("puts a zero point (no startup time) in every bucket the API left out", () => {
    const range = {
      from: "2026-12-01T00:00:00.000Z",
      to: "2026-12-05T00:00:00.000Z",
      granularity: "day" as const,
    };
    const filled = fillSeries([point("2026-12-02T00:00:00Z", 3)], range);
    expect(filled.map((p) => p.start)).toEqual([
      "2026-12-01T00:00:00.000Z",
      "2026-12-02T00:00:00Z",
      "2026-12-03T00:00:00.000Z",
      "2026-12-04T00:00:00.000Z",
    ]);
    expect(filled.map((p) => p.views)).toEqual([0, 3, 0, 0]);
    expect(filled[0]).toMatchObject({ watchTimeMs: 0, startupTimeMedianMs: null, rebufferPercentage: 0 });
    // The CSV has every bucket too.
    expect(seriesData(filled).rows.map((r) => r[1])).toEqual([0, 3, 0, 0]);
  });

  it("steps hours from a from inside an hour, and keeps a point off the grid where it sorts", () => {
    const range = {
      from: "2026-12-06T10:30:00.000Z",
      to: "2026-12-06T13:00:00.000Z",
      granularity: "hour" as const,
    };
    const filled = fillSeries(
      [point("2026-12-06T12:00:00.000Z", 1), point("2026-12-06T11:15:00.000Z", 2)],
      range,
    );
    expect(filled.map((p) => [p.start, p.views])).toEqual([
      ["2026-12-06T10:00:00.000Z", 0],
      ["2026-12-06T11:00:00.000Z", 0],
      ["2026-12-06T11:15:00.000Z", 2],
      ["2026-12-06T12:00:00.000Z", 1],
    ]);
  });

  it("names the range's first and last buckets (to is exclusive)", () => {
    expect(
      rangeBuckets({ from: "2026-11-09T00:00:00Z", to: "2026-12-07T00:00:00Z", granularity: "day" }),
    ).toEqual({
      first: "2026-11-09T00:00:00.000Z",
      last: "2026-12-06T00:00:00.000Z",
    });
    expect(
      rangeBuckets({ from: "2026-12-06T10:30:00Z", to: "2026-12-06T13:00:00Z", granularity: "hour" }),
    ).toEqual({
      first: "2026-12-06T10:00:00.000Z",
      last: "2026-12-06T12:00:00.000Z",
    });
    expect(rangeBuckets({ from: "x", to: "2026-12-06T13:00:00Z", granularity: "hour" })).toBeNull();
  });

  it("gives the series as it is for a range it cannot read", () => {
    const series = [point("2026-12-06T12:00:00.000Z", 1)];
    expect(fillSeries(series, { from: "nope", to: "2026-12-06T13:00:00.000Z", granularity: "hour" })).toEqual(
      series,
    );
  });
});

describe("formatting", () => {
  it("labels buckets by hour or day in UTC, in the UI's language", () => {
    expect(bucketLabel("2026-12-06T14:00:00Z", "hour", "en")).toMatch(/Dec 6.*14:00/);
    expect(bucketLabel("2026-12-06T00:00:00Z", "day", "en")).toBe("Dec 6");
    expect(bucketLabel("2026-12-06T00:00:00Z", "day", "de")).toMatch(/^6\. Dez/);
    // A day's bucket is the UTC day, whatever the machine's zone.
    expect(bucketLabel("2026-12-06T23:30:00Z", "day", "en")).toBe("Dec 6");
    expect(bucketLabel("not a date", "day", "en")).toBe("not a date");
  });

  it("turns watch time into hours and percentages into text", () => {
    expect(msToHours(5_400_000)).toBe(1.5);
    expect(msToHours(0)).toBe(0);
    expect(msToHours(HOUR / 3)).toBe(0.3);
    expect(formatHours(5_400_000, "en")).toBe("1.5 hr");
    expect(formatHours(3_600_000, "en")).toBe("1 hr");
    // Under an hour in minutes, not "0 hr".
    expect(formatHours(120_000, "en")).toBe("2 min");
    expect(formatHours(25 * 60_000, "de")).toBe("25 Min.");
    expect(formatHours(0, "en")).toBe("0 min");
    expect(formatHours(4_444 * HOUR, "de")).toMatch(/^4\.444 Std\.$/);
    expect(formatPct(12.345, "en")).toBe("12.3%");
    expect(formatPct(12.345, "de")).toBe("12,3\u00a0%");
    expect(formatPct(0, "en")).toBe("0%");
  });

  it("writes startup times in ms below a second and in seconds above; none as a dash", () => {
    expect(formatMs(850, "en")).toBe("850 ms");
    expect(formatMs(2400, "en")).toBe("2.4 sec");
    expect(formatMs(2400, "de")).toBe("2,4 Sek.");
    expect(formatMs(null, "en")).toBe("–");
  });

  it("splits traffic sources into the source and the feed row; unknown ones are kept as they are", () => {
    expect(sourceParts("feed:trending")).toEqual({ source: "feed", row: "trending" });
    expect(sourceParts("feed")).toEqual({ source: "feed", row: null });
    expect(sourceParts("search")).toEqual({ source: "search", row: null });
    expect(sourceParts("search:x")).toEqual({ source: "search", row: null });
    expect(sourceParts("toString")).toEqual({ source: null, row: null });
    expect(sourceParts("martian")).toEqual({ source: null, row: null });
    expect([...TRAFFIC_SOURCE_NAMES].sort()).toEqual([...TRAFFIC_SOURCES].sort());
  });

  it("names countries in the UI's language; XX is unknown", () => {
    expect(countryName("DE", "en")).toBe("Germany");
    expect(countryName("DE", "de")).toBe("Deutschland");
    expect(countryName("XX", "en")).toBeNull();
  });

  it("has a word for every traffic source and device class, in English and German", () => {
    for (const strings of [en, de]) {
      expect(
        Object.keys(strings.source)
          .filter((k) => k !== "feedRow")
          .sort(),
      ).toEqual([...TRAFFIC_SOURCES].sort());
      expect(Object.keys(strings.device).sort()).toEqual([...DEVICE_CLASSES].sort());
    }
  });
});

describe("storyboard under the retention curve", () => {
  it("finds the storyboard beside a card-grant poster, keeping the token", () => {
    expect(storyboardUrlFromPoster("https://m.example/media/v1/tok.en/thumbs/poster.jpg")).toBe(
      "https://m.example/media/v1/tok.en/storyboard/storyboard.vtt",
    );
    expect(storyboardUrlFromPoster("https://m.example/media/v1/t/thumbs/poster.jpg?x=1")).toBe(
      "https://m.example/media/v1/t/storyboard/storyboard.vtt?x=1",
    );
    expect(storyboardUrlFromPoster("https://m.example/other.jpg")).toBeNull();
    expect(storyboardUrlFromPoster(null)).toBeNull();
  });

  it("takes the analytics answer's storyboard, else the one beside the poster of the video's row", async () => {
    const analytics = { videoId: "v_1" } as import("./analytics").VideoAnalytics;
    must.mockClear();
    expect(await storyboardUrlOf({ ...analytics, storyboardUrl: "https://m.example/sb.vtt" } as never)).toBe(
      "https://m.example/sb.vtt",
    );
    expect(must).not.toHaveBeenCalled();
    const page = { items: [{ id: "v_1", posterUrl: "https://m.example/media/v1/t/thumbs/poster.jpg" }] };
    for (const answer of [{ storyboardUrl: null }, {}]) {
      must.mockResolvedValueOnce(page as never);
      expect(await storyboardUrlOf({ ...analytics, ...answer } as never)).toBe(
        "https://m.example/media/v1/t/storyboard/storyboard.vtt",
      );
    }
    // Neither: no strip.
    expect(await storyboardUrlOf({ ...analytics, storyboardUrl: null } as never)).toBeNull();
  });

  it("spreads frames evenly over the duration, at the middle of each slot", () => {
    expect(stripTimes(80_000, 8)).toEqual([5000, 15000, 25000, 35000, 45000, 55000, 65000, 75000]);
    expect(stripTimes(0, 8)).toEqual([]);
    expect(stripTimes(10_000, 0)).toEqual([]);
    for (const t of stripTimes(123_457, 8)) expect(t).toBeLessThan(123_457);
  });
});
