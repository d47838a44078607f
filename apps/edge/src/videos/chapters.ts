/**
 * Chapters from a video's description: lines that start with a time (`0:00 Intro`, `1:02:03 - The
 * end`). They make chapters only all together and only when they follow the rules people know from
 * other platforms, so a description that merely mentions times gets none:
 * - the first chapter starts at 0:00, and there are at least two;
 * - they ascend, each at least CHAPTER_MIN_SECONDS after the one before;
 * - none starts at or after the end of the video (when its duration is known);
 * - a title is the rest of the line, without a leading separator (`-`, `–`, `—`, `:`, `|`), cut to
 *   CHAPTER_TITLE_MAX characters; a time with no title is not a chapter line.
 * A line that is not a chapter line is ignored; one chapter line that breaks a rule means no chapters.
 */
export const CHAPTER_MIN_SECONDS = 10;
export const CHAPTER_TITLE_MAX = 100;
/** More lines than any description holds (5,000 characters); a bound on the work all the same. */
const MAX_CHAPTERS = 500;

export interface Chapter {
  startSeconds: number;
  title: string;
}

// h:mm:ss, m:ss or mm:ss, then space and a title. Minutes and seconds under 60; hours to 99.
// A colon straight after the time must be followed by a space (`1:02:03: Questions`), so `1:00:5`
// is no time at all rather than 1:00 titled "5".
const LINE = /^\s*(?:(\d{1,2}):([0-5]\d)|(\d{1,2})):([0-5]\d)(?::\s+|\s+)(.+?)\s*$/;
const SEPARATOR = /^[-–—:|]\s*/;

function chapterLine(line: string): Chapter | null {
  const m = LINE.exec(line);
  if (!m) return null;
  const [, hours, hourMinutes, minutes, seconds, rest = ""] = m;
  const minutesPart = hours !== undefined ? Number(hourMinutes) : Number(minutes);
  if (hours === undefined && Number(minutes) >= 60) return null;
  const startSeconds = Number(hours ?? 0) * 3600 + minutesPart * 60 + Number(seconds);
  const title = [...rest.replace(SEPARATOR, "").trim()].slice(0, CHAPTER_TITLE_MAX).join("").trim();
  return title ? { startSeconds, title } : null;
}

export function parseChapters(description: string, durationMs: number | null = null): Chapter[] {
  const chapters: Chapter[] = [];
  for (const line of description.split(/\r?\n/)) {
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
