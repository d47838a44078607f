/**
 * Caption files, which creators upload per language as WebVTT or SRT. They are parsed, checked and
 * turned into canonical WebVTT cues. The route layer does the mapping: this module returns results
 * and never throws AppError. An error names the line it is about (1-based, counted after CRLF and CR
 * became LF) so a creator can fix the file.
 * - The file must be UTF-8 text without control characters other than tab and newlines. A UTF-8 BOM
 *   is dropped.
 * - A first line starting with "WEBVTT" makes it WebVTT. Anything else is read as SRT.
 * - Cues come in order of start time (they may overlap), each ends after it starts, and none ends
 *   more than DURATION_SLACK_MS past the end of the video when its length is known.
 * - A cue with no text is dropped. Cue text is escaped so that any WebVTT reader shows it as the
 *   creator wrote it.
 * The input is hostile: every step is linear in the input's length (see the comments on the regexes).
 */
export const MAX_CAPTION_BYTES = 512 * 1024;
export const MAX_CUES = 5000;
/** Characters (code points) per cue, counted in the canonical text: after normalisation and escaping. */
export const MAX_CUE_TEXT = 500;

export interface Cue {
  startMs: number;
  endMs: number;
  /** WebVTT cue text: lines joined by "\n", no blank lines, `&` and `<` escaped, known tags kept. */
  text: string;
}

export type CaptionFormat = "vtt" | "srt";

export type ParseResult =
  | { ok: true; format: CaptionFormat; cues: Cue[] }
  | { ok: false; line: number | null; reason: string };

/** How far past the video's end a cue may run: encoders round durations and caption tools pad. */
const DURATION_SLACK_MS = 1000;
const NOT_TEXT = "not a text file";

// Tab, LF and CR are allowed. NUL and the other C0 controls mean binary data (or a corrupt file).
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;
const WEBVTT_SIGNATURE = /^WEBVTT(?:[ \t]|$)/;
// Blocks WebVTT readers skip. They are recognised only when no timing line is where a cue's would
// be, as in the WebVTT parsing algorithm, so "NOTE" can still be a cue identifier.
const WEBVTT_META_BLOCK = /^(?:NOTE(?:[ \t]|$)|(?:STYLE|REGION)[ \t]*$)/;
const SRT_COUNTER = /^\d+$/;
const NON_BLANK = /\S/; // the same whitespace as trim(), without making a trimmed copy of every line
// Anchored, with one quantifier per group and fixed separators between them, so a long token costs
// one linear pass. Hours may have any number of digits (2 or more in WebVTT); minutes and seconds
// are 00-59; milliseconds are exactly 3 digits.
const VTT_TIMESTAMP = /^(?:(\d{2,}):)?([0-5]\d):([0-5]\d)\.(\d{3})$/;
const SRT_TIMESTAMP = /^(\d+):([0-5]\d):([0-5]\d)[,.](\d{3})$/;
const TIMESTAMP_SHAPE: Record<CaptionFormat, string> = {
  vtt: "HH:MM:SS.mmm or MM:SS.mmm",
  srt: "HH:MM:SS,mmm",
};
/** Text where a cue should start is most often the rest of the cue above, split by a blank line. */
const HINT = "(a blank line inside a cue's text ends the cue)";
const TIMING_EXAMPLE: Record<CaptionFormat, string> = {
  vtt: "00:00:01.000 --> 00:00:04.000",
  srt: "00:00:01,000 --> 00:00:04,000",
};

// SRT extras. Each negated class also stops at the character that opens the construct, so every
// attempt ends at the next opener and a line full of openers is still read in linear time.
const ASS_OVERRIDE = /\{\\[^{}]*\}/g; // {\an8}, {\i1}: styling for ASS renderers
const FONT_TAG = /<\/?font(?:\s[^<>]*)?>/gi; // colours and faces: no WebVTT equivalent
const SRT_STYLE_TAG = /<(\/?)([biu])>/gi; // WebVTT tags are lower case; SRT tools write both

// What a "&" or "<" in cue text may start; any other "&" or "<" is escaped. A character reference,
// and a tag WebVTT knows: an element (b, i, u, c, v, lang, ruby, rt, with classes or an
// annotation), its end tag, or a timestamp tag. Sticky, so each is tried at one position only;
// the one open-ended part, [^<>]*, stops at the next "<", so all the tries together stay linear.
const REFERENCE = /&(?:#\d{1,7}|#[xX][\da-fA-F]{1,6}|[a-zA-Z][a-zA-Z\d]{1,31});/y;
const KNOWN_TAG =
  /<(?:\/(?:b|i|u|c|v|lang|ruby|rt)>|(?:b|i|u|c|v|lang|ruby|rt)(?:[.\s][^<>]*)?>|(?:\d{2,}:)?[0-5]\d:[0-5]\d\.\d{3}>)/y;

const TAG = /<[^<>]*>/g;
const ENTITY = /&(#\d{1,7}|#[xX][\da-fA-F]{1,6}|[a-zA-Z][a-zA-Z\d]{1,31});/g;
// A Map, not an object literal: "&constructor;" must not find Object.prototype.constructor.
const NAMED_ENTITIES = new Map(
  Object.entries({ amp: "&", lt: "<", gt: ">", nbsp: " ", quot: '"', apos: "'", lrm: "", rlm: "" }),
);

/** A problem on one line. Thrown only inside this module: parseCaptions turns it into a result. */
class LineError extends Error {
  readonly line: number;

  constructor(line: number, message: string) {
    super(`line ${line}: ${message}`);
    this.line = line;
  }
}

function fail(line: number, message: string): never {
  throw new LineError(line, message);
}

/** Lines between blank lines, with the number of the first; whitespace-only lines count as blank. */
interface Block {
  line: number;
  lines: string[];
}

interface Collected {
  format: CaptionFormat;
  durationMs: number | null;
  cues: Cue[];
}

export function parseCaptions(bytes: Uint8Array, durationMs: number | null): ParseResult {
  if (bytes.byteLength > MAX_CAPTION_BYTES) {
    return { ok: false, line: null, reason: `the file is larger than ${MAX_CAPTION_BYTES / 1024} KB` };
  }
  const decoded = decodeUtf8(bytes);
  if (decoded === null || CONTROL.test(decoded)) return { ok: false, line: null, reason: NOT_TEXT };
  const text = decoded.replace(/\r\n?/g, "\n");
  if (text.trim() === "") return { ok: false, line: null, reason: "the file is empty" };

  const lines = text.split("\n");
  const format: CaptionFormat = WEBVTT_SIGNATURE.test(lines[0] ?? "") ? "vtt" : "srt";
  const collected: Collected = { format, durationMs, cues: [] };
  try {
    if (format === "vtt") collectWebVtt(blocksOf(lines), collected);
    else collectSrt(blocksOf(lines), collected);
  } catch (error) {
    if (error instanceof LineError) return { ok: false, line: error.line, reason: error.message };
    throw error;
  }
  // No cues at all (a bare "WEBVTT", or only empty cues) is still a valid file: the caller decides.
  return { ok: true, format, cues: collected.cues };
}

/** Null unless the bytes are valid UTF-8. A leading BOM is dropped (that is what ignoreBOM: false means). */
function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return null;
  }
}

function blocksOf(lines: string[]): Block[] {
  const blocks: Block[] = [];
  let current: Block | null = null;
  // An index loop, not entries(): a hostile file can have 500,000 lines.
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (!NON_BLANK.test(line)) {
      current = null;
    } else if (current) {
      current.lines.push(line);
    } else {
      current = { line: i + 1, lines: [line] };
      blocks.push(current);
    }
  }
  return blocks;
}

function collectWebVtt(blocks: Block[], collected: Collected): void {
  const [header, ...rest] = blocks;
  if (header) rejectCueInHeader(header);
  for (const block of rest) {
    // The timing line is the first line, or the second after a cue identifier.
    const timingAt = block.lines[0]?.includes("-->") ? 0 : block.lines[1]?.includes("-->") ? 1 : -1;
    if (timingAt >= 0) {
      addCue(collected, block, timingAt);
    } else if (!WEBVTT_META_BLOCK.test(block.lines[0] ?? "")) {
      fail(block.line, `expected ${timingLike("vtt")} ${HINT}`);
    }
  }
}

/**
 * The header's lines after the signature are metadata ("Kind: captions"). A timing line among them
 * is a cue the creator meant to show, so it is an error rather than something to skip.
 */
function rejectCueInHeader(header: Block): void {
  for (const [i, line] of header.lines.entries()) {
    if (line.includes("-->")) {
      fail(header.line + i, "a blank line must separate the header from the first cue");
    }
  }
}

function collectSrt(blocks: Block[], collected: Collected): void {
  for (const block of blocks) {
    const first = block.lines[0] ?? "";
    // Tools that write SRT sometimes leave the counter out; the timing line is enough.
    if (first.includes("-->")) {
      addCue(collected, block, 0);
      continue;
    }
    if (!SRT_COUNTER.test(first.trim())) {
      fail(block.line, `expected a cue number or ${timingLike("srt")} ${HINT}`);
    }
    if (!block.lines[1]?.includes("-->")) {
      fail(block.line + 1, `expected ${timingLike("srt")} after the cue number`);
    }
    addCue(collected, block, 1);
  }
}

function timingLike(format: CaptionFormat): string {
  return `a timing line like "${TIMING_EXAMPLE[format]}"`;
}

function addCue(collected: Collected, block: Block, timingAt: number): void {
  const { format, durationMs, cues } = collected;
  const line = block.line + timingAt;
  const { startMs, endMs } = parseTiming(block.lines[timingAt] ?? "", line, format);
  const text = cueText(block.lines.slice(timingAt + 1), line + 1, format);
  // A cue with nothing to show is harmless: dropped, not an error.
  if (text === "") return;
  const previous = cues.at(-1);
  if (previous && startMs < previous.startMs) {
    fail(
      line,
      `the cue starts at ${vttTimestamp(startMs)}, before the cue above it (${vttTimestamp(previous.startMs)}); cues must be in order of start time`,
    );
  }
  if (durationMs !== null && endMs > durationMs + DURATION_SLACK_MS) {
    fail(line, `the cue ends at ${vttTimestamp(endMs)}, but the video is ${vttTimestamp(durationMs)} long`);
  }
  if (cues.length === MAX_CUES) fail(line, `a file may have at most ${MAX_CUES} cues`);
  cues.push({ startMs, endMs, text });
}

function parseTiming(
  line: string,
  lineNumber: number,
  format: CaptionFormat,
): { startMs: number; endMs: number } {
  const arrow = line.indexOf("-->");
  const afterArrow = line.slice(arrow + 3).trimStart();
  const space = afterArrow.search(/\s/);
  // What follows the end time is cue settings (or SRT coordinates): canonical WebVTT has none.
  const endToken = space === -1 ? afterArrow : afterArrow.slice(0, space);
  const startMs = timestampOrFail(line.slice(0, arrow).trim(), "start", lineNumber, format);
  const endMs = timestampOrFail(endToken, "end", lineNumber, format);
  if (endMs <= startMs) {
    fail(lineNumber, `the end ${vttTimestamp(endMs)} is not after the start ${vttTimestamp(startMs)}`);
  }
  return { startMs, endMs };
}

function timestampOrFail(token: string, which: string, line: number, format: CaptionFormat): number {
  const ms = parseTimestamp(token, format);
  if (ms !== null) return ms;
  if (token === "") return fail(line, `the ${which} time is missing`);
  return fail(line, `the ${which} time ${quoted(token)} is not a timestamp (${TIMESTAMP_SHAPE[format]})`);
}

function parseTimestamp(token: string, format: CaptionFormat): number | null {
  const match = (format === "vtt" ? VTT_TIMESTAMP : SRT_TIMESTAMP).exec(token);
  if (!match) return null;
  const [, hours = "0", minutes, seconds, millis] = match;
  const ms = ((Number(hours) * 60 + Number(minutes)) * 60 + Number(seconds)) * 1000 + Number(millis);
  // Hours may have any number of digits, but not so many that milliseconds lose precision.
  return Number.isSafeInteger(ms) ? ms : null;
}

/** A short quotation of what was found: a hostile line can be half a megabyte long. */
function quoted(found: string): string {
  return JSON.stringify(found.length > 40 ? `${found.slice(0, 40)}…` : found);
}

/** The cue's text lines, normalised and escaped; "" when nothing is left to show. */
function cueText(lines: string[], firstLine: number, format: CaptionFormat): string {
  const tooLong = `the cue's text is longer than ${MAX_CUE_TEXT} characters`;
  const kept: string[] = [];
  let units = 0;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? "";
    const line = (format === "srt" ? srtLineToWebVtt(raw) : raw).trim();
    // Checked after SRT's styling is removed: "--{\an8}>" becomes "-->", which a reader (and this
    // parser, reading the stored file back) would take for a timing line.
    if (raw.includes("-->") || line.includes("-->")) {
      fail(firstLine + i, `cue text must not contain "-->" (is a blank line missing before this cue?)`);
    }
    // A line emptied by removing SRT styling would be a blank line inside the cue.
    if (line === "") continue;
    kept.push(line);
    // A code point is at most two UTF-16 units, so past twice the limit the text is too long
    // whatever follows: a hostile cue of 250,000 lines is refused without reading them all.
    units += line.length + 1;
    if (units > 2 * MAX_CUE_TEXT + 1) fail(firstLine, tooLong);
  }
  // Measured as stored, escapes included, so a stored canonical file always parses back.
  const text = escapeCueText(kept.join("\n"));
  if (longerThan(text, MAX_CUE_TEXT)) fail(firstLine, tooLong);
  return text;
}

function srtLineToWebVtt(line: string): string {
  return line
    .replace(ASS_OVERRIDE, "")
    .replace(FONT_TAG, "")
    .replace(SRT_STYLE_TAG, (_, slash: string, name: string) => `<${slash}${name.toLowerCase()}>`);
}

/** Whether text has more than max code points, without counting past max + 1. */
function longerThan(text: string, max: number): boolean {
  if (text.length <= max) return false; // UTF-16 units are never fewer than code points
  let count = 0;
  for (const _ of text) {
    if (++count > max) return true;
  }
  return false;
}

/**
 * Escapes what a WebVTT reader would not show as written: a bare "&", and "<" that opens no known
 * tag. One scan, trying a sticky regex only at "&" and "<": a global replace with lookaheads took
 * about three times as long on a file of nothing but "<&".
 */
function escapeCueText(text: string): string {
  let escaped = "";
  let copied = 0;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char !== "&" && char !== "<") continue;
    const allowed = char === "&" ? REFERENCE : KNOWN_TAG;
    allowed.lastIndex = i;
    if (allowed.test(text)) continue;
    escaped += `${text.slice(copied, i)}${char === "&" ? "&amp;" : "&lt;"}`;
    copied = i + 1;
  }
  return escaped + text.slice(copied);
}

/** HH:MM:SS.mmm, hours with two digits or more. */
function vttTimestamp(ms: number): string {
  const whole = Math.max(0, Math.round(ms));
  const pad = (n: number, width: number) => String(n).padStart(width, "0");
  const hours = Math.floor(whole / 3_600_000);
  const minutes = Math.floor(whole / 60_000) % 60;
  const seconds = Math.floor(whole / 1000) % 60;
  return `${pad(hours, 2)}:${pad(minutes, 2)}:${pad(seconds, 2)}.${pad(whole % 1000, 3)}`;
}

/** Canonical WebVTT: the signature, then each cue as its timing line and text, without identifiers or settings. */
export function toWebVtt(cues: Cue[]): string {
  const blocks = cues.map(
    (cue) => `${vttTimestamp(cue.startMs)} --> ${vttTimestamp(cue.endMs)}\n${cue.text}\n\n`,
  );
  return `WEBVTT\n\n${blocks.join("")}`;
}

/** All the words people read, as one line for full-text search: no tags, references decoded. */
export function captionText(cues: Cue[]): string {
  // Tags first, then references, so an escaped "&lt;b>" stays the text "<b>".
  const words = cues.map((cue) => cue.text.replace(TAG, "").replace(ENTITY, decodeEntity));
  return words.join(" ").replace(/\s+/g, " ").trim();
}

function decodeEntity(reference: string, name: string): string {
  if (!name.startsWith("#")) return NAMED_ENTITIES.get(name) ?? reference;
  const hex = name[1] === "x" || name[1] === "X";
  const codePoint = Number.parseInt(name.slice(hex ? 2 : 1), hex ? 16 : 10);
  // NUL, lone surrogates and numbers past Unicode decode to nothing a person could search for.
  const decodable = codePoint > 0 && codePoint <= 0x10ffff && (codePoint < 0xd800 || codePoint > 0xdfff);
  return decodable ? String.fromCodePoint(codePoint) : reference;
}
