import { type Cue, toWebVtt } from "./parse";

/**
 * Captions as an HLS subtitles rendition: the video's timeline is cut into segments of equal
 * length (the last one shorter), each a complete WebVTT file, listed by a VOD media playlist.
 * A segment holds every cue that overlaps its window, with the cue's own absolute times. A cue
 * that spans a boundary is in both segments, as segmented WebVTT in HLS expects: players drop
 * the identical copies.
 */
const DEFAULT_SEGMENT_MS = 6000;
/** Cue times count from the video's start: the map says cue time 0 is media time 0. */
const TIMESTAMP_MAP = "X-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000";
const SIGNATURE_LINE = "WEBVTT\n";

/** The timeline segmented (the video's length, else the last cue's end) and how many segments cut it. */
function timelineOf(cues: Cue[], totalMs: number, segmentMs: number): { timelineMs: number; count: number } {
  // Not a creator's mistake but a caller's: a zero step would never end.
  if (!(segmentMs > 0)) throw new RangeError(`segmentMs must be positive, not ${segmentMs}`);
  const timelineMs = totalMs > 0 ? totalMs : cues.reduce((end, cue) => Math.max(end, cue.endMs), 0);
  return { timelineMs, count: Math.max(1, Math.ceil(timelineMs / segmentMs)) };
}

export interface CaptionSegment {
  index: number;
  startMs: number;
  durationMs: number;
  vtt: string;
}

/**
 * Segments covering [0, totalMs), or up to the last cue's end when the video's length is not
 * known (totalMs <= 0). There is always at least one, so a track with no cues still plays.
 */
export function segmentCaptions(
  cues: Cue[],
  totalMs: number,
  segmentMs: number = DEFAULT_SEGMENT_MS,
): CaptionSegment[] {
  const { timelineMs, count } = timelineOf(cues, totalMs, segmentMs);
  // One pass over cues in start order: `active` holds the cues that reach into the current window.
  const ordered = [...cues].sort((a, b) => a.startMs - b.startMs);
  let active: Cue[] = [];
  let next = 0;
  const segments: CaptionSegment[] = [];
  for (let index = 0; index < count; index++) {
    const startMs = index * segmentMs;
    const endMs = Math.min(startMs + segmentMs, timelineMs);
    active = active.filter((cue) => cue.endMs > startMs);
    for (let cue = ordered[next]; cue && cue.startMs < endMs; cue = ordered[++next]) {
      if (cue.endMs > startMs) active.push(cue);
    }
    segments.push({ index, startMs, durationMs: endMs - startMs, vtt: segmentVtt(active) });
  }
  return segments;
}

/**
 * One segment of segmentCaptions(cues, totalMs, segmentMs), or null past the last: what serving a
 * segment needs, built alone. Building every segment to serve one copies each cue into every
 * window it spans — a file of cues spanning a three-hour video is hundreds of megabytes that way —
 * while one segment is never more than the file's cues once.
 */
export function captionSegment(
  cues: Cue[],
  totalMs: number,
  segmentMs: number,
  index: number,
): CaptionSegment | null {
  const { timelineMs, count } = timelineOf(cues, totalMs, segmentMs);
  if (!Number.isInteger(index) || index < 0 || index >= count) return null;
  const startMs = index * segmentMs;
  const endMs = Math.min(startMs + segmentMs, timelineMs);
  // Cues are stored in start order; a stable sort keeps an equal start's order as segmentCaptions does.
  const active = [...cues]
    .sort((a, b) => a.startMs - b.startMs)
    .filter((cue) => cue.startMs < endMs && cue.endMs > startMs);
  return { index, startMs, durationMs: endMs - startMs, vtt: segmentVtt(active) };
}

/** The canonical WebVTT file of the cues, with the timestamp map HLS needs under the signature. */
function segmentVtt(cues: Cue[]): string {
  return `${SIGNATURE_LINE}${TIMESTAMP_MAP}\n${toWebVtt(cues).slice(SIGNATURE_LINE.length)}`;
}

/**
 * The VOD media playlist of the segments; `uri` names each segment's file. `gap` (a session with a
 * stitched pre-roll) puts an empty segment that long and a discontinuity in front of them, as the
 * stitched video playlists have, so cue times stay on the content's timeline.
 */
export function subtitlePlaylist(
  segments: CaptionSegment[],
  uri: (index: number) => string,
  gap?: { seconds: number; uri: string },
): string {
  const longestMs = segments.reduce((longest, segment) => Math.max(longest, segment.durationMs), 0);
  const target = Math.max(Math.ceil(longestMs / 1000), gap ? Math.ceil(gap.seconds) : 0);
  const lines = [
    "#EXTM3U",
    "#EXT-X-VERSION:3",
    // Every EXTINF must be at most the target duration, so it is rounded up, never to the nearest.
    `#EXT-X-TARGETDURATION:${target}`,
    "#EXT-X-MEDIA-SEQUENCE:0",
    "#EXT-X-PLAYLIST-TYPE:VOD",
  ];
  if (gap) lines.push(`#EXTINF:${gap.seconds.toFixed(3)},`, gap.uri, "#EXT-X-DISCONTINUITY");
  for (const segment of segments) lines.push(`#EXTINF:${seconds(segment.durationMs)},`, uri(segment.index));
  lines.push("#EXT-X-ENDLIST");
  return `${lines.join("\n")}\n`;
}

/** Seconds with exactly three decimals, from whole milliseconds (no floating-point rounding). */
function seconds(ms: number): string {
  const whole = Math.round(ms);
  return `${Math.floor(whole / 1000)}.${String(whole % 1000).padStart(3, "0")}`;
}
