import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { StoredBeacon } from "../history/beacons";
import { analyticsEngineSink, dataPointOf, noopSink, sinkFor, writeToSink } from "./sink";

/**
 * Analytics Engine has no local query side (miniflare's dataset drops every write), so the dataset
 * is a recording stand-in here: what the sink hands it is what production would store.
 */
function recordingDataset() {
  const points: AnalyticsEngineDataPoint[] = [];
  return { points, dataset: { writeDataPoint: (p?: AnalyticsEngineDataPoint) => void points.push(p ?? {}) } };
}

const beacon = (over: Partial<StoredBeacon> = {}): StoredBeacon => ({
  id: "bcn_000001",
  videoId: "vid_a",
  sessionId: "s1",
  kind: "heartbeat",
  positionMs: 30_000,
  playedMs: 29_000,
  occurredAt: 1_700_000_000_000,
  qoe: null,
  country: null,
  device: null,
  ...over,
});

describe("the Analytics Engine sink", () => {
  it("writes one data point per beacon: blobs, doubles and the video as the index", async () => {
    const { points, dataset } = recordingDataset();
    await analyticsEngineSink(dataset).write([
      beacon({
        qoe: {
          source: "feed:trending",
          player: "web-1.0.0+hls-1.7.4",
          startupMs: 900,
          rebufferMs: 1_500,
          renditions: { "480p": [4_000, 0], "720p": [25_000, 1_500] },
        },
        country: "DE",
        device: "mobile",
      }),
      beacon({ id: "bcn_000002", kind: "error", playedMs: 0, qoe: { error: "networkError:fragLoadError" } }),
    ]);
    expect(points).toEqual([
      {
        blobs: ["vid_a", "heartbeat", "feed:trending", "DE", "mobile", "web-1.0.0+hls-1.7.4", "720p"],
        doubles: [30_000, 29_000, 900, 1_500],
        indexes: ["vid_a"],
      },
      {
        blobs: ["vid_a", "error", "", "", "", "", "networkError:fragLoadError"],
        doubles: [30_000, 0, 0, 0],
        indexes: ["vid_a"],
      },
    ]);
  });

  it("a failing dataset is logged, never thrown", async () => {
    const logged: unknown[] = [];
    const failing = analyticsEngineSink({
      writeDataPoint() {
        throw new Error("over the limit");
      },
    });
    await expect(
      writeToSink(failing, [beacon()], (level, fields) => logged.push({ level, ...fields })),
    ).resolves.toBeUndefined();
    expect(logged).toEqual([
      { level: "warn", msg: "analytics sink write failed", beacons: 1, error: "over the limit" },
    ]);
  });

  it("is the Analytics Engine one when PLAYBACK_ANALYTICS is bound, else a no-op", () => {
    expect(sinkFor({ ...env, PLAYBACK_ANALYTICS: undefined } as unknown as Env)).toBe(noopSink);
    const { points, dataset } = recordingDataset();
    const bound = sinkFor({ ...env, PLAYBACK_ANALYTICS: dataset } as Env);
    expect(bound).not.toBe(noopSink);
    bound.write([beacon()]);
    expect(points).toEqual([dataPointOf(beacon())]);
  });

  it("miniflare binds the declared dataset locally (its writes are dropped)", () => {
    expect(typeof env.PLAYBACK_ANALYTICS?.writeDataPoint).toBe("function");
    expect(() => env.PLAYBACK_ANALYTICS.writeDataPoint(dataPointOf(beacon()))).not.toThrow();
  });
});
