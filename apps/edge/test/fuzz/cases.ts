/**
 * Generates bad requests for one OpenAPI operation. Every case is data (method, url, headers,
 * body, which credentials to use, what statuses are acceptable); the test sends them and checks
 * the invariants that hold for any response. Generation is deterministic for a given seed.
 */
import { MAX_INTERNAL_BODY_BYTES } from "../../src/jobs/routes";
import { type JsonSchema, type Operation, sampleFor, typesOf } from "./openapi";
import type { Rng } from "./prng";

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
const utf8 = new TextEncoder();
export const byteLength = (body: string | Uint8Array) =>
  typeof body === "string" ? utf8.encode(body).length : body.length;

// ---------------------------------------------------------------------------------------------
// Value dictionaries
// ---------------------------------------------------------------------------------------------

/** Values of the wrong JSON type for a field whose schema is `schema`. */
function wrongTypes(schema: JsonSchema): [string, unknown][] {
  const types = typesOf(schema);
  const all: [string, unknown, string][] = [
    ["number 0", 0, "number"],
    ["number -1", -1, "number"],
    ["float 1.5", 1.5, "number"],
    ["number 1e308", 1e308, "number"],
    ["number 2^53+1", 2 ** 53 + 1, "number"],
    ["true", true, "boolean"],
    ["false", false, "boolean"],
    ["empty array", [], "array"],
    ["array of string", ["x"], "array"],
    ["empty object", {}, "object"],
    ["object", { nested: "x" }, "object"],
    ["null", null, "null"],
    ["string", "12", "string"],
  ];
  const accepts = (t: string) => types.includes(t) || (t === "number" && types.includes("integer"));
  return all.filter(([, , t]) => !accepts(t)).map(([name, value]) => [name, value]);
}

interface BadString {
  name: string;
  value: string;
}

const UNICODE_STRINGS: BadString[] = [
  { name: "emoji", value: "😀🎬🍿 fuzz 🎞️" },
  { name: "emoji x41 (41 code points, 82 UTF-16 units)", value: "😀".repeat(41) },
  { name: "emoji x81", value: "😀".repeat(81) },
  // Code that truncates by UTF-16 units (e.g. to 50) would cut the 25th emoji in half.
  { name: "emoji straddling 50 UTF-16 units", value: `a${"😀".repeat(30)}` },
  { name: "NUL", value: "\u0000" },
  { name: "embedded NUL", value: "a\u0000b" },
  { name: "control chars", value: "\u0001\u0002\u0007\b\u001b[31mred\u007f" },
  { name: "RTL override", value: "\u202eevil\u202c" },
  { name: "lone high surrogate", value: "a\ud800b" },
  { name: "lone low surrogate", value: "\udc00" },
  { name: "noncharacter", value: "\uffff\ufffe" },
  { name: "BOM", value: "\ufeffname" },
  { name: "zalgo", value: "Z̷̢͎̈́a̸̛̺l̶̰̀g̵̣̈o̷̥͝" },
  { name: "CJK and Arabic", value: "漢字 مرحبا ñ" },
  { name: "zero-width", value: "\u200b\u200c\u200d" },
  { name: "line separators", value: "a\u2028b\u2029c" },
];

const INJECTION_STRINGS: BadString[] = [
  { name: "sql", value: "' OR 1=1--" },
  { name: "sql drop", value: "'); DROP TABLE accounts;--" },
  { name: "html", value: "<script>alert(1)</script>" },
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal template-injection probe
  { name: "template", value: "${7*7}{{7*7}}" },
  { name: "path traversal", value: "../../../../etc/passwd" },
  { name: "percent", value: "%00%2e%2e%2f" },
  { name: "format", value: "%s%s%n%x" },
  { name: "json-ish", value: '{"a":1}' },
  { name: "word null", value: "null" },
  { name: "word undefined", value: "undefined" },
  { name: "word NaN", value: "NaN" },
  { name: "numeric", value: "-1e309" },
  { name: "__proto__", value: "__proto__" },
];

const EMAILS: (BadString & { invalid: boolean })[] = [
  { name: "no at", value: "plainaddress", invalid: true },
  { name: "no local part", value: "@example.test", invalid: true },
  { name: "no domain", value: "someone@", invalid: true },
  { name: "space", value: "some one@example.test", invalid: true },
  { name: "two ats", value: "a@@example.test", invalid: true },
  { name: "double dot", value: "a@example..test", invalid: true },
  { name: "300-char local part", value: `${"a".repeat(300)}@example.test`, invalid: true },
  { name: "1000-char domain", value: `a@${"b".repeat(1000)}.test`, invalid: true },
  {
    name: "254 chars",
    value: `${"a".repeat(64)}@${"b".repeat(60)}.${"c".repeat(60)}.${"d".repeat(60)}.test`,
    invalid: false,
  },
  { name: "unicode", value: "ünï@exämple.test", invalid: false },
  { name: "emoji", value: "😀@example.test", invalid: false },
  { name: "uppercase", value: "FUZZ.UPPER@EXAMPLE.TEST", invalid: false },
  { name: "trailing newline", value: "a@example.test\n", invalid: false },
  { name: "plus tag", value: "a+tag@example.test", invalid: false },
  { name: "quoted local", value: '"a b"@example.test', invalid: false },
  { name: "ip literal", value: "a@[127.0.0.1]", invalid: false },
];

/** Strings for a string field: lengths around and far beyond its limit, unicode, injections. */
function badStrings(schema: JsonSchema, ctx: FuzzContext): (BadString & { tooLong: boolean })[] {
  const max = schema.maxLength;
  // JSON Schema (and zod) count string length in code points, not UTF-16 units.
  const long = (name: string, value: string) => ({
    name,
    value,
    tooLong: max !== undefined && [...value].length > max,
  });
  const out: (BadString & { tooLong: boolean })[] = [
    long("empty", ""),
    long("space", " "),
    long("whitespace", "\t\n\r "),
    long("padded", "   padded   "),
    long("10k chars", "x".repeat(10_000)),
    long("30k two-byte chars", "é".repeat(30_000)),
    long("100k chars", "y".repeat(100_000)),
  ];
  if (max !== undefined) {
    out.push(long(`maxLength ${max}`, "m".repeat(max)), long(`maxLength+1 ${max + 1}`, "m".repeat(max + 1)));
  }
  for (const s of [...UNICODE_STRINGS, ...INJECTION_STRINGS]) out.push(long(s.name, s.value));
  for (const value of ctx.dictionary) out.push(long(`known value ${value.slice(0, 24)}`, value));
  if (schema.format === "email") for (const e of EMAILS) out.push(long(`email ${e.name}`, e.value));
  return out;
}

const emailInvalid = (value: string) => EMAILS.some((e) => e.invalid && e.value === value);

/** Path parameter values, as they go on the wire (already encoded where a case wants that). */
function badPathValues(rng: Rng): { name: string; raw: string; routes: boolean }[] {
  const enc = encodeURIComponent;
  // `routes: false` means the value changes which route matches (so 404 is the honest answer).
  return [
    { name: "empty", raw: "", routes: false },
    { name: "space", raw: "%20", routes: true },
    { name: "dot", raw: ".", routes: false },
    { name: "dotdot", raw: "..", routes: false },
    { name: "encoded traversal", raw: "..%2F..%2F..%2Fetc%2Fpasswd", routes: true },
    { name: "double-encoded traversal", raw: "%252e%252e%252f", routes: true },
    { name: "1000 chars", raw: "a".repeat(1000), routes: true },
    { name: "16k chars", raw: "a".repeat(16_000), routes: true },
    { name: "64 chars", raw: `acc_${"z".repeat(60)}`, routes: true },
    { name: "65 chars", raw: `acc_${"z".repeat(61)}`, routes: true },
    { name: "sql", raw: enc("' OR 1=1--"), routes: true },
    { name: "sql unencoded quote", raw: "'OR'1'='1", routes: true },
    { name: "emoji", raw: enc("😀"), routes: true },
    { name: "raw unicode", raw: "ñandú", routes: true },
    { name: "NUL", raw: "%00", routes: true },
    { name: "lone percent", raw: "%", routes: true },
    { name: "bad percent escape", raw: "%zz", routes: true },
    { name: "truncated utf-8 escape", raw: "%E0%A4%A", routes: true },
    { name: "invalid utf-8 escape", raw: "%C3%28", routes: true },
    { name: "encoded slash", raw: "a%2Fb", routes: true },
    { name: "encoded question mark", raw: "a%3Fb%3Dc", routes: true },
    { name: "encoded hash", raw: "a%23b", routes: true },
    { name: "uppercase id", raw: "ACC_ZZZZ", routes: true },
    { name: "nonexistent account id", raw: `acc_${rng.word(20)}`, routes: true },
    { name: "nonexistent profile id", raw: `prf_${rng.word(20)}`, routes: true },
    { name: "nonexistent channel id", raw: `chn_${rng.word(20)}`, routes: true },
    { name: "nonexistent handle", raw: `@${rng.word(12)}`, routes: true },
    { name: "bare at", raw: "@", routes: true },
    { name: "word null", raw: "null", routes: true },
    { name: "negative number", raw: "-1", routes: true },
    { name: "huge number", raw: "1e309", routes: true },
    { name: "html", raw: enc("<script>alert(1)</script>"), routes: true },
  ];
}

// ---------------------------------------------------------------------------------------------
// Case building
// ---------------------------------------------------------------------------------------------

interface Parts {
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
  const limit = op.path.startsWith("/internal/") ? INTERNAL_MAX_BODY_BYTES : ctx.maxBodyBytes;

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

function queryValues(schema: JsonSchema): { value: string; invalid: boolean }[] {
  const types = typesOf(schema);
  if (types.includes("integer") || types.includes("number")) {
    const min = schema.minimum ?? Number.NEGATIVE_INFINITY;
    const max = schema.maximum ?? Number.POSITIVE_INFINITY;
    const integer = types.includes("integer");
    // Mirrors z.coerce.number(): Number(value), then the bounds.
    const invalid = (v: string) => {
      const n = Number(v);
      return Number.isNaN(n) || (integer && !Number.isInteger(n)) || n < min || n > max;
    };
    return [
      "",
      " ",
      "0",
      "-1",
      "1.5",
      "abc",
      "1e3",
      "NaN",
      "Infinity",
      "-Infinity",
      "0x10",
      "99999999999999999999",
      String(max),
      String(max + 1),
    ].map((value) => ({ value, invalid: invalid(value) }));
  }
  const max = schema.maxLength ?? Number.POSITIVE_INFINITY;
  return [
    "",
    "%",
    "😀",
    "\u0000",
    "' OR 1=1--",
    "x".repeat(Math.min(max, 500)),
    "x".repeat(Math.min(max + 1, 4000)),
  ].map((value) => ({
    value,
    invalid: value.length > max,
  }));
}

function addBodyCases(
  schema: JsonSchema,
  fresh: () => Record<string, unknown>,
  add: (p: Parts) => void,
  ctx: FuzzContext,
  limit: number,
) {
  const { rng } = ctx;
  const json = () => JSON.stringify(fresh());
  const required = schema.required ?? [];
  const props = Object.entries(schema.properties ?? {});
  const strict = schema.additionalProperties === false;

  // Not JSON at all, with a JSON content type: always 400 (malformed JSON).
  const notJson: [string, string][] = [
    ["empty", ""],
    ["plain text", "not json"],
    ["lone brace", "{"],
    ["closing brace", "}"],
    ["trailing comma", '{"a":1,}'],
    ["single quotes", "{'a': 'b'}"],
    ["NaN literal", '{"a": NaN}'],
    ["comment", "// hi\n{}"],
    ["two documents", `${json()}${json()}`],
    ["xml", "<?xml version='1.0'?><a/>"],
    ["form encoded", "a=1&b=2"],
    ["NUL bytes", "\u0000\u0000\u0000"],
    ["unterminated string", '{"a": "abc'],
  ];
  for (let i = 0; i < 3; i++) {
    const whole = json();
    const cut = rng.int(1, Math.max(1, whole.length - 1));
    notJson.push([`truncated at ${cut}`, whole.slice(0, cut)]);
  }
  for (const [name, body] of notJson) add({ name: `body not json: ${name}`, body, expect: [400] });
  add({
    name: "body not json: invalid utf-8",
    body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]),
    expect: [400],
  });
  add({
    name: "body: deeply nested arrays",
    body: `${"[".repeat(20_000)}${"]".repeat(20_000)}`,
    expect: [400],
  });
  add({ name: "body: UTF-8 BOM before JSON", body: `\ufeff${json()}` });

  // JSON of the wrong top-level type.
  const wrongTop: [string, string][] = [
    ["array", "[]"],
    ["array of the valid body", `[${json()}]`],
    ["number", "42"],
    ["negative float", "-1.5e300"],
    ["string", '"hello"'],
    ["null", "null"],
    ["true", "true"],
  ];
  for (const [name, body] of wrongTop) add({ name: `body top-level ${name}`, body, expect: [400] });
  add({ name: "body: empty object", body: "{}", ...(required.length > 0 ? { expect: [400] } : {}) });

  // Required fields missing, one at a time (all at once is the empty object above).
  for (const key of required) {
    const { [key]: _dropped, ...rest } = fresh();
    add({ name: `body missing ${key}`, body: JSON.stringify(rest), expect: [400] });
  }

  // Every field: wrong types, then a sample of hostile strings.
  for (const [key, fieldSchema] of props) {
    for (const [name, value] of wrongTypes(fieldSchema)) {
      add({
        name: `body ${key}: ${name}`,
        body: JSON.stringify({ ...fresh(), [key]: value }),
        expect: [400],
      });
    }
    if (typesOf(fieldSchema).includes("string") || fieldSchema.format) {
      const strings = badStrings(fieldSchema, ctx);
      // Length probes, invalid emails and every unicode oddity always; a seeded sample of the rest.
      const always = strings.filter(
        (s) =>
          s.tooLong ||
          emailInvalid(s.value) ||
          s.name.startsWith("maxLength") ||
          UNICODE_STRINGS.some((u) => u.value === s.value),
      );
      const rest = rng.sample(
        strings.filter((s) => !always.includes(s)),
        10,
      );
      for (const s of [...always, ...rest]) {
        const definitelyBad = s.tooLong || emailInvalid(s.value);
        add({
          name: `body ${key}: ${s.name}`,
          body: JSON.stringify({ ...fresh(), [key]: s.value }),
          ...(definitelyBad ? { expect: [400] } : {}),
        });
      }
    }
    if (typesOf(fieldSchema).includes("array")) {
      const arrays: [string, unknown][] = [
        // Only an enum makes an arbitrary string item wrong; free-form items (tags) accept it.
        ...(fieldSchema.items?.enum ? ([["unknown item", ["not-a-real-value"]]] as [string, unknown][]) : []),
        ["number items", [1, 2]],
        ["null item", [null]],
        ["nested array", [[fieldSchema.items?.enum?.[0] ?? "x"]]],
        ["1000 items", Array.from({ length: 1000 }, () => fieldSchema.items?.enum?.[0] ?? "x")],
      ];
      for (const [name, value] of arrays) {
        add({
          name: `body ${key}: ${name}`,
          body: JSON.stringify({ ...fresh(), [key]: value }),
          expect: [400],
        });
      }
    }
  }

  // Unknown fields (every body schema is strict, so these must be refused).
  const unknown: [string, string][] = [
    ["extra field", JSON.stringify({ ...fresh(), extra: 1 })],
    ["role escalation", JSON.stringify({ ...fresh(), roles: ["admin"], accountId: "acc_fuzz" })],
    ["__proto__ key", `{"__proto__":{"admin":true},${json().slice(1)}`],
    ["constructor key", JSON.stringify({ ...fresh(), constructor: { prototype: { admin: true } } })],
    [
      "1000 extra fields",
      JSON.stringify({
        ...fresh(),
        ...Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i])),
      }),
    ],
  ];
  for (const [name, body] of unknown)
    add({
      name: `body ${name}`,
      body,
      ...(strict ? { expect: [400] } : {}),
    });
  const firstKey = props[0]?.[0];
  if (firstKey) add({ name: "body duplicate key (last wins)", body: `{"${firstKey}":1,${json().slice(1)}` });

  // Content types that do not match the JSON body.
  const contentTypes: [string, string | null][] = [
    ["missing", null],
    ["empty", ""],
    ["text/plain", "text/plain"],
    ["form-urlencoded", "application/x-www-form-urlencoded"],
    ["multipart without boundary", "multipart/form-data"],
    ["xml", "application/xml"],
    ["json utf-16 charset", "application/json; charset=utf-16"],
    ["uppercase json", "APPLICATION/JSON"],
    ["merge-patch+json", "application/merge-patch+json"],
    ["jsonx", "application/jsonx"],
    ["list", "application/json, text/plain"],
    ["wildcard", "*/*"],
  ];
  for (const [name, contentType] of contentTypes) {
    add({
      name: `content-type ${name}`,
      body: json(),
      contentType,
    });
  }
  add({
    name: "content-type form with form body",
    body: "email=a%40b.test&password=x",
    contentType: "application/x-www-form-urlencoded",
  });

  // Size limits: exactly at the limit is allowed; one byte over is 413, however it is sent.
  const padTo = (size: number) => {
    const body = json();
    return body + " ".repeat(Math.max(0, size - byteLength(body)));
  };
  add({ name: `body exactly ${limit} bytes`, body: padTo(limit), reject: [413] });
  add({ name: `body ${limit + 1} bytes`, body: padTo(limit + 1), expect: [413] });
  add({ name: "body 1 MiB", body: padTo(1024 * 1024), expect: [413] });
  add({ name: "body streamed, small", body: json(), stream: true });
  add({ name: "body streamed, over the limit", body: padTo(limit * 2), stream: true });
}
