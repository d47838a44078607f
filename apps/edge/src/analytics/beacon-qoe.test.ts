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

  it("clamps positions and ranges past the duration to the duration", () => {
    const out = normaliseBeacon(
      {
        ...base,
        positionMs: 601_500,
        ranges: [
          [590_000, 601_500],
          [700_000, 800_000],
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
