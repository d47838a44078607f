/**
 * The optional Workers Analytics Engine copy of every stored beacon (issue: "an optional production
 * sink behind an interface"). D1 stays the source of everything creators see and of money; this is
 * for operators' ad-hoc SQL over raw playback at any cardinality. Analytics Engine cannot be queried
 * locally (miniflare's dataset drops every write), so nothing here is read back by the app.
 *
 * Written after the beacon batch committed, in waitUntil: a sink failure is logged and never fails
 * or delays the request, and a beacon stored in D1 but lost here is only a gap in that copy.
 */
import type { StoredBeacon } from "../history/beacons";
import type { Logger } from "../lib/logger";

export interface AnalyticsSink {
  write(beacons: readonly StoredBeacon[]): void | Promise<void>;
}

/** Where nothing is bound: writes go nowhere. */
export const noopSink: AnalyticsSink = { write() {} };

/**
 * One data point per beacon. Blobs (strings, "" when absent): 1 video id, 2 kind, 3 source
 * ("feed:<reason>" …), 4 country, 5 device, 6 player version, 7 the error ("<type>:<details>") or
 * else the rendition played longest in the beacon. Doubles (0 when absent): 1 positionMs,
 * 2 playedMs (as capped), 3 startupMs, 4 rebufferMs. Index (the sampling key): the video id, so a
 * video's points are sampled together.
 */
export function dataPointOf(b: StoredBeacon): AnalyticsEngineDataPoint {
  const q = b.qoe ?? {};
  const rendition = Object.entries(q.renditions ?? {}).sort((x, y) => y[1][0] - x[1][0])[0]?.[0];
  return {
    blobs: [
      b.videoId,
      b.kind,
      q.source ?? "",
      b.country ?? "",
      b.device ?? "",
      q.player ?? "",
      q.error ?? rendition ?? "",
    ],
    doubles: [b.positionMs, b.playedMs, q.startupMs ?? 0, q.rebufferMs ?? 0],
    indexes: [b.videoId],
  };
}

export function analyticsEngineSink(dataset: AnalyticsEngineDataset): AnalyticsSink {
  return {
    write(beacons) {
      for (const b of beacons) dataset.writeDataPoint(dataPointOf(b));
    },
  };
}

/** The Analytics Engine sink when the PLAYBACK_ANALYTICS dataset is bound, else the no-op one. */
export function sinkFor(env: Env): AnalyticsSink {
  // Read as optional: a deployment may leave the dataset out of its config.
  const dataset = (env as Partial<Pick<Env, "PLAYBACK_ANALYTICS">>).PLAYBACK_ANALYTICS;
  return dataset ? analyticsEngineSink(dataset) : noopSink;
}

/** Writes to the sink; any failure is logged, never thrown (the beacons are already stored in D1). */
export async function writeToSink(sink: AnalyticsSink, beacons: readonly StoredBeacon[], log?: Logger) {
  try {
    await sink.write(beacons);
  } catch (error) {
    log?.("warn", {
      msg: "analytics sink write failed",
      beacons: beacons.length,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
