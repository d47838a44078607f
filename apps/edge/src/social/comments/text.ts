/**
 * Pure text rules of comments: @handle mentions, watched-word matching, excerpts. No I/O here, so
 * the rules are unit-tested directly (text.test.ts).
 */

/** At most this many distinct handles of one comment become a `mention` event. */
export const MAX_MENTIONS = 10;

/**
 * `@handle` where handle is a channel handle (3–30 of a-z, 0-9, _), not glued to a word before it
 * (so `ada@example.com` is an email, not a mention) nor followed by more handle characters.
 */
const MENTION = /(?<![\p{L}\p{N}_@.+-])@([A-Za-z0-9_]{3,30})(?![A-Za-z0-9_])/gu;

/** Distinct lower-cased handles mentioned in `body`, in order of first appearance. */
export function parseMentions(body: string): string[] {
  const seen = new Set<string>();
  for (const match of body.matchAll(MENTION)) {
    const handle = (match[1] ?? "").toLowerCase();
    if (handle) seen.add(handle);
    if (seen.size >= MAX_MENTIONS) break;
  }
  return [...seen];
}

/**
 * The canonical form watched words are stored and compared in: Unicode NFKC (so full-width and
 * compatibility forms fold into plain letters), lower case, runs of whitespace as one space.
 */
export function normaliseForMatching(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/\s+/gu, " ").trim();
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");

/**
 * The first watched word (or phrase) that occurs in `body` as a whole word, case-insensitively, or
 * null. "Whole word": not preceded or followed by a letter, digit or underscore, so the word "ass"
 * does not hold "classic". Words must already be normalised (normaliseForMatching).
 */
export function findWatchedWord(body: string, words: readonly string[]): string | null {
  if (words.length === 0) return null;
  // Longest first, so a phrase wins over a word it starts with.
  const alternatives = [...new Set(words)]
    .filter((w) => w.length > 0)
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp);
  if (alternatives.length === 0) return null;
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${alternatives.join("|")})(?![\\p{L}\\p{N}_])`, "u");
  const match = pattern.exec(normaliseForMatching(body));
  return match ? match[0] : null;
}

/** A short preview of a comment for notifications: at most `max` code points, on one line. */
export function excerpt(body: string, max = 140): string {
  const oneLine = body.replace(/\s+/gu, " ").trim();
  const chars = Array.from(oneLine);
  return chars.length <= max ? oneLine : `${chars.slice(0, max - 1).join("")}…`;
}
