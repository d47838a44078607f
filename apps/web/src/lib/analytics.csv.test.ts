import { describe, expect, it, vi } from "vitest";
import { parseCsv } from "./csv-reader.test-utils";

// lib/analytics.ts imports the API client, which needs a window; only its pure helpers are tested here.
const must = vi.hoisted(() => vi.fn((_: unknown) => Promise.reject(new Error("no API in unit tests"))));
vi.mock("../api/client", () => ({
  api: { GET: () => "get" },
  must,
}));

const {
  breakdownData,
  csvField,
  csvFileName,
  qoeBreakdownData,
  qoeTotalsData,
  retentionData,
  seriesData,
  toCsv,
  topVideosData,
} = await import("./analytics");
type AnalyticsPoint = import("./analytics").AnalyticsPoint;
type QoeFigures = import("./analytics").QoeFigures;

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
