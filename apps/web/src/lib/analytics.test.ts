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
vi.mock("../api/client", () => ({
  api: {},
  must: () => Promise.reject(new Error("no API in unit tests")),
}));

const {
  breakdownData,
  bucketLabel,
  countryName,
  csvField,
  csvFileName,
  DEFAULT_RANGE,
  formatHours,
  formatMs,
  formatPct,
  granularityFor,
  hasViews,
  msToHours,
  parseRange,
  qoeBreakdownData,
  qoeTotalsData,
  RANGE_DAYS,
  rangeQuery,
  retentionData,
  seriesData,
  sourceParts,
  storyboardUrlFromPoster,
  stripTimes,
  toCsv,
  topVideosData,
  TRAFFIC_SOURCE_NAMES,
} = await import("./analytics");
type AnalyticsPoint = import("./analytics").AnalyticsPoint;
type QoeFigures = import("./analytics").QoeFigures;

/** A minimal RFC 4180 reader: the judge that what toCsv writes parses back to the same fields. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += c;
  }
  if (field !== "" || row.length) throw new Error("CSV does not end with CRLF");
  return rows;
}

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
    expect(rangeQuery(28, Date.UTC(2026, 11, 6, 16)).to).toBe("2026-12-06T16:00:00.000Z");
    // The same page asked twice in an hour asks the same thing (the API may cache it).
    expect(rangeQuery(90, now + 20 * 60_000)).toEqual(rangeQuery(90, now));
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

describe("CSV", () => {
  it("quotes commas, quotes, line breaks and edge spaces, and nothing else", () => {
    expect(csvField("plain")).toBe("plain");
    expect(csvField("a,b")).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("cr\r\nlf")).toBe('"cr\r\nlf"');
    expect(csvField(" padded ")).toBe('" padded "');
    expect(csvField("")).toBe("");
    expect(csvField(null)).toBe("");
    expect(csvField(undefined)).toBe("");
  });

  it("guards against formula injection: text starting with = + - @ (or tab, CR) gets an apostrophe", () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField("+1")).toBe("'+1");
    expect(csvField("-1")).toBe("'-1");
    expect(csvField("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvField("\tcmd")).toBe("'\tcmd");
    expect(csvField("=1,2")).toBe('"\'=1,2"');
    // Only at the start; numbers are numbers (a negative number is not text a spreadsheet runs).
    expect(csvField("a=b")).toBe("a=b");
    expect(csvField(-5)).toBe("-5");
  });

  it("writes numbers unformatted and refuses non-finite ones", () => {
    expect(csvField(1234567)).toBe("1234567");
    expect(csvField(12.5)).toBe("12.5");
    expect(csvField(0)).toBe("0");
    expect(() => csvField(Number.NaN)).toThrow(RangeError);
    expect(() => csvField(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it("writes a header row and CRLF lines that an RFC 4180 reader parses back", () => {
    const text = toCsv(
      ["title", "views"],
      [
        ['Cats, "dogs"\nand more', 12],
        ["=cmd|' /C calc'!A0", 3],
        [null, 0],
      ],
    );
    expect(text.endsWith("\r\n")).toBe(true);
    expect(parseCsv(text)).toEqual([
      ["title", "views"],
      ['Cats, "dogs"\nand more', "12"],
      ["'=cmd|' /C calc'!A0", "3"],
      ["", "0"],
    ]);
  });

  const point = (start: string, views: number): AnalyticsPoint => ({
    start,
    views,
    engagedViews: views - 1,
    uniqueViewers: views - 2,
    watchTimeMs: views * 60_000,
    averageViewDurationMs: 60_000,
    startupTimeMedianMs: views > 5 ? 850 : null,
    rebufferPercentage: 1.25,
    playbackFailurePercentage: 0,
  });

  it("writes the series with ISO bucket starts and raw numbers; a missing startup time is empty", () => {
    const data = seriesData([point("2026-12-01T00:00:00Z", 10), point("2026-12-02T00:00:00.000+00:00", 3)]);
    const rows = parseCsv(toCsv(data.header, data.rows));
    expect(rows[0]).toEqual([
      "start",
      "views",
      "engaged_views",
      "unique_viewers",
      "watch_time_ms",
      "average_view_duration_ms",
      "startup_time_median_ms",
      "rebuffer_percentage",
      "playback_failure_percentage",
    ]);
    expect(rows[1]).toEqual([
      "2026-12-01T00:00:00.000Z",
      "10",
      "9",
      "8",
      "600000",
      "60000",
      "850",
      "1.25",
      "0",
    ]);
    expect(rows[2]).toEqual(["2026-12-02T00:00:00.000Z", "3", "2", "1", "180000", "60000", "", "1.25", "0"]);
  });

  it("writes breakdowns with the API's values (not translated), guarded", () => {
    const data = breakdownData("source", [
      { value: "feed:trending", views: 7, watchTimeMs: 1000, share: 70 },
      { value: "-external", views: 3, watchTimeMs: 10, share: 30 },
    ]);
    expect(parseCsv(toCsv(data.header, data.rows))).toEqual([
      ["source", "views", "watch_time_ms", "share_percentage"],
      ["feed:trending", "7", "1000", "70"],
      ["'-external", "3", "10", "30"],
    ]);
  });

  const qoe: QoeFigures = {
    views: 4,
    watchTimeMs: 120_000,
    startupTimeMedianMs: 900,
    startupTimeP90Ms: null,
    rebufferPercentage: 2.5,
    rebufferCount: 3,
    playbackFailurePercentage: 25,
    exitsBeforeStartPercentage: 0,
  };

  it("writes quality totals and breakdowns with the same columns", () => {
    const totals = qoeTotalsData(qoe);
    const byRendition = qoeBreakdownData("rendition", [{ ...qoe, value: "720p" }]);
    expect(byRendition.header).toEqual(["rendition", ...totals.header]);
    expect(parseCsv(toCsv(byRendition.header, byRendition.rows))[1]).toEqual([
      "720p",
      "4",
      "120000",
      "900",
      "",
      "2.5",
      "3",
      "25",
      "0",
    ]);
    expect(totals.rows).toHaveLength(1);
  });

  it("writes retention and top videos", () => {
    const retention = retentionData([
      { percent: 0, positionMs: 0, audiencePercentage: 100 },
      { percent: 50, positionMs: 30_000, audiencePercentage: 42.5 },
    ]);
    expect(parseCsv(toCsv(retention.header, retention.rows))).toEqual([
      ["percent_of_duration", "position_ms", "audience_percentage"],
      ["0", "0", "100"],
      ["50", "30000", "42.5"],
    ]);
    const top = topVideosData([
      { videoId: "v1", title: "@home, live", views: 5, watchTimeMs: 50, averageViewDurationMs: 10 },
    ]);
    expect(parseCsv(toCsv(top.header, top.rows))[1]).toEqual(["v1", "'@home, live", "5", "50", "10"]);
  });

  it("names the file by scope, chart and the range's UTC days, in safe characters", () => {
    const range = { from: "2026-11-08T17:00:00.000Z", to: "2026-12-06T17:00:00.000Z" };
    expect(csvFileName("channel", "views-watch-time", range)).toBe(
      "marquee-analytics-channel-views-watch-time-2026-11-08-2026-12-06.csv",
    );
    expect(csvFileName("video-abc_1", "../../etc/passwd", range)).toBe(
      "marquee-analytics-video-abc_1-etc-passwd-2026-11-08-2026-12-06.csv",
    );
    expect(csvFileName("", "", range)).toBe("marquee-analytics-data-data-2026-11-08-2026-12-06.csv");
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

  it("spreads frames evenly over the duration, at the middle of each slot", () => {
    expect(stripTimes(80_000, 8)).toEqual([5000, 15000, 25000, 35000, 45000, 55000, 65000, 75000]);
    expect(stripTimes(0, 8)).toEqual([]);
    expect(stripTimes(10_000, 0)).toEqual([]);
    for (const t of stripTimes(123_457, 8)) expect(t).toBeLessThan(123_457);
  });
});
