import { describe, expect, it } from "vitest";
import { insertVideo } from "../../test/fixtures";
import { api, apiJson, type SeededAccount, seedAccount } from "../../test/harness";
import { day, type Figures, HOUR, insertBuckets, isoAt, yearOf2003 } from "./routes-fixtures";

describe("GET /studio/channel/analytics", () => {
  it("answers the caller's channel rows and its top videos with titles, most viewed first", async () => {
    const creator = await seedAccount({
      tag: "anchan",
      channel: true,
      profiles: [{ name: "Kid", maturity: "kids" }],
    });
    const channelId = creator.channelId as string;
    const ids = await Promise.all(
      ["Quiet", "Loud", "Middle"].map((title) => insertVideo(creator, { title })),
    );
    const [quiet, loud, middle] = ids as [string, string, string];
    const v = (scopeId: string, start: number, views: number) =>
      ({ scope: "video", scopeId, grain: "day", start, channelId, views, watchMs: views * 1000 }) as const;
    await insertBuckets([
      v(quiet, day(0), 1),
      v(loud, day(0), 10),
      v(loud, day(1), 20),
      v(middle, day(1), 5),
      v(middle, day(70), 500), // outside the range
      {
        scope: "channel",
        scopeId: channelId,
        grain: "day",
        start: day(0),
        views: 11,
        watchMs: 11_000,
        viewers: ["a"],
      },
      {
        scope: "channel",
        scopeId: channelId,
        grain: "day",
        start: day(1),
        views: 25,
        watchMs: 25_000,
        viewers: ["a", "b"],
      },
    ]);
    const body = await apiJson<Figures & { channelId: string; topVideos: Record<string, unknown>[] }>(
      `/api/v1/studio/channel/analytics${yearOf2003}`,
      200,
      { token: creator.accessToken },
    );
    expect(body.channelId).toBe(channelId);
    expect(body.totals).toMatchObject({
      views: 36,
      uniqueViewers: 2,
      watchTimeMs: 36_000,
      averageViewDurationMs: 1000,
    });
    expect(body.topVideos).toEqual([
      { videoId: loud, title: "Loud", views: 30, watchTimeMs: 30_000, averageViewDurationMs: 1000 },
      { videoId: middle, title: "Middle", views: 5, watchTimeMs: 5000, averageViewDurationMs: 1000 },
      { videoId: quiet, title: "Quiet", views: 1, watchTimeMs: 1000, averageViewDurationMs: 1000 },
    ]);
    expect(
      (await api("/api/v1/studio/channel/analytics", { token: creator.profiles[1]?.token })).status,
    ).toBe(403);
  });

  it("answers 404 to an account without a channel", async () => {
    const viewer: SeededAccount = await seedAccount({ tag: "annochan" });
    expect((await api("/api/v1/studio/channel/analytics", { token: viewer.accessToken })).status).toBe(404);
  });
});

describe("GET /admin/analytics/qoe", () => {
  it("answers the platform's quality by country, device and player to admins only", async () => {
    const [admin, creator] = await Promise.all([
      seedAccount({ tag: "anqadmin", roles: ["admin"] }),
      seedAccount({ tag: "anqcreator", channel: true }),
    ]);
    // Hours of a day of this file's own: platform rows are the whole test database's.
    const start = day(200);
    await insertBuckets([
      {
        scope: "platform",
        scopeId: "",
        grain: "hour",
        start,
        views: 10,
        watchMs: 100_000,
        rebufferMs: 5000,
        rebufferCount: 3,
        startedViews: 8,
        failedViews: 1,
        exitsBeforeStart: 1,
        dims: [
          { dim: "country", value: "DE", views: 6, watchMs: 60_000, rebufferMs: 6000 },
          { dim: "country", value: "US", views: 4, watchMs: 40_000 },
          { dim: "player", value: "web-1.0.0+hls-1.7.4", views: 10, watchMs: 100_000, failedViews: 1 },
        ],
        startups: { "\t": [300, 400, 500], "country\tDE": [300, 400], "country\tUS": [500] },
      },
    ]);
    const query = `?granularity=hour&from=${isoAt(start)}&to=${isoAt(start + HOUR)}`;
    const body = await apiJson<{
      totals: Record<string, number | null>;
      byCountry: ({ value: string } & Record<string, number | null>)[];
      byPlayerVersion: ({ value: string } & Record<string, number | null>)[];
      byDevice: unknown[];
      series: unknown[];
    }>(`/api/v1/admin/analytics/qoe${query}`, 200, { token: admin.accessToken });
    expect(body.totals).toMatchObject({
      views: 10,
      rebufferPercentage: 5,
      rebufferCount: 3,
      playbackFailurePercentage: 10,
      exitsBeforeStartPercentage: 10,
    });
    expect(body.totals.startupTimeMedianMs).toBeCloseTo(400, -1);
    expect(body.byCountry.map((c) => [c.value, c.views, c.rebufferPercentage])).toEqual([
      ["DE", 6, 10],
      ["US", 4, 0],
    ]);
    expect(body.byCountry[1]?.startupTimeMedianMs).toBeCloseTo(500, -1);
    expect(body.byPlayerVersion).toMatchObject([
      { value: "web-1.0.0+hls-1.7.4", playbackFailurePercentage: 10 },
    ]);
    expect(body.byDevice).toEqual([]);
    expect(body.series).toHaveLength(1);
    expect((await api(`/api/v1/admin/analytics/qoe${query}`, { token: creator.accessToken })).status).toBe(
      403,
    );
  });
});
