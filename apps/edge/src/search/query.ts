/**
 * Turning what a user typed into an FTS5 MATCH expression that can never be a syntax error.
 *
 * The text is NFC-normalised and cut into words (runs of letters, digits, marks and private-use
 * characters, roughly what the `unicode61` tokenizer keeps); everything else (quotes, `*`, `-`,
 * parentheses, `NEAR(`, `:`, emoji...) is a separator, as it is for the tokenizer at index time.
 * Each word becomes a quoted FTS5 string (a `"` inside would be doubled, though words never hold
 * one), so FTS5 operators typed by the user are only ever text; the words are ANDed (implicit), and
 * the last one is a prefix query (`"word"*`) so results follow the typing.
 */

/** At most this many words are searched for; the rest of a long query is ignored. */
export const MAX_TERMS = 12;

const WORD = /[\p{L}\p{N}\p{M}\p{Co}]+/gu;
/** A word must hold a letter, digit or private-use character (a lone combining mark is no token). */
const HAS_TOKEN = /[\p{L}\p{N}\p{Co}]/u;

/** The words of a query, in order, without repeats. */
export function searchTerms(text: string): string[] {
  const words = text.normalize("NFC").toLowerCase().match(WORD) ?? [];
  return [...new Set(words.filter((w) => HAS_TOKEN.test(w)))].slice(0, MAX_TERMS);
}

const quote = (term: string) => `"${term.replaceAll('"', '""')}"`;

/**
 * The MATCH expression for `terms` (null when there are none: nothing can match), optionally
 * restricted to one column of `video_search`.
 */
export function matchExpression(terms: string[], column?: "title" | "tags" | "channel_name"): string | null {
  if (terms.length === 0) return null;
  const phrases = terms.map((t, i) => (i === terms.length - 1 ? `${quote(t)}*` : quote(t)));
  return column ? phrases.map((p) => `{${column}} : ${p}`).join(" AND ") : phrases.join(" ");
}
