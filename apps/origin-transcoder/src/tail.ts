// The audio rendition's segments. ffmpeg's HLS muxer cuts the audio into half-second pieces, joined
// here into segments that end where the video's do (groupAudioChunks; see playlist.ts for why).
//
// Its short tail: AAC's frame grid (plus the encoder's priming) makes the audio run a few
// milliseconds past the video: an 8 s clip ends its audio with a 0.02 s segment. A segment that short
// is a whole request for nothing and skews a player's bandwidth estimate, so a last audio segment
// under MIN_TAIL_SECONDS is joined to the one before it, again while it is still short (a clip under
// 2 s can end in the half-second first segments) (fMP4 fragments concatenate: every `moof`
// addresses its `mdat` relative to itself, ffmpeg writes default-base-is-moof) and published as one.
//
// The segment before the tail must not have been published yet (an EVENT playlist only ever grows,
// and a stored segment is cached as immutable): the publisher holds back the audio segments that end
// within TAIL_HOLD_BACK_SECONDS of the probed duration until ffmpeg has ended the playlist. If the
// probe was wrong and that segment is already out, the joined segment is published under the tail's
// own name (never stored before: ffmpeg lists the last segment only with ENDLIST), so no stored
// object ever changes its bytes.
import { readFile, writeFile } from "node:fs/promises";

export const MIN_TAIL_SECONDS = 1;
/** MIN_TAIL_SECONDS plus room for a probed duration a little off the encoded audio's. */
export const TAIL_HOLD_BACK_SECONDS = MIN_TAIL_SECONDS + 0.5;

export interface TailMerge {
  /** The playlist with the last two segments listed as one (TARGETDURATION raised if need be). */
  text: string;
  /** URIs of the two segments joined, in order (as listed). */
  from: [string, string];
  /** URI the joined segment is published under. */
  uri: string;
  /** Seconds of the joined segment. */
  duration: number;
}

const isUri = (line: string) => line !== "" && !line.startsWith("#");

/**
 * Plans joining an ended playlist's sub-second last segment to the one before; null when there is
 * nothing to join (not ended, fewer than two segments, a tail of at least MIN_TAIL_SECONDS).
 * `stored(uri)` says whether a segment name is already in storage.
 */
export function planTailMerge(text: string, stored: (uri: string) => boolean): TailMerge | null {
  const lines = text.split("\n");
  if (!lines.some((l) => l.trim() === "#EXT-X-ENDLIST")) return null;
  const uris = lines.flatMap((l, i) => (isUri(l.trim()) ? [i] : []));
  if (uris.length < 2) return null;
  const [prevAt, tailAt] = uris.slice(-2) as [number, number];
  const extinfBefore = (at: number) => {
    for (let i = at - 1; i >= 0; i--) if (lines[i]?.startsWith("#EXTINF:")) return i;
    return -1;
  };
  const prevInf = extinfBefore(prevAt);
  const tailInf = extinfBefore(tailAt);
  if (prevInf < 0 || tailInf <= prevAt) return null;
  const seconds = (i: number) => Number.parseFloat((lines[i] as string).slice("#EXTINF:".length));
  const tail = seconds(tailInf);
  const prev = seconds(prevInf);
  if (!(tail >= 0) || !(prev > 0) || tail >= MIN_TAIL_SECONDS) return null;
  const prevUri = (lines[prevAt] as string).trim();
  const tailUri = (lines[tailAt] as string).trim();
  const uri = stored(prevUri) ? tailUri : prevUri;
  if (stored(uri)) return null;
  const duration = prev + tail;
  const out = [...lines];
  out[prevInf] = `#EXTINF:${duration.toFixed(6)},`;
  out[prevAt] = uri;
  out.splice(tailInf, tailAt - tailInf + 1);
  // RFC 8216 §4.3.3.1: every EXTINF, rounded to the nearest integer, is ≤ the target duration.
  const joined = out.join("\n").replace(/^#EXT-X-TARGETDURATION:(\d+)/m, (_m, t: string) => {
    return `#EXT-X-TARGETDURATION:${Math.max(Number(t), Math.round(duration))}`;
  });
  return { text: joined, from: [prevUri, tailUri], uri, duration };
}

interface Box {
  type: string;
  start: number;
  end: number;
}

/** The top-level ISO BMFF boxes of a segment; throws on a truncated or malformed one. */
export function topLevelBoxes(bytes: Uint8Array): Box[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const boxes: Box[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (at + 8 > bytes.length) throw new Error("truncated box header");
    let size = view.getUint32(at);
    const type = String.fromCharCode(...bytes.subarray(at + 4, at + 8));
    if (size === 1) {
      if (at + 16 > bytes.length) throw new Error("truncated box header");
      size = Number(view.getBigUint64(at + 8));
    } else if (size === 0) {
      size = bytes.length - at;
    }
    if (size < 8 || at + size > bytes.length) throw new Error(`bad size of box ${type}`);
    boxes.push({ type, start: at, end: at + size });
    at += size;
  }
  return boxes;
}

/**
 * One fMP4 media segment made of consecutive ones: the first's `styp`, then every segment's
 * `moof`+`mdat` pairs in order. The `sidx` boxes are dropped (each indexes only its own fragment and
 * would misdescribe the joined segment; HLS needs none), and so is every later `styp` (a segment has
 * one, first).
 */
export function joinFragments(...segments: Uint8Array[]): Uint8Array {
  if (segments.length === 0) throw new Error("nothing to join");
  const parts: Uint8Array[] = [];
  segments.forEach((bytes, index) => {
    const boxes = topLevelBoxes(bytes);
    if (!boxes.some((b) => b.type === "moof") || !boxes.some((b) => b.type === "mdat")) {
      throw new Error("not an fMP4 media segment (no moof/mdat)");
    }
    for (const b of boxes) {
      if (b.type === "sidx" || (b.type === "styp" && index > 0)) continue;
      parts.push(bytes.subarray(b.start, b.end));
    }
  });
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Writes the joined segment of consecutive local segment files to `dest`; returns its size. */
export async function writeJoinedTail(files: readonly string[], dest: string): Promise<number> {
  const bytes = await Promise.all(files.map((f) => readFile(f)));
  const joined = joinFragments(...bytes.map((b) => new Uint8Array(b)));
  await writeFile(dest, joined);
  return joined.length;
}

// ---- the audio's half-second pieces, joined into segments of the schedule ----

export interface AudioGroup {
  /** Name the joined segment is published under: seg_00001.m4s for the first group, and so on. */
  uri: string;
  /** URIs of ffmpeg's pieces it is made of, in order. */
  from: string[];
  duration: number;
}

/**
 * The audio playlist as published, from ffmpeg's playlist of CHUNK_SECONDS pieces: consecutive pieces
 * joined into one segment per span of the schedule, each closed where a piece ends at a cut time
 * (`isCut`), so the audio's segments end where the video's do. While ffmpeg runs only closed
 * segments are listed (the open one may still grow); once the playlist is ended, the last one too.
 * Segments are named by their own number (`seg_%05d.m4s` from 1, as ffmpeg names the video's), so
 * a name is only ever given to one set of pieces. Returns null when no piece is listed.
 */
export function groupAudioChunks(
  text: string,
  isCut: (seconds: number) => boolean,
): { text: string; groups: AudioGroup[] } | null {
  const lines = text.split("\n").map((l) => l.trim());
  const ended = lines.includes("#EXT-X-ENDLIST");
  const header: string[] = [];
  const pieces: { uri: string; duration: number }[] = [];
  let pending: number | null = null;
  let inSegments = false;
  for (const line of lines) {
    if (!line || line === "#EXT-X-ENDLIST") continue;
    if (line.startsWith("#EXTINF:")) {
      inSegments = true;
      pending = Number.parseFloat(line.slice("#EXTINF:".length));
    } else if (!line.startsWith("#")) {
      pieces.push({ uri: line, duration: pending !== null && Number.isFinite(pending) ? pending : 0 });
      pending = null;
    } else if (!inSegments) {
      header.push(line);
    }
  }
  if (pieces.length === 0) return null;
  const groups: AudioGroup[] = [];
  let from: string[] = [];
  let duration = 0;
  let end = 0;
  const close = () => {
    groups.push({ uri: `seg_${String(groups.length + 1).padStart(5, "0")}.m4s`, from, duration });
    from = [];
    duration = 0;
  };
  for (const p of pieces) {
    from.push(p.uri);
    duration += p.duration;
    end += p.duration;
    if (isCut(end)) close();
  }
  if (ended && from.length > 0) close();
  if (groups.length === 0) return null;
  const out = [...header];
  for (const g of groups) out.push(`#EXTINF:${g.duration.toFixed(6)},`, g.uri);
  if (ended) out.push("#EXT-X-ENDLIST");
  return { text: `${out.join("\n")}\n`, groups };
}
