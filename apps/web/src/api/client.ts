/**
 * The one way the web app talks to the API: openapi-fetch over types generated from the edge's
 * openapi.json (scripts/gen-api-types.ts), so a request or response that drifts from the API's
 * declared shape is a type error. The middleware adds the bearer token, refreshes it once on 401
 * and turns problem+json answers into `ApiProblem`s the pages show as title/detail.
 */
import createClient, { type Middleware } from "openapi-fetch";
import { bookmarkMiddleware } from "../lib/d1Bookmark";
import { session } from "../lib/session";
import type { paths } from "./schema";

export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  /** The API's closed error code (`plan_required`, `too_many_streams`…): what a page branches on. */
  code?: string;
  errors?: { path?: string; message: string }[];
  /** RFC 9457 extension members (`requiredPlan`, `activeStreams`…), read through lib helpers that check them. */
  [extension: string]: unknown;
}

export class ApiProblem extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ? `${problem.title}: ${problem.detail}` : problem.title);
  }
}

/**
 * The problem details of a failed call. openapi-fetch has already read the body into `error`
 * (parsed JSON, or the text when it isn't JSON), so the response body is not read again.
 */
function problemOf(error: unknown, res: Response): Problem {
  if (error && typeof error === "object" && typeof (error as Partial<Problem>).title === "string")
    return { ...(error as Problem), status: res.status };
  const text = typeof error === "string" ? error : "";
  return {
    title: res.statusText || "Request failed",
    status: res.status,
    ...(text ? { detail: text.slice(0, 200) } : {}),
  };
}

/**
 * Unsent copies of requests, for the one replay after a token refresh: fetch consumes a request's
 * body, so a POST/PUT/PATCH can only be sent again from a copy taken before it went out.
 */
const replayable = new WeakMap<Request, Request>();

const auth: Middleware = {
  async onRequest({ request }) {
    const token = session.accessToken();
    if (token && !request.headers.has("authorization"))
      request.headers.set("authorization", `Bearer ${token}`);
    if (token) replayable.set(request, request.clone());
    return request;
  },
  async onResponse({ request, response }) {
    const copy = replayable.get(request);
    replayable.delete(request);
    if (response.status === 401 && copy && !request.url.includes("/auth/")) {
      // The access token expired: refresh once and replay the request.
      const refreshed = await session.refresh();
      if (refreshed) {
        copy.headers.set("authorization", `Bearer ${refreshed}`);
        return fetch(copy);
      }
    }
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin });
// The bookmark first: auth's replay copy is taken after it set the header, and its onResponse runs
// last (openapi-fetch runs them in reverse), so it keeps the replayed response's bookmark.
api.use(bookmarkMiddleware());
api.use(auth);

/**
 * Unwraps an openapi-fetch result: the data, or an ApiProblem carrying the API's problem details.
 * `await must(api.GET("/api/v1/me"))`.
 */
export async function must<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (error !== undefined || !response.ok) throw new ApiProblem(problemOf(error, response));
  return data as T;
}
