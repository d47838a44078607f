/**
 * The analytics components drawn to HTML on Node (react-dom/server, no browser): each chart's
 * accessible table (the numbers a screen reader reads and the browser tests assert), the stat tiles,
 * the value names and the empty states, in English and German. The canvases need a browser: their
 * effects do not run here.
 */
import i18next from "i18next";
import { createElement, type FunctionComponent } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { initReactI18next } from "react-i18next";
import { MemoryRouter } from "react-router";
import { beforeAll, describe, expect, it, vi } from "vitest";
import analyticsDe from "../../i18n/locales/de/analytics.json";
import commonDe from "../../i18n/locales/de/common.json";
import analytics from "../../i18n/locales/en/analytics.json";
import common from "../../i18n/locales/en/common.json";

// The API client reads window.location when imported; nothing here calls the API.
vi.mock("../../api/client", () => ({
  ApiProblem: class ApiProblem extends Error {},
  api: {},
  must: () => Promise.reject(new Error("no API in unit tests")),
}));

// The theme store needs a browser (useSyncExternalStore without a server snapshot); the canvases are not drawn here.
vi.mock("../studio/chartTheme", () => ({ useThemeVersion: () => "test", readTokenColours: () => ({}) }));

const { BreakdownChart } = await import("./BreakdownChart");
const { QoeBreakdownChart } = await import("./QoeBreakdownChart");
const { RetentionChart } = await import("./RetentionChart");
const { SeriesChart } = await import("./SeriesChart");
const { QoeSeriesChart } = await import("./QoeSeriesChart");
const { QoeCards, TotalsCards } = await import("./StatCards");
const { TopVideos } = await import("./TopVideos");
type QoeFigures = import("../../lib/analytics").QoeFigures;

beforeAll(async () => {
  await i18next.use(initReactI18next).init({
    resources: { en: { common, analytics }, de: { common: commonDe, analytics: analyticsDe } },
    lng: "en",
    fallbackLng: "en",
    defaultNS: "common",
    interpolation: { escapeValue: false },
    react: { useSuspense: false },
  });
});

async function html<P extends object>(
  component: FunctionComponent<P>,
  props: P,
  lang = "en",
): Promise<string> {
  await i18next.changeLanguage(lang);
  return renderToStaticMarkup(createElement(MemoryRouter, null, createElement(component, props)));
}

const text = (markup: string) =>
  markup
    .replace(/<[^>]+>/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/&#x27;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();

/** The text of each body row of the chart's table. */
const bodyRows = (markup: string) => {
  const body = /<tbody>(.*?)<\/tbody>/s.exec(markup)?.[1] ?? "";
  return [...body.matchAll(/<tr[^>]*>(.*?)<\/tr>/gs)].map((m) => text(m[1] ?? ""));
};

const range = { from: "2026-11-08T00:00:00.000Z", to: "2026-12-06T00:00:00.000Z" };

describe("a breakdown chart", () => {
  const rows = [
    { value: "feed:trending", views: 60, watchTimeMs: 5_400_000, share: 60 },
    { value: "search", views: 30, watchTimeMs: 3_600_000, share: 30 },
    { value: "somewhere_new", views: 10, watchTimeMs: 0, share: 10 },
  ];

  it("has a heading, a hidden canvas, a table with every value named, and a CSV button", async () => {
    const out = await html(BreakdownChart, {
      id: "traffic-sources",
      title: "Traffic sources",
      dimension: "source" as const,
      column: "Source",
      rows,
      range,
      scope: "channel",
    });
    expect(out).toContain('data-chart="traffic-sources"');
    expect(out).toMatch(/<h2 id="analytics-traffic-sources">Traffic sources<\/h2>/);
    expect(out).toMatch(/<div class="analytics-canvas[^"]*" aria-hidden="true"[^>]*><canvas>/);
    expect(out).toContain("<caption>Traffic sources</caption>");
    expect(bodyRows(out)).toEqual([
      "Home feed: Trending 60 1.5 hr 60%",
      "Search 30 1 hr 30%",
      "somewhere_new 10 0 min 10%",
    ]);
    expect(out).toContain('data-file="marquee-analytics-channel-traffic-sources-2026-11-08-2026-12-06.csv"');
    expect(out).toContain('aria-label="Download CSV: Traffic sources"');
  });

  it("names countries and devices, in German too", async () => {
    const countries = [
      { value: "DE", views: 2, watchTimeMs: 0, share: 66.7 },
      { value: "XX", views: 1, watchTimeMs: 0, share: 33.3 },
    ];
    const props = {
      id: "countries",
      title: "Länder",
      dimension: "country" as const,
      column: "Land",
      rows: countries,
      range,
      scope: "channel",
    };
    expect(bodyRows(await html(BreakdownChart, props))).toEqual([
      "Germany 2 0 min 66.7%",
      "Unknown 1 0 min 33.3%",
    ]);
    expect(bodyRows(await html(BreakdownChart, props, "de"))).toEqual([
      "Deutschland 2 0 Min. 66,7 %",
      "Unbekannt 1 0 Min. 33,3 %",
    ]);
    const devices = [{ value: "tv", views: 1, watchTimeMs: 0, share: 100 }];
    expect(
      bodyRows(
        await html(BreakdownChart, { ...props, dimension: "device" as const, rows: devices }, "de"),
      )[0],
    ).toBe("Fernseher 1 0 Min. 100 %");
  });

  it("says there is nothing to show instead of an empty drawing, and keeps the CSV", async () => {
    const out = await html(BreakdownChart, {
      id: "devices",
      title: "Devices",
      dimension: "device" as const,
      column: "Device",
      rows: [],
      range,
      scope: "channel",
    });
    expect(out).not.toContain("<canvas");
    expect(text(out)).toContain("Nothing to show in this range.");
    expect(out).toContain('data-testid="analytics-csv"');
  });
});

const qoe: QoeFigures = {
  views: 10,
  watchTimeMs: 600_000,
  startupTimeMedianMs: 850,
  startupTimeP90Ms: 2400,
  rebufferPercentage: 1.5,
  rebufferCount: 4,
  playbackFailurePercentage: 10,
  exitsBeforeStartPercentage: 0,
};

describe("quality", () => {
  it("shows the QoE figures as tiles, with no startup time as a dash", async () => {
    const out = text(
      await html(QoeCards, { qoe: { ...qoe, startupTimeP90Ms: null }, range, scope: "video-v1" }),
    );
    expect(out).toContain("Quality of experience");
    expect(out).toContain("Startup time (median) 850 ms");
    expect(out).toContain("Startup time (90th percentile) –");
    expect(out).toContain("Rebuffering 1.5% Rebuffering time ÷ watch time");
    expect(out).toContain("Playback failures 10%");
  });

  it("breaks quality down by rendition in a visible table", async () => {
    const out = await html(QoeBreakdownChart, {
      id: "qoe-renditions",
      title: "Quality by rendition",
      dimension: "rendition" as const,
      column: "Rendition",
      rows: [
        { ...qoe, value: "1080p" },
        { ...qoe, value: "360p", rebufferPercentage: 12, startupTimeMedianMs: null },
      ],
      range,
      scope: "platform",
    });
    expect(out).toContain('class="analytics-table-wrap"');
    expect(bodyRows(out)).toEqual([
      "1080p 10 10 min 850 ms 2.4 sec 1.5% 10% 0%",
      "360p 10 10 min – 2.4 sec 12% 10% 0%",
    ]);
  });
});

describe("the audience", () => {
  it("shows the totals", async () => {
    const out = text(
      await html(TotalsCards, {
        totals: {
          views: 1234,
          engagedViews: 1000,
          uniqueViewers: 900,
          watchTimeMs: 36_000_000,
          averageViewDurationMs: 125_000,
        },
      }),
    );
    expect(out).toContain("Views 1,234");
    expect(out).toContain("Engaged views 1,000 At least 30 s watched");
    expect(out).toContain("Unique viewers 900");
    expect(out).toContain("Watch time 10 hr");
    expect(out).toContain("Average view duration 2:05");
  });

  it("tabulates views and watch time per bucket, in UTC", async () => {
    const point = (start: string, views: number) => ({
      start,
      views,
      engagedViews: views,
      uniqueViewers: views,
      watchTimeMs: views * 360_000,
      averageViewDurationMs: 360_000,
      startupTimeMedianMs: null,
      rebufferPercentage: 0,
      playbackFailurePercentage: 0,
    });
    const out = await html(SeriesChart, {
      series: [point("2026-12-05T00:00:00Z", 10), point("2026-12-06T00:00:00Z", 20)],
      range: {
        from: "2026-12-03T00:00:00.000Z",
        to: "2026-12-07T00:00:00.000Z",
        granularity: "day" as const,
      },
      scope: "channel",
    });
    // The range's first and last days, not the first and last with views; buckets without views as zeros.
    expect(text(out)).toContain("Views and watch time per day (UTC) from Dec 3 to Dec 6.");
    expect(text(out)).toContain("Time (UTC)");
    expect(bodyRows(out)).toEqual([
      "Dec 3 0 0 0 0 min",
      "Dec 4 0 0 0 0 min",
      "Dec 5 10 10 10 1 hr",
      "Dec 6 20 20 20 2 hr",
    ]);
    expect(out).toContain('<time dateTime="2026-12-05T00:00:00Z">');
    const de = await html(
      SeriesChart,
      {
        series: [point("2026-12-05T00:00:00Z", 10)],
        range: {
          from: "2026-12-05T00:00:00.000Z",
          to: "2026-12-06T00:00:00.000Z",
          granularity: "day" as const,
        },
        scope: "channel",
      },
      "de",
    );
    expect(text(de)).toContain("Zeit (UTC)");
  });

  it("tabulates quality per bucket with a gap (no startup time) where there were no views", async () => {
    const out = await html(QoeSeriesChart, {
      series: [
        {
          start: "2026-12-06T11:00:00.000Z",
          views: 4,
          engagedViews: 4,
          uniqueViewers: 4,
          watchTimeMs: 1_000_000,
          averageViewDurationMs: 250_000,
          startupTimeMedianMs: 850,
          rebufferPercentage: 2,
          playbackFailurePercentage: 25,
        },
      ],
      range: {
        from: "2026-12-06T10:00:00.000Z",
        to: "2026-12-06T12:00:00.000Z",
        granularity: "hour" as const,
      },
      scope: "platform",
    });
    expect(bodyRows(out)).toEqual(["Dec 6, 10:00 0 – 0% 0%", "Dec 6, 11:00 4 850 ms 2% 25%"]);
  });

  it("tabulates the retention curve, or says why there is none", async () => {
    const points = [
      { percent: 0, positionMs: 0, audiencePercentage: 100 },
      { percent: 50, positionMs: 30_000, audiencePercentage: 50 },
    ];
    const out = await html(RetentionChart, {
      points,
      durationMs: 60_000,
      storyboardUrl: null,
      range,
      scope: "video-v1",
    });
    expect(bodyRows(out)).toEqual(["0:00 (0%) 100%", "0:30 (50%) 50%"]);
    const none = await html(RetentionChart, {
      points: [],
      durationMs: null,
      storyboardUrl: null,
      range,
      scope: "video-v1",
    });
    expect(text(none)).toContain("Retention appears once the video's duration is known");
    expect(none).not.toContain("<canvas");
  });

  it("links each top video to its own analytics", async () => {
    const out = await html(TopVideos, {
      videos: [
        { videoId: "v_1", title: "Cats", views: 5, watchTimeMs: 3_600_000, averageViewDurationMs: 61_000 },
      ],
      range,
      scope: "channel",
    });
    expect(out).toContain('href="/studio/videos/v_1/analytics"');
    expect(out).toContain('aria-label="Analytics for Cats"');
    expect(bodyRows(out)).toEqual(["Cats 5 1 hr 1:01"]);
  });

  it("keeps the range shown in the top videos' links", async () => {
    await i18next.changeLanguage("en");
    const out = renderToStaticMarkup(
      createElement(
        MemoryRouter,
        { initialEntries: ["/studio/analytics?range=90"] },
        createElement(TopVideos, {
          videos: [{ videoId: "v_1", title: "Cats", views: 5, watchTimeMs: 0, averageViewDurationMs: 0 }],
          range,
          scope: "channel",
        }),
      ),
    );
    expect(out).toContain('href="/studio/videos/v_1/analytics?range=90"');
  });
});
