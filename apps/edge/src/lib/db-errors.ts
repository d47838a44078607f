/**
 * D1 reports constraint violations as errors whose message names the constraint; drizzle wraps
 * them ("Failed query: ...") with the original as `cause`. Walk the chain to find it, skipping
 * drizzle's wrapper: its params carry user text, which could otherwise name any constraint.
 */
function firstMatch(error: unknown, pattern: RegExp): RegExpExecArray | null {
  for (const message of messagesOf(error)) {
    const match = pattern.exec(message);
    if (match) return match;
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

/**
 * What a store says when the fault is its own, not the query's: the connection to the database
 * dropped, the database is overloaded or was reset mid-operation, a replica could not be reached.
 * workerd prefixes D1's own errors with `D1_ERROR:`, but a dropped connection can surface bare.
 */
const STORE_TRANSIENT =
  /network connection lost|overloaded|too many requests queued|storage operation exceeded|caused object to be reset|transient issue|exceeded its memory limit|SQLITE_BUSY|database is locked/i;

/**
 * How a store's own bare message begins (without workerd's `D1_ERROR:`). STORE_TRANSIENT is only
 * believed after one of these, so an unrelated error quoting user text ("…'overloaded' is not valid
 * JSON") stays the 500 it is.
 */
const STORE_MESSAGE_START =
  /^(?:D1 DB\b|Network connection lost|Internal error\b|Durable Object\b|SQLITE_BUSY|database is locked)/i;

/**
 * SQLite's (and D1's) verdicts on the statement itself: a retry would fail alike, so these are
 * constraint mappings (409) or programming errors (500), never 503.
 */
const STATEMENT_FAULT =
  /constraint failed|SQLITE_CONSTRAINT|SQLITE_ERROR|SQLITE_MISMATCH|SQLITE_RANGE|SQLITE_TOOBIG|no such (?:table|column)|syntax error|D1_TYPE_ERROR|D1_COLUMN_NOTFOUND|D1_EXEC_ERROR/i;

/** R2 binding errors read `<operation>: <message> (<code>)`. */
const R2_ERROR =
  /^(?:get|put|head|list|delete|createMultipartUpload|uploadPart|completeMultipartUpload|abortMultipartUpload|resumeMultipartUpload|complete|abort)\b.*\((\d+)\)\s*$/;

/**
 * R2 codes that blame the request (no such key or upload, a bad name, a part too small or too
 * large, a failed precondition or range): the store answered, a retry would not help.
 */
const R2_REQUEST_FAULT_CODES = new Set([10007, 10011, 10012, 10020, 10024, 10025, 10031, 10039]);

/**
 * The messages down an error's chain of causes, without drizzle's wrapper ("Failed query: <sql>
 * params: <values>"): its params carry user text, which must not decide how an error is classified.
 */
function messagesOf(error: unknown): string[] {
  const out: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const message = e instanceof Error ? e.message : String(e);
    if (!message.startsWith("Failed query:")) out.push(message);
    if (!(e instanceof Error)) break;
  }
  return out;
}

/**
 * Whether a D1 or R2 call failed for the store's reasons, not the client's nor the code's. The
 * request can be sent again (writes that span tables are one batch: nothing was half-written), so
 * the answer is 503 with Retry-After rather than 500. Walks drizzle's wrapping (`cause`) down to
 * what the binding said.
 */
export function storeUnavailable(error: unknown): boolean {
  const messages = messagesOf(error);
  if (messages.some((m) => STATEMENT_FAULT.test(m))) return false;
  return messages.some((m) => {
    const r2 = R2_ERROR.exec(m);
    if (r2) return !R2_REQUEST_FAULT_CODES.has(Number(r2[1]));
    return /^D1_ERROR\b/.test(m) || (STORE_MESSAGE_START.test(m) && STORE_TRANSIENT.test(m));
  });
}
