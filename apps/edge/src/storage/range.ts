/** Single byte ranges (RFC 9110 §14): what part of an object of `size` bytes a `Range` header asks for. */
export interface ByteRange {
  offset: number;
  length: number;
}

const SINGLE_RANGE = /^bytes=(\d{0,15})-(\d{0,15})$/;

/**
 * Returns the range to serve, `"unsatisfiable"` when it lies wholly past the end (answer 416), or
 * null to serve the whole object: no header, a syntax we do not support (several ranges, other
 * units), or an invalid one — RFC 9110 lets a server ignore those.
 */
export function parseRange(
  header: string | null | undefined,
  size: number,
): ByteRange | "unsatisfiable" | null {
  if (!header) return null;
  const m = SINGLE_RANGE.exec(header.trim());
  if (!m) return null;
  const [, first = "", last = ""] = m;
  if (first === "" && last === "") return null;
  if (first === "") {
    // Suffix range: the last N bytes.
    const n = Number(last);
    if (n === 0 || size === 0) return "unsatisfiable";
    const length = Math.min(n, size);
    return { offset: size - length, length };
  }
  const start = Number(first);
  if (last !== "" && Number(last) < start) return null;
  if (start >= size) return "unsatisfiable";
  const end = last === "" ? size - 1 : Number(last);
  return { offset: start, length: Math.min(end, size - 1) - start + 1 };
}
