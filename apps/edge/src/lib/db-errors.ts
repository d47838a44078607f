/**
 * D1 reports constraint violations as errors whose message names the constraint; drizzle wraps
 * them ("Failed query: ...") with the original as `cause`. Walk the chain to find it.
 */
export function uniqueViolation(error: unknown): string | null {
  for (let e: unknown = error; e; e = (e as { cause?: unknown }).cause) {
    const message = e instanceof Error ? e.message : String(e);
    const match = /UNIQUE constraint failed: ([\w.]+)/.exec(message);
    if (match) return match[1] ?? "";
    if (!(e instanceof Error)) break;
  }
  return null;
}
