/**
 * The quality-of-experience facts a stored beacon carries (playback_events.qoe, JSON), as the
 * ingest (analytics/beacon-qoe.ts) writes them after validating and clamping, and as the rollup
 * (analytics/rollup/) reads them. Every field is optional; a row without QoE has qoe = NULL.
 */
export interface StoredQoe {
  /** Traffic source: "feed:<reason type>", "search", "channel", "external", "embed", "direct", "other". */
  source?: string;
  /** The player's version string. */
  player?: string;
  /** Play request → first frame (ms); sent once per session. */
  startupMs?: number;
  /** Stalls after the first frame since the session's previous beacon, and their total time (ms). */
  rebufferCount?: number;
  rebufferMs?: number;
  /** Per rendition label ("720p"): [played ms, rebuffer ms] since the previous beacon. */
  renditions?: Record<string, [number, number]>;
  /** Rendition switches since the previous beacon. */
  switches?: number;
  /** A fatal playback error: "<type>" or "<type>:<details>" (PLAYBACK_ERROR_TYPES). */
  error?: string;
  /** Content ranges [from, to) ms played since the previous beacon: clamped to the duration, sorted, merged. */
  ranges?: [number, number][];
}

/** Reads a stored qoe column; anything unreadable is {} (a rollup never throws on one row). */
export function parseStoredQoe(text: string | null | undefined): StoredQoe {
  if (!text) return {};
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as StoredQoe) : {};
  } catch {
    return {};
  }
}
