/** One field the API refused, as in the problem's `errors`: `body.title`, `query.limit`… */
export interface FieldProblem {
  path: string;
  message: string;
}

/**
 * Every API error: the problem document (RFC 9457) the edge answered with, as an exception.
 * `code` is the edge's closed set (`validation_failed`, `not_found`, `rate_limited`…) and is what to
 * branch on; `title` and `detail` are for people.
 */
export class MarqueeApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail?: string;
  readonly errors?: FieldProblem[];
  readonly requestId?: string;
  /** Seconds, from a 429's or 503's Retry-After. */
  readonly retryAfter?: number;

  constructor(status: number, problem: Record<string, unknown>, retryAfter?: number) {
    const title = typeof problem.title === "string" ? problem.title : `HTTP ${status}`;
    const detail = typeof problem.detail === "string" ? problem.detail : undefined;
    super(`${status} ${title}${detail ? `: ${detail}` : ""}`);
    this.name = "MarqueeApiError";
    this.status = status;
    this.code = typeof problem.code === "string" ? problem.code : "unknown";
    this.title = title;
    this.detail = detail;
    this.errors = Array.isArray(problem.errors) ? (problem.errors as FieldProblem[]) : undefined;
    this.requestId = typeof problem.requestId === "string" ? problem.requestId : undefined;
    this.retryAfter = retryAfter;
  }
}
