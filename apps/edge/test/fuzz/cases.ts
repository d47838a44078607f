/**
 * Generates bad requests for one OpenAPI operation. Every case is data (method, url, headers,
 * body, which credentials to use, what statuses are acceptable); the test sends them and checks
 * the invariants that hold for any response. Generation is deterministic for a given seed.
 */
import { MAX_WEBHOOK_BYTES } from "../../src/billing/webhooks";
import { MAX_CAPTION_BYTES } from "../../src/captions/parse";
import { CAPTION_UPLOAD_PATH } from "../../src/captions/routes";
import { MAX_INTERNAL_BODY_BYTES } from "../../src/jobs/routes";
import { MAX_PAYOUTS_BODY_BYTES } from "../../src/payouts/internal-routes";
import { ACKNOWLEDGES_ANY_PATH_VALUE } from "./ads";
import { addBodyCases, byteLength } from "./body-cases";
import { type Operation, sampleFor } from "./openapi";
import type { Rng } from "./prng";
import { badPathValues, badStrings, queryValues, wrongTypes } from "./values";

/** "valid": a live token for the operation; "none": no Authorization header; otherwise a bad variant. */
export type AuthKind = "valid" | "none" | `bad:${string}`;

export interface FuzzCase {
  op: string;
  name: string;
  method: string;
  /** Path and query, already percent-encoded the way the case wants it on the wire. */
  url: string;
  auth: AuthKind;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  /** Send the body as a stream, so it arrives without a Content-Length. */
  stream?: boolean;
  /** When set, the status must be one of these. */
  expect?: number[];
  /** When set, the status must not be one of these. */
  reject?: number[];
  /** The x-request-id the response must echo back. */
  echoRequestId?: string;
  /** For `auth: "valid"`: this token instead of the operation's usual one. */
  token?: string;
}

export interface FuzzContext {
  rng: Rng;
  /** Path parameter values that exist for the fuzzing account, so body cases reach the handler. */
  validParams: Record<string, string>;
  /** Bad credentials the test knows how to build (see auth.ts); `certain`: the answer must be 401. */
  badAuth: readonly { name: string; certain: boolean }[];
  /** Strings worth trying anywhere: real emails, handles and ids of seeded things. */
  dictionary: readonly string[];
  maxBodyBytes: number;
  /** Operations get at least this many cases; random combinations fill the gap. */
  minCases: number;
  /** Every method of the operation's path, to know which ones are unsupported. */
  pathMethods: readonly string[];
}

const JSON_CT = "application/json";
/** The origin's /internal API takes larger bodies than the public API (apps/edge/src/jobs/routes.ts). */
const INTERNAL_MAX_BODY_BYTES = MAX_INTERNAL_BODY_BYTES;

// ---------------------------------------------------------------------------------------------
// Case building
// ---------------------------------------------------------------------------------------------

export interface Parts {
  name: string;
  method?: string;
  params?: Record<string, string>;
  query?: string;
  body?: string | Uint8Array;
  /** null: send no Content-Type at all. */
  contentType?: string | null;
  stream?: boolean;
  headers?: Record<string, string>;
  auth?: AuthKind;
  expect?: number[];
  reject?: number[];
  echoRequestId?: string;
}

export function generateCases(op: Operation, ctx: FuzzContext): FuzzCase[] {
  const { rng } = ctx;
  const defaultAuth: AuthKind = op.authenticated ? "valid" : "none";
  const baselineParams = Object.fromEntries(
    op.pathParams.map((p) => [p.name, ctx.validParams[p.name] ?? String(sampleFor(p.schema, rng))]),
  );
  /** A new well-formed body per case (a new email each time, say), so one case cannot spoil the next. */
  const freshBody = () => (op.body ? (sampleFor(op.body, rng) as Record<string, unknown>) : {});
  const canHaveBody = op.method !== "GET" && op.method !== "HEAD";
  // Routes behind authentication middleware: users' /api/v1/* and the origin's /internal/*.
  const apiV1 = op.path.startsWith("/api/v1/") || op.path.startsWith("/internal/");
  const underApi = op.path.startsWith("/api/") || op.path.startsWith("/internal/");
  // The body limits app.ts applies: the origin's internal API, provider webhooks, caption files, and JSON elsewhere.
  const limit = op.path.startsWith("/internal/payouts/")
    ? MAX_PAYOUTS_BODY_BYTES
    : op.path.startsWith("/internal/")
      ? INTERNAL_MAX_BODY_BYTES
      : op.path.startsWith("/api/v1/webhooks/")
        ? MAX_WEBHOOK_BYTES
        : CAPTION_UPLOAD_PATH.test(op.path)
          ? MAX_CAPTION_BYTES
          : ctx.maxBodyBytes;

  const build = (p: Parts): FuzzCase => {
    const method = p.method ?? op.method;
    const params = { ...baselineParams, ...p.params };
    const path = op.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? "");
    const auth = p.auth ?? defaultAuth;
    const headers: Record<string, string> = { ...p.headers };
    let body = p.body;
    if (body === undefined && op.body && canHaveBody && method === op.method && p.contentType !== null) {
      body = JSON.stringify(freshBody());
    }
    if (body !== undefined && p.contentType !== null && !("content-type" in headers)) {
      headers["content-type"] = p.contentType ?? JSON_CT;
    }
    // Which answer is certain follows the middleware order: body limit (all /api/*), then
    // authentication (/api/v1/*), then the route's validators.
    let expect = p.expect;
    const reject = p.reject;
    const oversized = body !== undefined && underApi && byteLength(body) > limit;
    if (oversized && !p.stream) expect = [413];
    else if (apiV1 && ctx.badAuth.some((b) => b.certain && auth === `bad:${b.name}`)) expect = [401];
    else if (
      oversized &&
      p.stream &&
      op.body &&
      method === op.method &&
      (auth === "valid" || !op.authenticated)
    ) {
      expect = [413];
    }
    return {
      op: op.id,
      name: p.name,
      method,
      url: path + (p.query ?? ""),
      auth,
      headers,
      ...(body !== undefined ? { body } : {}),
      ...(p.stream ? { stream: true } : {}),
      ...(expect ? { expect } : {}),
      ...(reject ? { reject } : {}),
      ...(p.echoRequestId ? { echoRequestId: p.echoRequestId } : {}),
    };
  };

  const cases: FuzzCase[] = [];
  const add = (p: Parts) => cases.push(build(p));

  // --- credentials -------------------------------------------------------------------------
  add({ name: "baseline", auth: defaultAuth });
  // No expectation: some routes declare bearer security yet also serve anonymous callers (public
  // content); which routes must refuse whom is the authorization matrix's job.
  add({ name: "auth: none", auth: "none" });
  if (!op.authenticated) add({ name: "auth: valid token on a public route", auth: "valid" });
  for (const bad of ctx.badAuth) add({ name: `auth: ${bad.name}`, auth: `bad:${bad.name}` });

  // --- methods the path does not support -----------------------------------------------------
  const otherMethods = [
    "GET",
    "POST",
    "PUT",
    "PATCH",
    "DELETE",
    "HEAD",
    "OPTIONS",
    "PURGE",
    "PROPFIND",
    "MKCOL",
    "LOCK",
    "REPORT",
  ].filter((m) => !ctx.pathMethods.includes(m));
  for (const method of rng.sample(otherMethods, 5)) {
    const honest = method !== "OPTIONS" && !(method === "HEAD" && ctx.pathMethods.includes("GET"));
    add({ name: `method: ${method}`, method, ...(honest ? { expect: [404, 405] } : {}) });
  }

  // --- path parameters -------------------------------------------------------------------------
  for (const param of op.pathParams) {
    for (const bad of badPathValues(rng)) {
      // A value that still routes is refused by validation or not found; one that reroutes is not found.
      // Changing the route can land on a sibling with a path parameter ("/videos/./upload" is
      // "/videos/upload", i.e. video id "upload"), whose validator then answers 400.
      const expect = bad.routes ? [400, 404] : [400, 404, 405];
      // A beacon acknowledges any token alike (fuzz/ads.ts ACKNOWLEDGES_ANY_PATH_VALUE).
      if (bad.routes && op.id in ACKNOWLEDGES_ANY_PATH_VALUE) expect.push(204);
      add({ name: `param ${param.name}: ${bad.name}`, params: { [param.name]: bad.raw }, expect });
    }
    for (const value of ctx.dictionary) {
      add({
        name: `param ${param.name}: known value ${value.slice(0, 24)}`,
        params: { [param.name]: encodeURIComponent(value) },
      });
    }
  }

  // --- query strings -------------------------------------------------------------------------
  const junkQueries = [
    ["unknown param", "?fuzz=1"],
    ["proto param", "?__proto__[admin]=1&constructor[prototype][x]=1"],
    ["repeated unknown", "?a=1&a=2&a=3"],
    ["empty pairs", "?&&=&"],
    ["bad escape", "?%zz=%E0%A4%A"],
    ["8k value", `?q=${"q".repeat(8000)}`],
    ["NUL", "?x=%00"],
  ] as const;
  for (const [name, query] of junkQueries) add({ name: `query: ${name}`, query });
  for (const param of op.queryParams) {
    for (const { value, invalid } of queryValues(param.schema)) {
      add({
        name: `query ${param.name}=${value.slice(0, 20)}`,
        query: `?${param.name}=${encodeURIComponent(value)}`,
        ...(invalid ? { expect: [400] } : {}),
      });
    }
    add({ name: `query ${param.name} repeated`, query: `?${param.name}=1&${param.name}=2`, expect: [400] });
  }

  // --- headers ---------------------------------------------------------------------------------
  const goodRequestId = `fuzz-${rng.word(12)}`;
  add({
    name: "header: well-formed x-request-id is echoed",
    headers: { "x-request-id": goodRequestId },
    echoRequestId: goodRequestId,
  });
  add({ name: "header: short x-request-id", headers: { "x-request-id": "abc" } });
  add({ name: "header: 300-char x-request-id", headers: { "x-request-id": "r".repeat(300) } });
  add({ name: "header: x-request-id with markup", headers: { "x-request-id": "<script>alert(1)</script>" } });
  add({ name: "header: accept xml", headers: { accept: "application/xml" } });
  add({ name: "header: foreign origin", headers: { origin: "https://evil.example" } });
  add({ name: "header: 5k user-agent", headers: { "user-agent": "u".repeat(5000) } });
  add({
    name: "header: weird client address",
    headers: { "cf-connecting-ip": `not-an-ip-${"9".repeat(200)}` },
  });
  add({ name: "header: quoted and commented value", headers: { "x-fuzz": '"quoted", (comment); a=b;;' } });
  // X-D1-Bookmark (docs/read-replicas.md): a malformed one reads the primary, a far-future one is
  // only this client's problem; neither may break the request.
  add({ name: "header: malformed x-d1-bookmark", headers: { "x-d1-bookmark": "<not-a-bookmark>" } });
  add({ name: "header: 9k x-d1-bookmark", headers: { "x-d1-bookmark": "0".repeat(9000) } });
  add({
    name: "header: far-future x-d1-bookmark",
    headers: { "x-d1-bookmark": "ffffffff-ffffffff-ffffffff-ffffffffffffffffffffffffffffffff" },
  });

  // --- bodies ------------------------------------------------------------------------------------
  if (op.body) addBodyCases(op.body, freshBody, add, ctx, limit);
  else if (canHaveBody) {
    // Operations without a body must ignore one (or refuse it), never crash on it.
    add({ name: "unexpected json body", body: '{"unexpected":true}' });
    add({ name: "unexpected malformed json body", body: "{" });
    add({ name: "unexpected text body", body: "hello", contentType: "text/plain" });
    add({ name: "unexpected oversized body", body: `"${"z".repeat(limit)}"` });
    add({ name: "unexpected NUL body", body: "\u0000\u0000", contentType: "application/octet-stream" });
  }

  // --- random combinations up to the minimum ---------------------------------------------------
  let i = 0;
  while (cases.length < ctx.minCases) add(randomCombination(op, ctx, i++));
  return cases;

  function randomCombination(o: Operation, c: FuzzContext, n: number): Parts {
    const parts: Parts = { name: `random #${n}` };
    const notes: string[] = [];
    if (o.pathParams.length > 0 && rng.chance(0.5)) {
      const param = rng.pick(o.pathParams);
      const bad = rng.pick([
        ...badPathValues(rng).map((b) => b.raw),
        ...c.dictionary.map(encodeURIComponent),
      ]);
      parts.params = { [param.name]: bad };
      notes.push(`${param.name}=${bad.slice(0, 20)}`);
    }
    if (rng.chance(0.3)) {
      const [name, query] = rng.pick(junkQueries);
      parts.query = query;
      notes.push(name);
    }
    if (rng.chance(0.2)) {
      parts.auth = rng.chance(0.3) ? "none" : `bad:${rng.pick(c.badAuth.filter((b) => b.certain)).name}`;
      notes.push(parts.auth);
    }
    if (o.body && canHaveBody) {
      const mutated = freshBody();
      const props = Object.entries(o.body.properties ?? {});
      for (const [key, schema] of rng.sample(props, rng.int(1, Math.max(1, props.length)))) {
        const pool: [string, unknown][] = [
          ...wrongTypes(schema),
          ...badStrings(schema, c).map((s): [string, unknown] => [s.name, s.value]),
        ];
        const [name, value] = rng.pick(pool);
        if (rng.chance(0.15)) delete mutated[key];
        else mutated[key] = value;
        notes.push(`${key}=${name}`);
      }
      parts.body = JSON.stringify(mutated);
    } else if (o.pathParams.length === 0 && o.queryParams.length === 0 && !parts.query) {
      parts.headers = { "x-request-id": rng.word(rng.int(1, 80)) };
      notes.push("random request id");
    }
    parts.name = `random #${n}: ${notes.join(", ") || "baseline"}`;
    return parts;
  }
}
