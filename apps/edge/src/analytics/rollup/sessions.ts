/**
 * Raw beacons → sessions (docs/analytics.md, "Definitions"). Pure: no I/O, any order of rows in,
 * the same facts out. A session is the beacons of one (profile, video, session id); everything about
 * it is attributed to the UTC hour of its earliest beacon (Mux: metrics belong to the view), so a
 * late beacon lands in its session's hour, and one with an earlier time moves the whole session.
 */
import { RETENTION_POINTS } from "@marquee/shared";
import { parseStoredQoe } from "../stored-qoe";

export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/**
 * A session's beacons count up to this long after its earliest one; later ones are ignored. It
 * bounds every raw read of the rollup in time (raw-sessions.ts): a dirty hour reads only the beacons
 * within [hour − span, hour + 1 h + span], never "all of a session" (a tab left open for days).
 */
export const MAX_SESSION_SPAN_MS = 6 * HOUR_MS;

/** The first ms of the UTC hour / day holding `ms`. */
export const hourOf = (ms: number) => Math.floor(ms / HOUR_MS) * HOUR_MS;
export const dayOf = (ms: number) => Math.floor(ms / DAY_MS) * DAY_MS;
/** The first ms of the UTC month holding `ms`, and of the month after it. */
export function monthOf(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}
export function nextMonthOf(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** One playback_events row, as much of it as the rollup reads. */
export interface RawBeacon {
  profileId: string;
  videoId: string;
  sessionId: string;
  kind: string;
  positionMs: number;
  playedMs: number;
  occurredAt: number;
  qoe: string | null;
  country: string | null;
  device: string | null;
}

export interface SessionFacts {
  profileId: string;
  videoId: string;
  sessionId: string;
  /** The attribution hour: the first ms of the UTC hour of the earliest beacon. */
  hour: number;
  /** Every UTC hour the session has a beacon in (sorted): a recompute of one of them moves it. */
  beaconHours: number[];
  /** A play attempt: the session has a `request` or a `start`. */
  isView: boolean;
  playedMs: number;
  /** The first startupMs the session reported (by beacon time); null: none. */
  startupMs: number | null;
  /** A first frame was reached: a `start` beacon or a startup time. */
  reachedFirstFrame: boolean;
  /** The session reported a fatal error (an `error` beacon, or a beacon whose qoe has one). */
  failed: boolean;
  rebufferCount: number;
  rebufferMs: number;
  /** Session attributes, the first non-null value by beacon time, with the documented fallbacks. */
  source: string;
  country: string;
  device: string;
  player: string;
  /** Per rendition label: [played ms, rebuffer ms]. */
  renditions: Map<string, [number, number]>;
  /** Content ranges [from, to) played, as a sorted union (a rewatched second counts once). */
  ranges: [number, number][];
}

/** Fallback values of the dimensions when no beacon of the session names one. */
export const UNKNOWN_SOURCE = "direct";
export const UNKNOWN_COUNTRY = "XX";
export const UNKNOWN_DEVICE = "other";
export const UNKNOWN_PLAYER = "unknown";

/** Code-unit order: the same everywhere, unlike localeCompare. */
export const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// Same-ms beacons of a session are ordered by kind (the order a player sends them), then content,
// so the "first" value of an attribute never depends on the order D1 returned the rows in.
const KIND_ORDER: Record<string, number> = { request: 0, start: 1, heartbeat: 2, end: 3, error: 4 };

function compareBeacons(a: RawBeacon, b: RawBeacon): number {
  return (
    a.occurredAt - b.occurredAt ||
    (KIND_ORDER[a.kind] ?? 9) - (KIND_ORDER[b.kind] ?? 9) ||
    a.positionMs - b.positionMs ||
    a.playedMs - b.playedMs ||
    compareText(a.qoe ?? "", b.qoe ?? "") ||
    compareText(a.country ?? "", b.country ?? "") ||
    compareText(a.device ?? "", b.device ?? "")
  );
}

const finite = (n: unknown): n is number => typeof n === "number" && Number.isFinite(n);
const nonNegative = (n: unknown): number => (finite(n) && n > 0 ? n : 0);

/** The sorted union of ranges, empty ones dropped. */
export function unionOf(ranges: [number, number][]): [number, number][] {
  const sorted = ranges.filter(([from, to]) => to > from).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: [number, number][] = [];
  for (const [from, to] of sorted) {
    const last = out[out.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}

/** The content ranges one beacon covered: its qoe ranges, else [position − played, position]. */
function rangesOf(row: RawBeacon, stored: [number, number][] | undefined): [number, number][] {
  if (Array.isArray(stored)) {
    return stored.filter(
      (r): r is [number, number] => Array.isArray(r) && finite(r[0]) && finite(r[1]) && r[1] > r[0],
    );
  }
  if (row.playedMs > 0) return [[Math.max(0, row.positionMs - row.playedMs), row.positionMs]];
  return [];
}

function factsOf(rows: RawBeacon[]): SessionFacts {
  const first = rows[0] as RawBeacon;
  const hours = new Set<number>();
  const renditions = new Map<string, [number, number]>();
  const ranges: [number, number][] = [];
  let isView = false;
  let playedMs = 0;
  let startupMs: number | null = null;
  let sawStart = false;
  let failed = false;
  let rebufferCount = 0;
  let rebufferMs = 0;
  let source: string | null = null;
  let country: string | null = null;
  let device: string | null = null;
  let player: string | null = null;
  for (const row of rows) {
    hours.add(hourOf(row.occurredAt));
    const qoe = parseStoredQoe(row.qoe);
    if (row.kind === "request" || row.kind === "start") isView = true;
    if (row.kind === "start") sawStart = true;
    if (row.kind === "error" || typeof qoe.error === "string") failed = true;
    playedMs += nonNegative(row.playedMs);
    if (startupMs === null && finite(qoe.startupMs) && qoe.startupMs >= 0) startupMs = qoe.startupMs;
    rebufferCount += nonNegative(qoe.rebufferCount);
    rebufferMs += nonNegative(qoe.rebufferMs);
    if (qoe.renditions && typeof qoe.renditions === "object") {
      for (const [label, pair] of Object.entries(qoe.renditions)) {
        if (!Array.isArray(pair)) continue;
        const sum = renditions.get(label) ?? [0, 0];
        sum[0] += nonNegative(pair[0]);
        sum[1] += nonNegative(pair[1]);
        renditions.set(label, sum);
      }
    }
    ranges.push(...rangesOf(row, qoe.ranges));
    source ??= typeof qoe.source === "string" && qoe.source ? qoe.source : null;
    player ??= typeof qoe.player === "string" && qoe.player ? qoe.player : null;
    country ??= row.country || null;
    device ??= row.device || null;
  }
  return {
    profileId: first.profileId,
    videoId: first.videoId,
    sessionId: first.sessionId,
    hour: hourOf(first.occurredAt),
    beaconHours: [...hours].sort((a, b) => a - b),
    isView,
    playedMs,
    startupMs,
    reachedFirstFrame: sawStart || startupMs !== null,
    failed,
    rebufferCount,
    rebufferMs,
    source: source ?? UNKNOWN_SOURCE,
    country: country ?? UNKNOWN_COUNTRY,
    device: device ?? UNKNOWN_DEVICE,
    player: player ?? UNKNOWN_PLAYER,
    renditions,
    ranges: unionOf(ranges),
  };
}

/**
 * The sessions of `rows` (any order), sorted by (hour, profile, video, session). `durationMs` is
 * the video's: ranges past it are cut to it (the ingest clamps them already; old rows may not be).
 * A session's beacons more than MAX_SESSION_SPAN_MS after its earliest are ignored.
 */
export function sessionsOf(rows: RawBeacon[], durationMs: number | null): SessionFacts[] {
  const groups = new Map<string, RawBeacon[]>();
  for (const row of rows) {
    const key = `${row.profileId}\t${row.videoId}\t${row.sessionId}`;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  const out: SessionFacts[] = [];
  for (const group of groups.values()) {
    group.sort(compareBeacons);
    const first = (group[0] as RawBeacon).occurredAt;
    const facts = factsOf(group.filter((b) => b.occurredAt - first <= MAX_SESSION_SPAN_MS));
    if (durationMs !== null && durationMs > 0)
      facts.ranges = facts.ranges
        .map(([from, to]): [number, number] => [from, Math.min(to, durationMs)])
        .filter(([from, to]) => to > from);
    out.push(facts);
  }
  return out.sort(
    (a, b) =>
      a.hour - b.hour ||
      compareText(a.profileId, b.profileId) ||
      compareText(a.videoId, b.videoId) ||
      compareText(a.sessionId, b.sessionId),
  );
}

/** The retention points' content times: t_i = ⌊i × duration / RETENTION_POINTS⌋ ms. */
export function retentionTimes(durationMs: number): number[] {
  return Array.from({ length: RETENTION_POINTS }, (_, i) => Math.floor((i * durationMs) / RETENTION_POINTS));
}
