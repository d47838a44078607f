import { describe, expect, it } from "vitest";
import { api, apiJson, seedAccount } from "../../test/harness";
import { OTHER_COUNTRIES } from "./figures";
import { addSample, quantileOf } from "./rollup/histogram";
import {
  creatorWithVideo,
  DAY,
  day,
  HOUR,
  insertBuckets,
  isoAt,
  pct,
  type VideoFigures,
  videoPath,
  yearOf2003,
} from "./routes-fixtures";

describe("GET /studio/videos/{id}/analytics", () => {
  it("sums the range's day rows, merges their viewers, and leaves out the rows outside it", async () => {
    const { creator, videoId } = await creatorWithVideo("anvsum");
    const v = { scope: "video", scopeId: videoId, grain: "day", channelId: creator.channelId } as const;
    await insertBuckets([
      { ...v, start: day(-1), views: 1000, watchMs: 1_000_000, viewers: ["z"] }, // before `from`
      {
        ...v,
        start: day(0),
        views: 4,
        engagedViews: 2,
        watchMs: 120_000,
        viewers: ["a", "b"],
        failedViews: 1,
      },
      {
        ...v,
        start: day(1),
        views: 6,
        engagedViews: 3,
        watchMs: 60_000,
        viewers: ["b", "c", "d"],
        rebufferMs: 600,
      },
      { ...v, start: day(3), views: 1000, watchMs: 1_000_000, viewers: ["y"] }, // at `to`: excluded
      // An hour row of the same days: another grain, not counted in a day series.
      { ...v, grain: "hour", start: day(0) + HOUR, views: 500, watchMs: 5 },
    ]);
    // Unaligned ends: `from` rounds down to day 0, `to` up to day 3.
    const body = await apiJson<VideoFigures>(
      videoPath(videoId, `?granularity=day&from=${isoAt(day(0) + 5 * HOUR)}&to=${isoAt(day(2) + HOUR)}`),
      200,
      { token: creator.accessToken },
    );
    expect(body).toMatchObject({
      videoId,
      durationMs: 100_000,
      from: isoAt(day(0)),
      to: isoAt(day(3)),
      granularity: "day",
    });
    expect(body.totals).toEqual({
      views: 10,
      engagedViews: 5,
      uniqueViewers: 4,
      watchTimeMs: 180_000,
      averageViewDurationMs: 18_000,
    });
    expect(body.qoe).toMatchObject({
      views: 10,
      watchTimeMs: 180_000,
      rebufferPercentage: pct(600, 180_000),
      playbackFailurePercentage: 10,
      startupTimeMedianMs: null,
    });
    expect(body.series.map((p) => [p.start, p.views, p.uniqueViewers, p.averageViewDurationMs])).toEqual([
      [isoAt(day(0)), 4, 2, 30_000],
      [isoAt(day(1)), 6, 3, 10_000],
    ]);
    expect(body.series[0]?.playbackFailurePercentage).toBe(25);
    expect(body.computedAt).toBe(isoAt(day(1) + HOUR));
  });

  it("reads hour rows at the hour grain, rounding the range to whole hours", async () => {
    const { creator, videoId } = await creatorWithVideo("anvhour");
    const v = { scope: "video", scopeId: videoId, grain: "hour" } as const;
    await insertBuckets([
      { ...v, start: day(0) + 2 * HOUR, views: 2, watchMs: 10 },
      { ...v, start: day(0) + 3 * HOUR, views: 3, watchMs: 20 },
      { ...v, start: day(0) + 4 * HOUR, views: 5, watchMs: 30 },
    ]);
    const body = await apiJson<VideoFigures>(
      videoPath(
        videoId,
        `?granularity=hour&from=${isoAt(day(0) + 2 * HOUR + 59_000)}&to=${isoAt(day(0) + 3 * HOUR + 1)}`,
      ),
      200,
      { token: creator.accessToken },
    );
    expect([body.from, body.to]).toEqual([isoAt(day(0) + 2 * HOUR), isoAt(day(0) + 4 * HOUR)]);
    expect(body.series.map((p) => p.views)).toEqual([2, 3]);
    expect(body.totals.views).toBe(5);
  });

  it("sums retention counts over the rows that have them and answers percentages of all the range's views", async () => {
    const { creator, videoId } = await creatorWithVideo("anvret", 200_000);
    const v = { scope: "video", scopeId: videoId, grain: "day" } as const;
    // Day 0: 4 views, everyone to 50 %; day 1: 6 views, everyone to the end; day 2: 10 views without
    // retention (made while the duration was unknown): still views, so in the denominator.
    const half = Array.from({ length: 100 }, (_, i) => (i < 50 ? 4 : 0));
    const whole = Array.from({ length: 100 }, () => 6);
    await insertBuckets([
      { ...v, start: day(0), views: 4, watchMs: 400_000, retention: half, durationMs: 200_000 },
      { ...v, start: day(1), views: 6, watchMs: 1_200_000, retention: whole, durationMs: 200_000 },
      { ...v, start: day(2), views: 10, watchMs: 1, retention: null },
    ]);
    // The same answer from day rows alone (3 days) and from the cover of a range with whole months.
    for (const query of [`?from=${isoAt(day(0))}&to=${isoAt(day(3))}`, yearOf2003]) {
      const body = await apiJson<VideoFigures>(videoPath(videoId, query), 200, {
        token: creator.accessToken,
      });
      expect(body.retention, query).toHaveLength(100);
      expect(body.retention[0]).toEqual({ percent: 0, positionMs: 0, audiencePercentage: 50 });
      expect(body.retention[49]).toEqual({ percent: 49, positionMs: 98_000, audiencePercentage: 50 });
      expect(body.retention[50]).toEqual({ percent: 50, positionMs: 100_000, audiencePercentage: 30 });
      expect(body.retention[99]?.audiencePercentage).toBe(30);
    }
  });

  it("takes startup medians and p90 from the summed histograms, per point and over the range", async () => {
    const { creator, videoId } = await creatorWithVideo("anvstart");
    const v = { scope: "video", scopeId: videoId, grain: "day" } as const;
    const first = [100, 200, 300, 400, 5000];
    const second = [150, 160, 170, 2000];
    await insertBuckets([
      { ...v, start: day(0), views: 5, watchMs: 10, startedViews: 5, startups: { "\t": first } },
      { ...v, start: day(1), views: 4, watchMs: 10, startedViews: 4, startups: { "\t": second } },
      { ...v, start: day(2), views: 1, watchMs: 10, exitsBeforeStart: 1 },
    ]);
    const body = await apiJson<VideoFigures>(videoPath(videoId, yearOf2003), 200, {
      token: creator.accessToken,
    });
    const histogram = (samples: number[]) => {
      const h = new Map<number, number>();
      for (const s of samples) addSample(h, s);
      return h;
    };
    const all = histogram([...first, ...second]);
    expect(body.qoe.startupTimeMedianMs).toBe(quantileOf(all, 0.5));
    expect(body.qoe.startupTimeP90Ms).toBe(quantileOf(all, 0.9));
    // Within the histogram's 1 %: the 5th of 9 sorted samples is 200, the 9th (p90) 5000.
    expect(body.qoe.startupTimeMedianMs).toBeCloseTo(200, -1);
    expect(body.qoe.startupTimeP90Ms).toBeGreaterThan(4900);
    expect(body.qoe.exitsBeforeStartPercentage).toBe(10);
    expect(body.series.map((p) => p.startupTimeMedianMs)).toEqual([
      quantileOf(histogram(first), 0.5),
      quantileOf(histogram(second), 0.5),
      null,
    ]);
    // The 2nd of 4 (nearest rank), not the 3rd.
    expect(body.series[1]?.startupTimeMedianMs).toBeCloseTo(160, -1);
  });

  it("breaks views down by source, country (top 10, the rest as `other`), device and rendition", async () => {
    const { creator, videoId } = await creatorWithVideo("anvdims");
    const v = { scope: "video", scopeId: videoId, grain: "day" } as const;
    const countries = ["DE", "FR", "US", "GB", "IT", "ES", "NL", "PL", "SE", "NO", "FI", "XX"];
    await insertBuckets(
      [0, 1].map((i) => ({
        ...v,
        start: day(i),
        views: 40,
        watchMs: 4000,
        dims: [
          { dim: "source", value: "search", views: 10, watchMs: 1000 },
          { dim: "source", value: "feed:trending", views: 30, watchMs: 3000 },
          ...countries.map((value, n) => ({
            dim: "country" as const,
            value,
            views: n === 0 ? 18 : 2,
            watchMs: 100,
          })),
          { dim: "device", value: "mobile", views: 40, watchMs: 4000 },
          { dim: "rendition", value: "720p", views: 30, watchMs: 3000, rebufferMs: 30 },
          { dim: "rendition", value: "1080p", views: 12, watchMs: 1000, failedViews: 3 },
        ],
      })),
    );
    const body = await apiJson<VideoFigures>(videoPath(videoId, yearOf2003), 200, {
      token: creator.accessToken,
    });
    expect(body.trafficSources).toEqual([
      { value: "feed:trending", views: 60, watchTimeMs: 6000, share: 75 },
      { value: "search", views: 20, watchTimeMs: 2000, share: 25 },
    ]);
    expect(body.countries).toHaveLength(11);
    expect(body.countries[0]).toMatchObject({ value: "DE", views: 36, share: 45 });
    // Ties (4 views each) in order of value; the two past the 10th country (US, XX) make `other`.
    expect(body.countries.slice(1, 10).map((c) => c.value)).toEqual([
      "ES",
      "FI",
      "FR",
      "GB",
      "IT",
      "NL",
      "NO",
      "PL",
      "SE",
    ]);
    expect(body.countries[10]).toMatchObject({ value: OTHER_COUNTRIES, views: 8, share: 10 });
    expect(body.devices).toEqual([{ value: "mobile", views: 80, watchTimeMs: 8000, share: 100 }]);
    expect(
      body.renditions.map((r) => [r.value, r.views, r.rebufferPercentage, r.playbackFailurePercentage]),
    ).toEqual([
      ["720p", 60, 1, 0],
      ["1080p", 24, 0, 25],
    ]);
  });

  it("answers zeros and nulls, never NaN, for a video without data or duration", async () => {
    const { creator, videoId } = await creatorWithVideo("anvempty", null);
    const body = await apiJson<VideoFigures>(videoPath(videoId), 200, { token: creator.accessToken });
    expect(body.totals).toEqual({
      views: 0,
      engagedViews: 0,
      uniqueViewers: 0,
      watchTimeMs: 0,
      averageViewDurationMs: 0,
    });
    expect(body.qoe).toEqual({
      views: 0,
      watchTimeMs: 0,
      startupTimeMedianMs: null,
      startupTimeP90Ms: null,
      rebufferPercentage: 0,
      rebufferCount: 0,
      playbackFailurePercentage: 0,
      exitsBeforeStartPercentage: 0,
    });
    expect([body.series, body.retention, body.trafficSources, body.renditions, body.computedAt]).toEqual([
      [],
      [],
      [],
      [],
      null,
    ]);
    // The default range: the last 28 days, in whole days.
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(29 * DAY);
    expect(Date.parse(body.to) % DAY).toBe(0);
  });

  it("refuses an empty or inverted range and spans over the grain's limit (400)", async () => {
    const { creator, videoId } = await creatorWithVideo("anvbad");
    const bad = [
      `?from=${isoAt(day(1))}&to=${isoAt(day(1))}`,
      `?from=${isoAt(day(2))}&to=${isoAt(day(1))}`,
      `?granularity=hour&from=${isoAt(day(0))}&to=${isoAt(day(32))}`,
      `?granularity=day&from=${isoAt(day(0))}&to=${isoAt(day(401))}`,
      `?granularity=week`,
      `?from=yesterday`,
    ];
    for (const query of bad) {
      const res = await api(videoPath(videoId, query), { token: creator.accessToken });
      expect(res.status, query).toBe(400);
      expect(((await res.json()) as { code: string }).code, query).toBe("validation_failed");
    }
    // Exactly the limit is allowed.
    await apiJson(videoPath(videoId, `?granularity=hour&from=${isoAt(day(0))}&to=${isoAt(day(31))}`), 200, {
      token: creator.accessToken,
    });
  });

  it("is the owner's: another creator gets 404, the owner's kids profile 403, an admin the figures", async () => {
    const { creator, videoId } = await creatorWithVideo("anvwho");
    await insertBuckets([
      { scope: "video", scopeId: videoId, grain: "day", start: day(0), views: 3, watchMs: 9 },
    ]);
    const [other, admin, kidsAdmin] = await Promise.all([
      seedAccount({ tag: "anvother", channel: true }),
      seedAccount({ tag: "anvadmin", roles: ["admin"] }),
      seedAccount({ tag: "anvkadmin", roles: ["admin"], profiles: [{ name: "Kid", maturity: "kids" }] }),
    ]);
    expect((await api(videoPath(videoId, yearOf2003), { token: other.accessToken })).status).toBe(404);
    expect((await api(videoPath(videoId, yearOf2003), { token: creator.profiles[1]?.token })).status).toBe(
      403,
    );
    expect((await api(videoPath(videoId, yearOf2003), { token: kidsAdmin.profiles[1]?.token })).status).toBe(
      404,
    );
    expect((await api(videoPath(videoId, yearOf2003))).status).toBe(401);
    expect(
      (await api(videoPath("vid_doesnotexist", yearOf2003), { token: creator.accessToken })).status,
    ).toBe(404);
    const body = await apiJson<VideoFigures>(videoPath(videoId, yearOf2003), 200, {
      token: admin.accessToken,
    });
    expect(body.totals.views).toBe(3);
  });
});
