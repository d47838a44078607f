/**
 * D1 reports constraint violations as errors whose message names the constraint; drizzle wraps
 * them ("Failed query: ...") with the original as `cause`. Walk the chain to find it.
 */
function firstMatch(error: unknown, pattern: RegExp): RegExpExecArray | null {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const match = pattern.exec(e instanceof Error ? e.message : String(e));
    if (match) return match;
    if (!(e instanceof Error)) break;
  }
  return null;
}

/** The column a UNIQUE constraint failed on (`table.column`), or null for any other error. */
export function uniqueViolation(error: unknown): string | null {
  const match = firstMatch(error, /UNIQUE constraint failed: ([\w.]+)/);
  return match ? (match[1] ?? "") : null;
}

/** Whether a FOREIGN KEY constraint failed (the row referred to is gone). */
export function foreignKeyViolation(error: unknown): boolean {
  return firstMatch(error, /FOREIGN KEY constraint failed/i) !== null;
}
