/**
 * Chapters from a video's description: lines that start with a time (`0:00 Intro`, `1:02:03 - The
 * end`). They make chapters only all together and only when they follow the rules people know from
 * other platforms, so a description that merely mentions times gets none:
 * - the first chapter starts at 0:00, and there are at least two;
 * - they ascend, each at least CHAPTER_MIN_SECONDS after the one before;
 * - none starts at or after the end of the video (when its duration is known);
 * - a title is the rest of the line, without a leading separator (`-`, `–`, `—`, `:`, `|`), cut to
 *   CHAPTER_TITLE_MAX characters (graphemes); a time with no title, or a line over LINE_MAX
 *   characters, is not a chapter line.
 * A line that is not a chapter line is ignored; one chapter line that breaks a rule means no chapters.
 */
export const CHAPTER_MIN_SECONDS = 10;
export const CHAPTER_TITLE_MAX = 100;
/** A bound on the chapters of one description (5,000 characters hold up to ~700 chapter lines). */
const MAX_CHAPTERS = 500;

export interface Chapter {
  startSeconds: number;
  title: string;
}

// h:mm:ss, m:ss or mm:ss, then space and a title. Minutes and seconds under 60; hours to 99.
// Only the line's start is matched (the title is the rest of the line), with [ \t] rather than \s:
// a pattern that ran to the end of the line with \s backtracked in cubic time on a long line of
// spaces with a stray \r in it (a 5,000-character description took seconds). A colon straight
// after the time must be followed by a space (\`1:02:03: Questions\`), so \`1:00:5\` is no time at all
// rather than 1:00 titled "5". Hours to 99; minutes and seconds under 60.
const LINE_START = /^[ \t]*(?:(\d{1,2}):([0-5]\d)|(\d{1,2})):([0-5]\d)(?::[ \t]+|[ \t]+)/;
/** Longer lines are prose, not chapter lines: a bound on the work per line as well. */
const LINE_MAX = 600;
/** What ends a line: the Unicode line and paragraph separators too, which a browser shows as breaks. */
const LINE_BREAK = /\r\n|[\n\r\u2028\u2029]/;
const SEPARATOR = /^[-–—:|]\s*/;

function chapterLine(line: string): Chapter | null {
  if (line.length > LINE_MAX) return null;
  const m = LINE_START.exec(line);
  if (!m) return null;
  const [matched, hours, hourMinutes, minutes, seconds] = m;
  if (hours === undefined && Number(minutes) >= 60) return null;
  const minutesPart = hours !== undefined ? Number(hourMinutes) : Number(minutes);
  const startSeconds = Number(hours ?? 0) * 3600 + minutesPart * 60 + Number(seconds);
  const rest = line.slice(matched.length).trim().replace(SEPARATOR, "").trim();
  // Cut by grapheme, so an emoji or an accented letter is never split in two.
  const graphemes = [...new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(rest)];
  const title = graphemes
    .slice(0, CHAPTER_TITLE_MAX)
    .map((g) => g.segment)
    .join("")
    .trim();
  return title ? { startSeconds, title } : null;
}

export function parseChapters(description: string, durationMs: number | null = null): Chapter[] {
  const chapters: Chapter[] = [];
  for (const line of description.split(LINE_BREAK)) {
    const chapter = chapterLine(line);
    if (!chapter) continue;
    if (chapters.length === MAX_CHAPTERS) return [];
    chapters.push(chapter);
  }
  if (chapters.length < 2 || chapters[0]?.startSeconds !== 0) return [];
  for (let i = 1; i < chapters.length; i++) {
    const gap = (chapters[i]?.startSeconds ?? 0) - (chapters[i - 1]?.startSeconds ?? 0);
    if (gap < CHAPTER_MIN_SECONDS) return [];
  }
  const last = chapters[chapters.length - 1];
  if (durationMs !== null && last && last.startSeconds * 1000 >= durationMs) return [];
  return chapters;
}
