/**
 * Quality-of-experience accounting for one player session (Mux Data's definitions; docs/analytics.md),
 * pure and clock-free: the caller passes `now` (ms, a monotonic clock) with every event, so the
 * arithmetic is unit-tested without a browser (qoe.test.ts). usePlaybackBeacons feeds it the
 * <video>'s and hls.js' events and attaches `take()`'s deltas to each beacon.
 *
 * - startup: play request → first frame, once per session (a stitched pre-roll's first frame is the
 *   first frame: the viewer sees the stream);
 * - rebuffering: a `waiting` after the first frame that no seek (or pipeline reset) caused, until
 *   frames advance again; counted when it begins, its time charged to the rendition on screen then;
 * - time per rendition: wall-clock time the frames were advancing, so played + rebuffer time never
 *   exceeds the wall time between two beacons (the edge refuses a beacon claiming more);
 * - switches: rendition changes after the first known one;
 * - ranges: content time played by steady forward play (a seek closes a range).
 */
import type { PlaybackErrorType } from "@marquee/shared";

/** The edge refuses a startup of more than 10 minutes; such a session reports none rather than lose its beacon. */
export const MAX_STARTUP_MS = 600_000;
/** At most this many ranges per beacon (the schema's limit). */
export const MAX_RANGES = 20;
/** Ranges this close may be joined when there are too many (the gap is claimed as played). */
const MAX_JOIN_GAP_MS = 1000;
/** At most this many rendition labels per beacon (the schema's limit). */
export const MAX_RENDITIONS = 12;

export interface RenditionFigures {
  playedMs: number;
  rebufferMs: number;
}

/** The beacon's `qoe` object (POST /api/v1/events/playback; every field optional). */
export interface QoeReport {
  startupMs?: number;
  rebufferCount?: number;
  rebufferMs?: number;
  renditions?: Record<string, RenditionFigures>;
  switches?: number;
  error?: { type: PlaybackErrorType; details?: string };
}

/** [fromMs, toMs] of content time. */
export type PlayedRange = [number, number];

/** A rendition's label as the ladder names it ("720p"); null for a height that names none. */
export function renditionLabel(height: number | null | undefined): string | null {
  if (typeof height !== "number" || !Number.isInteger(height) || height < 100 || height > 9999) return null;
  return `${height}p`;
}

const DETAILS = /[^A-Za-z0-9_.:-]/g;

/** hls.js' `details` (or the element's error name) in the schema's alphabet and length. */
export function errorDetails(details: string | null | undefined): string | undefined {
  const clean = (details ?? "").replace(DETAILS, "_").slice(0, 64);
  return clean === "" ? undefined : clean;
}

const HLS_ERROR_TYPES: readonly PlaybackErrorType[] = [
  "networkError",
  "mediaError",
  "keySystemError",
  "muxError",
  "otherError",
];

/** A fatal hls.js error the player gave up on, as the `error` beacon's type and details. */
export function failureOf(error: { type: string; details: string }): [PlaybackErrorType, string | undefined] {
  const type = HLS_ERROR_TYPES.find((t) => t === error.type) ?? "otherError";
  return [type, errorDetails(error.details)];
}

export class QoeMeter {
  private requestAt: number | null = null;
  private firstFrameAt: number | null = null;
  private startupReported = false;
  private label: string | null = null;
  /** Frames advancing since (the play clock), or null. */
  private playingSince: number | null = null;
  /** The stall under way: since when (or since the last take) and on which rendition it began. */
  private stall: { since: number; label: string | null } | null = null;
  /** A seek or pipeline reset is under way: its waiting is not rebuffering. */
  private seekPending = false;
  // Since the last take():
  private rebufferCount = 0;
  private rebufferMs = 0;
  private switches = 0;
  private renditions = new Map<string, RenditionFigures>();
  private ranges: PlayedRange[] = [];
  /** The range being extended (its end is exactly the `to` last played), null after a seek. */
  private open: PlayedRange | null = null;

  /** The play request (the `play` event); true the first time only. */
  request(now: number): boolean {
    if (this.requestAt !== null) return false;
    this.requestAt = now;
    return true;
  }

  get requested(): boolean {
    return this.requestAt !== null;
  }

  get firstFrameSeen(): boolean {
    return this.firstFrameAt !== null;
  }

  /** Frames advance (a `playing` event, or a `timeupdate` moving forward while not paused). */
  progress(now: number): void {
    if (this.firstFrameAt === null) this.firstFrameAt = now;
    this.endStall(now);
    this.seekPending = false;
    this.playingSince ??= now;
  }

  /** The element waits for data: a stall unless it is still starting or a seek is under way. */
  waiting(now: number, seeking: boolean): void {
    this.stopClock(now);
    if (this.firstFrameAt === null || seeking || this.seekPending || this.stall) return;
    this.stall = { since: now, label: this.label };
    this.rebufferCount += 1;
  }

  /** Paused or ended: the play clock stops, and a stall under way ends (paused is not rebuffering). */
  halt(now: number): void {
    this.stopClock(now);
    this.endStall(now);
  }

  /** A seek (or the pipeline reset under the element): the range closes, its waiting is not a stall. */
  seeking(now: number): void {
    this.halt(now);
    this.seekPending = true;
    this.open = null;
  }

  /** The rendition on screen changed (null: unknown). */
  rendition(now: number, label: string | null): void {
    if (label === null || label === this.label) return;
    if (this.playingSince !== null) {
      this.chargePlayed(now);
      this.playingSince = now;
    }
    if (this.label !== null) this.switches += 1;
    this.label = label;
  }

  /** Content time [fromMs, toMs] was played steadily (consecutive calls share their ends). */
  played(fromMs: number, toMs: number): void {
    if (!(toMs > fromMs)) return;
    if (this.open && this.open[1] === fromMs) this.open[1] = toMs;
    else {
      this.open = [fromMs, toMs];
      this.ranges.push(this.open);
    }
    if (this.ranges.length > MAX_RANGES) this.mergeClosest();
  }

  /**
   * The figures since the previous take (the session's previous beacon), and the startup once,
   * after the first frame. A stall or play under way is cut at `now` and goes on in the next.
   */
  take(now: number): { qoe?: QoeReport; ranges?: PlayedRange[] } {
    if (this.playingSince !== null) {
      this.chargePlayed(now);
      this.playingSince = now;
    }
    if (this.stall) {
      this.chargeStall(now);
      this.stall.since = now;
    }
    const qoe: QoeReport = {};
    if (!this.startupReported && this.requestAt !== null && this.firstFrameAt !== null) {
      this.startupReported = true;
      const startup = Math.round(this.firstFrameAt - this.requestAt);
      if (startup >= 0 && startup <= MAX_STARTUP_MS) qoe.startupMs = startup;
    }
    const rebufferMs = Math.round(this.rebufferMs);
    if (this.rebufferCount > 0 || rebufferMs > 0) {
      qoe.rebufferCount = this.rebufferCount;
      qoe.rebufferMs = rebufferMs;
    }
    const renditions: Record<string, RenditionFigures> = {};
    let labels = 0;
    for (const [label, f] of this.renditions) {
      const figures = { playedMs: Math.round(f.playedMs), rebufferMs: Math.round(f.rebufferMs) };
      if ((figures.playedMs > 0 || figures.rebufferMs > 0) && labels < MAX_RENDITIONS) {
        renditions[label] = figures;
        labels += 1;
      }
    }
    if (labels > 0) qoe.renditions = renditions;
    if (this.switches > 0) qoe.switches = this.switches;
    const ranges = this.ranges
      .map(([from, to]): PlayedRange => [Math.round(from), Math.round(to)])
      .filter(([from, to]) => to > from);
    this.rebufferCount = 0;
    this.rebufferMs = 0;
    this.switches = 0;
    this.renditions = new Map();
    this.ranges = [];
    this.open = null;
    return {
      ...(Object.keys(qoe).length ? { qoe } : {}),
      ...(ranges.length ? { ranges } : {}),
    };
  }

  private figuresOf(label: string): RenditionFigures {
    let f = this.renditions.get(label);
    if (!f) {
      f = { playedMs: 0, rebufferMs: 0 };
      this.renditions.set(label, f);
    }
    return f;
  }

  private stopClock(now: number): void {
    if (this.playingSince === null) return;
    this.chargePlayed(now);
    this.playingSince = null;
  }

  /** Time played before the rendition is known goes nowhere (there is no label to put it under). */
  private chargePlayed(now: number): void {
    if (this.playingSince === null || this.label === null) return;
    this.figuresOf(this.label).playedMs += Math.max(0, now - this.playingSince);
  }

  private chargeStall(now: number): void {
    if (!this.stall) return;
    const ms = Math.max(0, now - this.stall.since);
    this.rebufferMs += ms;
    if (this.stall.label !== null) this.figuresOf(this.stall.label).rebufferMs += ms;
  }

  private endStall(now: number): void {
    this.chargeStall(now);
    this.stall = null;
  }

  /**
   * More ranges than a beacon holds (many seeks in one beacon's time): join the two closest when
   * they are at most MAX_JOIN_GAP_MS apart, else drop the shortest finished range. A join must never
   * claim much unplayed time: the edge refuses a beacon whose ranges total more than twice its wall
   * time, and that would cost the beacon's history too. Dropping only loses a little retention.
   */
  private mergeClosest(): void {
    const ranges = this.ranges.sort((a, b) => a[0] - b[0]);
    const gap = (i: number) => Math.abs((ranges[i]?.[0] ?? 0) - (ranges[i - 1]?.[1] ?? 0));
    let best = 1;
    for (let i = 2; i < ranges.length; i++) if (gap(i) < gap(best)) best = i;
    const a = ranges[best - 1];
    const b = ranges[best];
    if (!a || !b) return;
    if (gap(best) > MAX_JOIN_GAP_MS) {
      const closed = ranges.filter((r) => r !== this.open);
      const shortest = closed.reduce((x, r) => (r[1] - r[0] < x[1] - x[0] ? r : x), closed[0] as PlayedRange);
      ranges.splice(ranges.indexOf(shortest), 1);
      return;
    }
    const merged: PlayedRange = [Math.min(a[0], b[0]), Math.max(a[1], b[1])];
    ranges.splice(best - 1, 2, merged);
    // The range being extended may be one of the two: play goes on from the merged one's end.
    if (this.open === a || this.open === b) this.open = merged[1] === this.open[1] ? merged : null;
  }
}
