import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { storeUnavailable } from "../lib/db-errors";
import { AppError, problemResponse } from "../lib/errors";
import type { AppEnv } from "../types";

/**
 * How long a client waits before sending a request again whose D1 or R2 call failed for the store's
 * reasons: D1 and R2 recover from an overload or a reset within seconds.
 */
export const STORE_RETRY_AFTER_SECONDS = 2;

/** Maps anything thrown to a problem document. Nothing a client sends may produce a 500. */
export const onError: ErrorHandler<AppEnv> = (err, c) => {
  const appError = toAppError(err);
  // A request shed for load (503 unavailable, no cause) is the platform working as meant, not an
  // error to log once per refused request while over capacity.
  const shed = appError.code === "unavailable" && appError.cause === undefined;
  if (appError.status >= 500 && !shed) {
    c.var.log?.("error", {
      event: appError.code === "unavailable" ? "store-unavailable" : "unhandled-error",
      error: describeError(err),
    });
  }
  return withContextHeaders(c, problemResponse(appError, c.var.requestId, new URL(c.req.url).pathname));
};

/**
 * An error for the log, with its chain of causes: drizzle wraps what D1 said ("Failed query: …")
 * and keeps D1's own message only in `cause`.
 */
function describeError(err: unknown, depth = 0): unknown {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause !== undefined && depth < 3 ? describeError(err.cause, depth + 1) : undefined;
  return {
    name: err.name,
    message: err.message,
    stack: err.stack,
    ...(cause === undefined ? {} : { cause }),
  };
}

export const notFound: NotFoundHandler<AppEnv> = (c) =>
  problemResponse(
    new AppError("not_found", `No route matches ${c.req.method} ${new URL(c.req.url).pathname}`),
    c.var.requestId,
  );

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof HTTPException) {
    if (err.status === 413) return new AppError("payload_too_large");
    if (err.status === 415)
      return new AppError("unsupported_media_type", "Send the body as application/json");
    if (/json/i.test(err.message)) return new AppError("malformed_json", err.message);
    if (/content-type/i.test(err.message)) return new AppError("unsupported_media_type", err.message);
    if (err.status === 401) return new AppError("unauthenticated", err.message);
    if (err.status < 500) return new AppError("bad_request", err.message);
  }
  // D1 or R2 failed for its own reasons (overloaded, reset, connection lost): not a bug, and the
  // request can be sent again, since writes that span tables are one batch and either all landed
  // or none did. Constraint violations the services map, and programming errors, are not this.
  if (storeUnavailable(err)) {
    return new AppError("unavailable", "A store we depend on failed for a moment; try again shortly", {
      cause: err,
      headers: { "retry-after": String(STORE_RETRY_AFTER_SECONDS) },
    });
  }
  return new AppError("internal", "Something went wrong on our side. It has been logged.", { cause: err });
}

function withContextHeaders(c: Context<AppEnv>, res: Response): Response {
  // Headers set on the context (request id, CORS) must survive the fresh problem response.
  c.res.headers.forEach((value, key) => {
    if (key !== "content-type" && key !== "content-length" && !res.headers.has(key))
      res.headers.set(key, value);
  });
  return res;
}
