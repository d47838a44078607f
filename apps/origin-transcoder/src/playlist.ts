// Reading the media playlists ffmpeg writes (to know which segments are finished), the segment
// schedule (short first segments, then SEGMENT_SECONDS) and measuring the bitrates the master
// advertises. Pure: imported by the tests under Node.
import { FIRST_SEGMENTS_SECONDS, SEGMENT_SECONDS } from "@marquee/shared";

// ---- the segment schedule ----
//
// Segments end at 0.5, 1, 2, 6, 10, … s (FIRST_SEGMENTS_SECONDS, then every SEGMENT_SECONDS). ffmpeg's
// HLS muxer can only cut at multiples of one length (`-hls_init_time` does nothing with an unbounded
// EVENT playlist: it becomes the length of every segment), so it is run with `-hls_time` ½
// (chunkSeconds):
// - a video rendition is cut at the first keyframe past each half second, and its keyframes are
//   forced at exactly the schedule's times (keyframeExpr) and nowhere else, so it is cut there;
// - the audio, all keyframes, is cut every half second; the publisher joins those pieces into
//   segments ending at the same times (tail.ts, groupAudioChunks).

/** Where segments end: after the `first` lengths (s), every `steady` s. */
export interface SegmentSchedule {
  first: readonly number[];
  steady: number;
}

/** Content: short first segments, so a video is playable sooner (FIRST_SEGMENTS_SECONDS). */
export const CONTENT_SCHEDULE: SegmentSchedule = { first: FIRST_SEGMENTS_SECONDS, steady: SEGMENT_SECONDS };
/**
 * Ads: every segment SEGMENT_SECONDS. Nobody waits for an ad to become playable, and an ad's audio
 * must last as long as its video to within an AAC frame (ad.ts): ffmpeg's EXTINF of a one-packet last
 * piece counts that packet's whole frame, which the short pieces would add on top.
 */
export const AD_SCHEDULE: SegmentSchedule = { first: [], steady: SEGMENT_SECONDS };

/**
 * The muxer's cut unit (`-hls_time`), the audio's piece length: the longest of 1, ½ and ¼ s that every
 * segment length is a whole multiple of when there are short first segments (½ s for content), else
 * the steady length (then a piece is a segment).
 */
export function chunkSeconds(schedule: SegmentSchedule): number {
  if (schedule.first.length === 0) return schedule.steady;
  const lengths = [...schedule.first, schedule.steady];
  const unit = [1, 0.5, 0.25].find((u) => lengths.every((d) => Number.isInteger(d / u)));
  if (unit === undefined) throw new Error(`segment lengths ${lengths.join(", ")} are not multiples of ¼ s`);
  return unit;
}

/** End times (s) of the first, short segments: 0.5, 1, 2 for content. */
export function firstCutTimes(schedule: SegmentSchedule): number[] {
  let t = 0;
  return schedule.first.map((d) => {
    t += d;
    return t;
  });
}

/**
 * The `-force_key_frames` expression: a keyframe at t = 0 and at every schedule time. `n_forced` is
 * the number of keyframes forced so far, so the next one is due at the n_forced-th cut time.
 */
export function keyframeExpr(schedule: SegmentSchedule): string {
  const { steady } = schedule;
  if (schedule.first.length === 0) return `expr:gte(t,n_forced*${steady})`;
  const cuts = [0, ...firstCutTimes(schedule)];
  const k = cuts.length - 1;
  const last = cuts[k] as number;
  let first = String(last);
  for (let i = k - 1; i >= 0; i--) first = `if(eq(n_forced,${i}),${cuts[i]},${first})`;
  return `expr:gte(t,if(lte(n_forced,${k}),${first},${last}+(n_forced-${k})*${steady}))`;
}

/**
 * Whether a cut at `t` s is one of the schedule's, within a tenth of a second: an AAC piece ends at
 * most one 21 ms frame past its half second, and a piece ending half a second off is not a cut.
 */
export function isCutTime(schedule: SegmentSchedule, t: number): boolean {
  const slack = 0.1;
  const firsts = firstCutTimes(schedule);
  if (firsts.some((c) => Math.abs(t - c) <= slack)) return true;
  const last = firsts.at(-1) ?? 0;
  if (t <= last + slack) return false;
  const steps = (t - last) / schedule.steady;
  return Math.abs(steps - Math.round(steps)) * schedule.steady <= slack;
}

/**
 * A published playlist's #EXT-X-TARGETDURATION: never below SEGMENT_SECONDS (ffmpeg writes 1 while it
 * lists only the short first segments, and RFC 8216 §6.2.1 forbids the value to change later), nor
 * below ffmpeg's own value or any EXTINF rounded to the nearest integer (§4.3.3.1).
 */
export function withTargetDuration(text: string): string {
  const pl = parseMediaPlaylist(text);
  const target = Math.max(
    SEGMENT_SECONDS,
    pl.targetDuration,
    ...pl.segments.map((s) => Math.round(s.duration)),
  );
  return text.replace(/^#EXT-X-TARGETDURATION:\d+/m, `#EXT-X-TARGETDURATION:${target}`);
}

// ---- media playlists ----

export interface MediaSegment {
  uri: string;
  duration: number;
}

export interface MediaPlaylist {
  /** #EXT-X-TARGETDURATION (0 when absent). */
  targetDuration: number;
  /** URI of the init segment (#EXT-X-MAP), as written. */
  mapUri: string | null;
  segments: MediaSegment[];
  /** #EXT-X-ENDLIST present: ffmpeg finished this rendition. */
  ended: boolean;
}

const MAP_URI = /^#EXT-X-MAP:.*?URI="([^"]*)"/;
const TARGET = "#EXT-X-TARGETDURATION:";

export function parseMediaPlaylist(text: string): MediaPlaylist {
  let mapUri: string | null = null;
  let targetDuration = 0;
  let ended = false;
  let pending: number | null = null;
  const segments: MediaSegment[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith("#")) {
      const map = line.match(MAP_URI);
      if (map) mapUri = map[1] ?? null;
      else if (line.startsWith("#EXTINF:")) pending = Number.parseFloat(line.slice(8));
      else if (line.startsWith(TARGET)) targetDuration = Number.parseInt(line.slice(TARGET.length), 10) || 0;
      else if (line === "#EXT-X-ENDLIST") ended = true;
      continue;
    }
    segments.push({ uri: line, duration: pending !== null && Number.isFinite(pending) ? pending : 0 });
    pending = null;
  }
  return { targetDuration, mapUri, segments, ended };
}

/**
 * A playlist ffmpeg may be rewriting is usable only when complete: it starts with #EXTM3U and its
 * last line is terminated (ffmpeg renames EVENT playlists into place, so this is a belt and braces).
 */
export function isCompletePlaylist(text: string): boolean {
  return text.startsWith("#EXTM3U") && text.endsWith("\n");
}

/** The last path segment of a relative URI: "../720p/init.mp4" → "init.mp4". */
export function baseName(uri: string): string {
  return uri.slice(uri.lastIndexOf("/") + 1);
}

/**
 * The variant playlist as published: the init segment's URI made local to the rendition directory
 * (ffmpeg writes "../720p/init.mp4", storage has it next to the playlist as "init.mp4"), and, once
 * ffmpeg has ended it, `#EXT-X-PLAYLIST-TYPE:VOD` instead of ffmpeg's EVENT: a finished playlist
 * never changes again, and VOD tells players (and caches) so.
 */
export function publishedVariantPlaylist(text: string): string {
  const local = text.replace(/^(#EXT-X-MAP:.*?URI=")([^"]*)(")/m, (_m, a: string, uri: string, b: string) => {
    return `${a}${baseName(uri)}${b}`;
  });
  return /^#EXT-X-ENDLIST\s*$/m.test(local) ? asVod(local) : local;
}

/** An ended media playlist typed VOD: EVENT replaced, or the tag added after the header lines. */
export function asVod(text: string): string {
  if (/^#EXT-X-PLAYLIST-TYPE:/m.test(text)) {
    return text.replace(/^#EXT-X-PLAYLIST-TYPE:.*$/m, "#EXT-X-PLAYLIST-TYPE:VOD");
  }
  return text.replace(/^(#EXT-X-TARGETDURATION:.*)$/m, "$1\n#EXT-X-PLAYLIST-TYPE:VOD");
}

/**
 * The first `count` segments of an unfinished media playlist: everything before its first segment
 * (header, EXT-X-MAP), then each kept segment's tag lines and URI. Used to hold back segments that
 * may still be merged with a short tail (publisher.ts); an ENDLIST is never kept.
 */
export function firstSegments(text: string, count: number): string {
  const out: string[] = [];
  let kept = 0;
  let pending: string[] = [];
  let inSegments = false;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line || line === "#EXT-X-ENDLIST") continue;
    if (!line.startsWith("#")) {
      if (kept >= count) break;
      out.push(...pending, line);
      pending = [];
      kept++;
      continue;
    }
    if (line.startsWith("#EXTINF:")) inSegments = true;
    if (inSegments) pending.push(line);
    else out.push(line);
  }
  return `${out.join("\n")}\n`;
}

/** Content type of a stored output, by its path under videos/{videoId}/. */
export function contentTypeFor(path: string): string {
  if (path.endsWith(".m3u8")) return "application/vnd.apple.mpegurl";
  if (path.endsWith(".mp4") || path.endsWith(".m4s")) {
    return path.startsWith("hls/audio/") ? "audio/mp4" : "video/mp4";
  }
  if (path.endsWith(".jpg")) return "image/jpeg";
  if (path.endsWith(".vtt")) return "text/vtt"; // plain type/subtype: the edge signs it into the URL
  return "application/octet-stream";
}

export interface SegmentStat {
  duration: number;
  bytes: number;
}

/** What the bitrates of a rendition are measured from: its segments, init segment and target. */
export interface RenditionStats {
  segments: SegmentStat[];
  /** Size of the init segment (EXT-X-MAP), 0 if none. */
  initBytes: number;
  /** EXT-X-TARGETDURATION of the playlist (0: taken as the longest segment, rounded up). */
  targetDuration: number;
}

export interface MeasuredRate {
  /** Peak segment bit rate (RFC 8216 §4.3.4.2, init segment counted with every segment), bit/s. */
  peak: number;
  /** Total bits (segments + the init segment once) over total duration, bit/s. */
  average: number;
  /** Seconds covered. */
  duration: number;
}

/**
 * Windows are taken a hair wider than [0.5, 1.5] × target: EXTINF values are rounded to 6 decimals,
 * and a window counted that a strict reading would leave out only raises the peak (never a lie).
 */
const WINDOW_SLACK = 1e-3;

/**
 * The peak segment bit rate of RFC 8216 §4.3.4.2: the largest bit rate of any contiguous set of
 * segments whose total duration is between 0.5 and 1.5 times the target duration, a set's bit rate
 * being its total size over its total duration. A segment's size counts its init segment (a player
 * switching to this rendition fetches both), so each set adds `initBytes` per segment — more than a
 * player that already holds the init segment fetches, never less. If no set is long enough (a
 * rendition shorter than half the target), the whole rendition is the one set.
 */
export function peakSegmentBitrate(
  segments: readonly SegmentStat[],
  targetDuration: number,
  initBytes = 0,
): number {
  const usable = segments.filter((s) => s.duration > 0);
  if (usable.length === 0) return 0;
  const target = targetDuration > 0 ? targetDuration : Math.ceil(Math.max(...usable.map((s) => s.duration)));
  const low = 0.5 * target - WINDOW_SLACK;
  const high = 1.5 * target + WINDOW_SLACK;
  let peak = 0;
  let found = false;
  // Segments are at most ~target long, so each start extends over a handful of segments: O(n·k).
  for (let i = 0; i < usable.length; i++) {
    let bytes = 0;
    let seconds = 0;
    for (let j = i; j < usable.length; j++) {
      const s = usable[j] as SegmentStat;
      bytes += s.bytes + initBytes;
      seconds += s.duration;
      if (seconds > high) break;
      if (seconds >= low) {
        found = true;
        peak = Math.max(peak, (bytes * 8) / seconds);
      }
    }
  }
  if (!found) {
    const bytes = usable.reduce((sum, s) => sum + s.bytes + initBytes, 0);
    const seconds = usable.reduce((sum, s) => sum + s.duration, 0);
    peak = (bytes * 8) / seconds;
  }
  return peak;
}

/**
 * Bitrates of a rendition from its stored segments: the RFC 8216 peak (peakSegmentBitrate) and the
 * average, both rounded up so an advertised figure is never below the measured one. The peak is at
 * least the average, so BANDWIDTH ≥ AVERAGE-BANDWIDTH holds whatever the segment sizes.
 */
export function measureRate(stats: RenditionStats): MeasuredRate {
  const { segments, initBytes, targetDuration } = stats;
  const duration = segments.reduce((sum, s) => sum + s.duration, 0);
  const bits = (segments.reduce((sum, s) => sum + s.bytes, 0) + (segments.length > 0 ? initBytes : 0)) * 8;
  const average = duration > 0 ? Math.ceil(bits / duration) : 0;
  const peak = Math.ceil(peakSegmentBitrate(segments, targetDuration, initBytes));
  return { peak: Math.max(peak, average), average, duration };
}
