import type { ContentfulStatusCode } from "hono/utils/http-status";

/**
 * The closed set of error codes the API can answer with. Each maps to exactly one HTTP status
 * and one human title; `type` in the problem document is derived from the code so clients can
 * switch on it without parsing prose.
 */
export const ERROR_CODES = {
  bad_request: { status: 400, title: "Bad request" },
  validation_failed: { status: 400, title: "Your request is not valid" },
  malformed_json: { status: 400, title: "The request body is not valid JSON" },
  unauthenticated: { status: 401, title: "Authentication required" },
  invalid_credentials: { status: 401, title: "Wrong email or password" },
  invalid_token: { status: 401, title: "The token is invalid or expired" },
  forbidden: { status: 403, title: "You are not allowed to do this" },
  /** The account's plan does not include this (a premium video, a rendition): `requiredPlan` says which would. */
  plan_required: { status: 403, title: "Your plan does not include this" },
  /** An admin suspended the account (docs/moderation.md): sign-in and refresh are refused. */
  account_suspended: { status: 403, title: "This account is suspended" },
  /** Strikes froze the channel's uploads: `frozenUntil` says until when (docs/moderation.md). */
  uploads_frozen: { status: 403, title: "Uploads are frozen on this channel" },
  not_found: { status: 404, title: "Not found" },
  method_not_allowed: { status: 405, title: "Method not allowed" },
  conflict: { status: 409, title: "Conflict" },
  limit_reached: { status: 409, title: "Limit reached" },
  /** The plan's concurrent streams are all in use: `activeStreams` lists them. */
  too_many_streams: { status: 409, title: "Too many streams at once" },
  gone: { status: 410, title: "Gone" },
  payload_too_large: { status: 413, title: "The request body is too large" },
  unsupported_media_type: { status: 415, title: "Unsupported content type" },
  range_not_satisfiable: { status: 416, title: "Range not satisfiable" },
  rate_limited: { status: 429, title: "Too many requests" },
  delivery_failed: { status: 502, title: "A downstream service failed" },
  /**
   * A payment provider timed out or could not be reached (the call is safe to retry), or the
   * provider is not configured on this deployment (no keys: checkout through it is refused).
   */
  provider_unavailable: { status: 503, title: "A payment provider is unavailable; try again" },
  /**
   * The edge is over capacity (more requests in flight than it serves promptly) or a store it needs
   * failed for a moment: nothing was done, and `Retry-After` says when to try again.
   */
  unavailable: { status: 503, title: "The service is busy or briefly unavailable; try again" },
  misconfigured: { status: 500, title: "The server is misconfigured" },
  internal: { status: 500, title: "Internal error" },
} as const satisfies Record<string, { status: ContentfulStatusCode; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface FieldError {
  /** JSON-pointer-like path of the offending field, e.g. `body.email`. */
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: ContentfulStatusCode;
  readonly detail: string | undefined;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string> | undefined;
  /** RFC 9457 extension members added to the problem document (e.g. `activeStreams`). */
  readonly extensions: Record<string, unknown> | undefined;

  constructor(
    code: ErrorCode,
    detail?: string,
    options: {
      errors?: FieldError[];
      headers?: Record<string, string>;
      extensions?: Record<string, unknown>;
      cause?: unknown;
    } = {},
  ) {
    super(detail ?? ERROR_CODES[code].title, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.detail = detail;
    this.errors = options.errors;
    this.headers = options.headers;
    this.extensions = options.extensions;
  }
}

export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code: ErrorCode;
  requestId?: string;
  errors?: FieldError[];
  [extension: string]: unknown;
}

export function problemOf(error: AppError, requestId?: string, instance?: string): ProblemDocument {
  return {
    // Extensions first, so they can never overwrite a standard member.
    ...error.extensions,
    type: `https://marquee.dev/problems/${error.code.replaceAll("_", "-")}`,
    title: ERROR_CODES[error.code].title,
    status: error.status,
    code: error.code,
    ...(error.detail ? { detail: error.detail } : {}),
    ...(instance ? { instance } : {}),
    ...(requestId ? { requestId } : {}),
    ...(error.errors ? { errors: error.errors } : {}),
  };
}

export function problemResponse(error: AppError, requestId?: string, instance?: string): Response {
  const headers = new Headers({ "content-type": "application/problem+json" });
  for (const [k, v] of Object.entries(error.headers ?? {})) headers.set(k, v);
  return new Response(JSON.stringify(problemOf(error, requestId, instance)), {
    status: error.status,
    headers,
  });
}
