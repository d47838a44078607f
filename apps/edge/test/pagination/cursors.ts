/**
 * Cursors a list never handed out, made from nothing or from its own real one (the real cursors of
 * the other lists are tried by pagination.test.ts itself).
 */
const b64url = (text: string) => btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/**
 * `cursor` with the character at `index` replaced by its neighbour in the base64url alphabet (the
 * lowest of the six bits it carries flipped): one decoded byte changes by 4, so a letter stays
 * printable. Index 0 carries the opening `{`; index 8 the first letter of the list's kind (`k`),
 * as pagination.ts's `{"k":"…",…}` encodes.
 */
export function withOneByteChanged(cursor: string, index: number): string {
  const at = Math.min(index, cursor.length - 1);
  const value = ALPHABET.indexOf(cursor[at] ?? "A");
  return `${cursor.slice(0, at)}${ALPHABET[value ^ 1]}${cursor.slice(at + 1)}`;
}

export interface Tamper {
  name: string;
  /** The real cursor it is made from: this list's, or none. */
  from: "none" | "own";
  make: (real: string) => string;
}

export const TAMPERS: Tamper[] = [
  { name: "garbage", from: "none", make: () => "!!" },
  {
    name: "valid base64url JSON of another list's kind",
    from: "none",
    make: () => b64url(JSON.stringify({ k: "other", t: 1, i: "x" })),
  },
  {
    name: "its own real cursor with the opening byte changed",
    from: "own",
    make: (real) => withOneByteChanged(real, 0),
  },
  {
    name: "its own real cursor with a byte of its kind changed",
    from: "own",
    make: (real) => withOneByteChanged(real, 8),
  },
];

/** `path` with `query` added to what it has. */
export function withQuery(path: string, query: Record<string, string>): string {
  const url = new URL(path, "http://x");
  for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
  return `${url.pathname}${url.search}`;
}
