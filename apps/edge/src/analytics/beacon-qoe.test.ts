import { LADDER, RENDITION_PATTERN } from "@marquee/shared";
import { describe, expect, it } from "vitest";
import type { Beacon } from "../history/schemas";
import { MAX_STARTUP_MS, mergeRanges, normaliseBeacon } from "./beacon-qoe";

const base: Beacon = {
  id: "bcn_000001",
  videoId: "vid_x",
  sessionId: "s1",
  kind: "heartbeat",
  positionMs: 30_000,
  occurredAt: new Date().toISOString(),
};
const limits = { durationMs: 600_000, allowanceMs: 35_000 };

describe("normaliseBeacon", () => {
  it("stores every QoE field in StoredQoe's form", () => {
    const out = normaliseBeacon(
      {
        ...base,
        source: "feed",
        feedRow: "trending",
        playerVersion: "web-1.0.0+hls-1.7.4",
        qoe: {
          startupMs: 850,
          rebufferCount: 2,
          rebufferMs: 1_200,
          renditions: {
            "720p": { playedMs: 20_000, rebufferMs: 1_200 },
            "1080p": { playedMs: 9_000, rebufferMs: 0 },
          },
          switches: 1,
          error: { type: "networkError", details: "fragLoadError" },
        },
        ranges: [
          [10_000, 20_000],
          [0, 5_000],
          [19_000, 30_000],
        ],
      },
      limits,
    );
    expect(out).toEqual({
      positionMs: 30_000,
      qoe: {
        source: "feed:trending",
        player: "web-1.0.0+hls-1.7.4",
        startupMs: 850,
        rebufferCount: 2,
        rebufferMs: 1_200,
        renditions: { "720p": [20_000, 1_200], "1080p": [9_000, 0] },
        switches: 1,
        error: "networkError:fragLoadError",
        ranges: [
          [0, 5_000],
          [10_000, 30_000],
        ],
      },
    });
  });

  it("a beacon without QoE fields stores null; a feedRow without source feed is ignored", () => {
    expect(normaliseBeacon(base, limits)).toEqual({ positionMs: 30_000, qoe: null });
    expect(normaliseBeacon({ ...base, source: "search", feedRow: "new" }, limits)?.qoe).toEqual({
      source: "search",
    });
    expect(normaliseBeacon({ ...base, source: "feed" }, limits)?.qoe).toEqual({ source: "feed" });
    expect(normaliseBeacon({ ...base, qoe: { error: { type: "mediaError" } } }, limits)?.qoe).toEqual({
      error: "mediaError",
    });
  });

  it.each([
    ["a negative startup", { qoe: { startupMs: -1 } }],
    ["a startup over 10 minutes", { qoe: { startupMs: MAX_STARTUP_MS + 1 } }],
    ["a negative stall count", { qoe: { rebufferCount: -1 } }],
    ["negative stall time", { qoe: { rebufferMs: -5 } }],
    ["negative switches", { qoe: { switches: -1 } }],
    ["negative rendition time", { qoe: { renditions: { "720p": { playedMs: -1, rebufferMs: 0 } } } }],
    ["stalls longer than the wall time allows", { qoe: { rebufferMs: 35_001 } }],
    [
      "renditions longer than the wall time allows",
      {
        qoe: {
          renditions: {
            "720p": { playedMs: 30_000, rebufferMs: 0 },
            "480p": { playedMs: 5_000, rebufferMs: 1 },
          },
        },
      },
    ],
    ["a range ending before it starts", { ranges: [[10_000, 9_999]] }],
    ["a range starting before the content", { ranges: [[-1, 1_000]] }],
    // 2 × 35 s (the fastest playback rate) + 5 s of content in 35 s of wall time is the most.
    [
      "ranges longer in total than twice the allowance + 5 s",
      {
        ranges: [
          [0, 40_000],
          [100_000, 135_001],
        ],
      },
    ],
    ["one huge range", { ranges: [[0, 2 ** 31]] }],
    // One stall or switch per 100 ms of the 35 s allowed, plus one: 351.
    ["more stalls than one per 100 ms", { qoe: { rebufferCount: 352, rebufferMs: 1_000 } }],
    ["2,147,483,647 stalls", { qoe: { rebufferCount: 2_147_483_647, rebufferMs: 1_000 } }],
    ["more switches than one per 100 ms", { qoe: { switches: 352 } }],
  ] as [string, Partial<Beacon>][])("refuses %s", (_name, fields) => {
    expect(normaliseBeacon({ ...base, ...fields }, limits)).toBeNull();
  });

  it("takes figures exactly at the bounds", () => {
    const out = normaliseBeacon(
      {
        ...base,
        qoe: {
          startupMs: MAX_STARTUP_MS,
          rebufferMs: 35_000,
          renditions: { "720p": { playedMs: 30_000, rebufferMs: 5_000 } },
        },
        ranges: [[5_000, 5_000]],
      },
      limits,
    );
    expect(out?.qoe).toEqual({
      startupMs: MAX_STARTUP_MS,
      rebufferMs: 35_000,
      renditions: { "720p": [30_000, 5_000] },
    });
  });

  it("takes ranges, stalls and switches exactly at their bounds, and stall time without a new stall", () => {
    const out = normaliseBeacon(
      {
        ...base,
        qoe: { rebufferCount: 351, rebufferMs: 35_000, switches: 351 },
        ranges: [
          [0, 40_000],
          [100_000, 135_000],
        ],
      },
      limits,
    );
    expect(out?.qoe).toMatchObject({ rebufferCount: 351, switches: 351 });
    expect(out?.qoe?.ranges).toHaveLength(2);
    // A stall counted in the previous beacon that goes on into this one (the web player's QoeMeter).
    expect(normaliseBeacon({ ...base, qoe: { rebufferCount: 0, rebufferMs: 4_000 } }, limits)?.qoe).toEqual({
      rebufferCount: 0,
      rebufferMs: 4_000,
    });
  });

  it("drops the ranges of request and error beacons (they play nothing), unchecked", () => {
    for (const kind of ["request", "error"] as const) {
      const out = normaliseBeacon(
        {
          ...base,
          kind,
          ranges: [
            [0, 600_000],
            [9, 1],
          ],
        },
        limits,
      );
      expect(out).toEqual({ positionMs: 30_000, qoe: null });
    }
  });

  it("drops renditions named by no height of the ladder, keeping the beacon", () => {
    const out = normaliseBeacon(
      {
        ...base,
        qoe: {
          renditions: {
            "720p": { playedMs: 10_000, rebufferMs: 0 },
            "1000p": { playedMs: 5_000, rebufferMs: 0 },
            "9999p": { playedMs: 5_000, rebufferMs: 0 },
          },
        },
      },
      limits,
    );
    expect(out?.qoe).toEqual({ renditions: { "720p": [10_000, 0] } });
    // Dropped entries still count toward the wall-time check.
    expect(
      normaliseBeacon(
        {
          ...base,
          qoe: {
            renditions: {
              "720p": { playedMs: 30_000, rebufferMs: 0 },
              "1000p": { playedMs: 5_001, rebufferMs: 0 },
            },
          },
        },
        limits,
      ),
    ).toBeNull();
  });

  it("RENDITION_PATTERN names the ladder's heights, a tiny source's own even height, and audio only", () => {
    for (const rung of LADDER) expect(RENDITION_PATTERN.test(rung.name), rung.name).toBe(true);
    for (const label of ["100p", "144p", "180p", "238p", "audio"])
      expect(RENDITION_PATTERN.test(label), label).toBe(true);
    for (const label of ["99p", "101p", "239p", "242p", "540p", "900p", "1000p", "4320p", "9999p", "video"])
      expect(RENDITION_PATTERN.test(label), label).toBe(false);
  });

  it("clamps positions and ranges past the duration to the duration", () => {
    const out = normaliseBeacon(
      {
        ...base,
        positionMs: 601_500,
        ranges: [
          [590_000, 601_500],
          [700_000, 720_000],
        ],
      },
      limits,
    );
    expect(out).toEqual({ positionMs: 600_000, qoe: { ranges: [[590_000, 600_000]] } });
    // An unknown duration clamps nothing.
    expect(
      normaliseBeacon({ ...base, positionMs: 601_500 }, { ...limits, durationMs: null })?.positionMs,
    ).toBe(601_500);
  });
});

describe("mergeRanges", () => {
  it("sorts, joins overlapping and touching ranges, drops empty ones", () => {
    expect(
      mergeRanges([
        [30, 40],
        [0, 10],
        [10, 20],
        [35, 50],
        [60, 60],
      ]),
    ).toEqual([
      [0, 20],
      [30, 50],
    ]);
  });
});
