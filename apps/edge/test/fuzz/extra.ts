/**
 * Fuzz cases of the routes outside openapi.json (the local storage route: the same list as the
 * authorisation matrix's EXTRA_OPERATIONS). They take no JSON and are not
 * described by a schema, so their cases are written here: each route's valid request (a URL the
 * edge signed, sent with exactly what it was signed for) and the ways to break it — signature,
 * expiry, key, method, length, type, ranges, encodings.
 */
import type { FuzzCase } from "./cases";
import type { Rng } from "./prng";

export interface ExtraOperation {
  id: string;
  method: string;
  cases: FuzzCase[];
}

export interface ExtraContext {
  rng: Rng;
  /** Signs a local storage URL (path and query) like the edge does; negative expiry = expired. */
  sign: (r: {
    method: "GET" | "PUT";
    key: string;
    expiresInSeconds: number;
    contentLength?: number;
    contentType?: string;
  }) => Promise<string>;
  /** A key holding `storedBytes`, readable with a GET URL. */
  readableKey: string;
  storedBytes: number;
  /** A fresh key per PUT case (PUTs to one key would overwrite each other). */
  writableKey: () => string;
}

const setParam = (pathAndQuery: string, name: string, value: string | null) => {
  const u = new URL(pathAndQuery, "http://x");
  if (value === null) u.searchParams.delete(name);
  else u.searchParams.set(name, value);
  return `${u.pathname}${u.search}`;
};
const pathOf = (url: string) => url.split("?")[0] ?? url;
const queryOf = (url: string) => url.slice(pathOf(url).length);

/**
 * Cases of one route, each built from a freshly signed URL: `add(name, build, options)` sends
 * `build(url)` with `defaults` overridden by `options`.
 */
function caseList(
  op: string,
  signed: () => Promise<string>,
  defaults: Pick<FuzzCase, "method" | "headers"> & Partial<FuzzCase>,
) {
  const cases: FuzzCase[] = [];
  const add = async (
    name: string,
    build: (url: string) => string | Promise<string>,
    options: Partial<FuzzCase> = {},
  ) => {
    cases.push({ op, name, url: await build(await signed()), auth: "none", ...defaults, ...options });
  };
  return { cases, add };
}

export async function extraOperations(ctx: ExtraContext): Promise<ExtraOperation[]> {
  return [
    { id: "PUT /storage/{key}", method: "PUT", cases: await storagePutCases(ctx) },
    { id: "GET /storage/{key}", method: "GET", cases: await storageGetCases(ctx) },
  ];
}

async function storagePutCases(ctx: ExtraContext): Promise<FuzzCase[]> {
  const op = "PUT /storage/{key}";
  const size = 256;
  const bytes = new Uint8Array(Array.from({ length: size }, (_, i) => (i * 7) % 256));
  const type = "video/mp4";
  const signed = () =>
    ctx.sign({
      method: "PUT",
      key: ctx.writableKey(),
      expiresInSeconds: 600,
      contentLength: size,
      contentType: type,
    });
  const { cases, add } = caseList(op, signed, {
    method: "PUT",
    headers: { "content-type": type },
    body: bytes,
  });
  for (let i = 0; i < 3; i++) await add(`valid #${i}`, (u) => u, { expect: [200] });
  await add("valid, with a user token too", (u) => u, { auth: "valid", expect: [200] });
  await add("valid, streamed", (u) => u, { stream: true });
  await add("unsigned", (u) => setParam(u, "X-Signature", null), { expect: [403] });
  await add("empty signature", (u) => setParam(u, "X-Signature", ""), { expect: [403] });
  await add(
    "signature of another URL",
    async (u) =>
      setParam(u, "X-Signature", new URL(await signed(), "http://x").searchParams.get("X-Signature")),
    { expect: [403] },
  );
  await add(
    "expired",
    async () =>
      ctx.sign({
        method: "PUT",
        key: ctx.writableKey(),
        expiresInSeconds: -60,
        contentLength: size,
        contentType: type,
      }),
    { expect: [403] },
  );
  await add("expiry moved later", (u) => setParam(u, "X-Expires", String(2 ** 40)), { expect: [403] });
  await add("expiry not a number", (u) => setParam(u, "X-Expires", "soon"), { expect: [403] });
  await add("length changed", (u) => setParam(u, "X-Length", String(size * 2)), { expect: [403] });
  await add("length removed", (u) => setParam(u, "X-Length", null), { expect: [403] });
  await add("type changed", (u) => setParam(u, "X-Content-Type", "text/html"), { expect: [403] });
  await add("method changed to GET", (u) => setParam(u, "X-Method", "GET"), { expect: [403] });
  await add("another key's path", async (u) => `${pathOf(await signed())}${queryOf(u)}`, { expect: [403] });
  await add(
    "GET URL used to PUT",
    async () => ctx.sign({ method: "GET", key: ctx.readableKey, expiresInSeconds: 600 }),
    { expect: [403] },
  );
  await add("body shorter than signed", (u) => u, { body: bytes.slice(0, size - 1), expect: [400] });
  await add("body longer than signed", (u) => u, { body: new Uint8Array(size + 1), expect: [413] });
  await add("empty body", (u) => u, { body: new Uint8Array(0), expect: [400] });
  await add("other content type", (u) => u, { headers: { "content-type": "text/plain" }, expect: [400] });
  await add("no content type", (u) => u, { headers: {}, expect: [200] });
  await add("query duplicated", (u) => `${u}&${queryOf(u).slice(1)}`);
  await add("unknown query param", (u) => `${u}&X-Extra=1`);
  const keys: [string, string][] = [
    ["traversal", "/storage/videos/../../etc/passwd"],
    ["encoded traversal", "/storage/videos/%2e%2e/%2e%2e/secret"],
    ["empty segment", "/storage/videos//source"],
    ["bad escape", "/storage/videos/%zz/source"],
    ["NUL", "/storage/videos/%00/source"],
    ["no key", "/storage/"],
    ["16k key", `/storage/${"k".repeat(16_000)}`],
  ];
  for (const [name, path] of keys)
    await add(`key: ${name}`, (u) => `${path}${queryOf(u)}`, { reject: [200] });
  while (cases.length < 40) {
    const n = cases.length;
    const params = [
      "X-Method",
      "X-Expires",
      "X-Length",
      "X-Content-Type",
      "X-Signature",
      "X-Upload-Id",
      "X-Part",
    ];
    const param = ctx.rng.pick(params);
    const value = ctx.rng.pick([
      "",
      "0",
      "-1",
      "1e3",
      "%",
      "😀",
      "x".repeat(500),
      "PUT",
      "GET",
      "9".repeat(20),
    ]);
    // No expectation: a value the verifier cannot parse counts as absent, so junk in a parameter the
    // URL was not signed with still names exactly the signed request (then 200 is right).
    await add(`random #${n}: ${param}=${value.slice(0, 12)}`, (u) => setParam(u, param, value));
  }
  return cases;
}

async function storageGetCases(ctx: ExtraContext): Promise<FuzzCase[]> {
  const op = "GET /storage/{key}";
  const signed = () => ctx.sign({ method: "GET", key: ctx.readableKey, expiresInSeconds: 600 });
  const { cases, add } = caseList(op, signed, { method: "GET", headers: {} });
  const n = ctx.storedBytes;
  await add("valid", (u) => u, { expect: [200] });
  await add("valid, with a user token too", (u) => u, { auth: "valid", expect: [200] });
  await add("valid HEAD", (u) => u, { method: "HEAD", expect: [200] });
  const ranges: [string, number[]][] = [
    ["bytes=0-0", [206]],
    [`bytes=0-${n - 1}`, [200, 206]],
    ["bytes=-1", [206]],
    ["bytes=5-", [206]],
    [`bytes=${n}-`, [416]],
    ["bytes=9-3", [200, 416]],
    ["bytes=0-1,3-4", [200, 206, 416]],
    ["bytes=abc", [200, 416]],
    ["items=0-1", [200, 416]],
    [`bytes=0-${"9".repeat(30)}`, [200, 206, 416]],
  ];
  for (const [range, expect] of ranges) await add(`range ${range}`, (u) => u, { headers: { range }, expect });
  await add("if-none-match *", (u) => u, { headers: { "if-none-match": "*" } });
  await add("if-match wrong", (u) => u, { headers: { "if-match": '"nope"' } });
  await add("unsigned", (u) => setParam(u, "X-Signature", null), { expect: [403] });
  await add("bad signature", (u) => setParam(u, "X-Signature", "A".repeat(43)), { expect: [403] });
  await add("expired", () => ctx.sign({ method: "GET", key: ctx.readableKey, expiresInSeconds: -60 }), {
    expect: [403],
  });
  await add("expiry moved later", (u) => setParam(u, "X-Expires", String(2 ** 40)), { expect: [403] });
  await add("another key's path", (u) => `/storage/videos/vid_fuzzother/source${queryOf(u)}`, {
    expect: [403],
  });
  await add(
    "PUT URL used to GET",
    () => ctx.sign({ method: "PUT", key: ctx.readableKey, expiresInSeconds: 600, contentLength: 1 }),
    { expect: [403] },
  );
  await add(
    "signed, but nothing stored",
    () => ctx.sign({ method: "GET", key: `${ctx.readableKey}-absent`, expiresInSeconds: 600 }),
    { expect: [404] },
  );
  await add("traversal", (u) => `/storage/videos/../source${queryOf(u)}`, { reject: [200] });
  await add("bad escape", (u) => `/storage/videos/%zz/source${queryOf(u)}`, { reject: [200] });
  while (cases.length < 40) {
    const i = cases.length;
    const param = ctx.rng.pick(["X-Method", "X-Expires", "X-Signature", "X-Length"]);
    const value = ctx.rng.pick(["", "0", "-1", "%", "😀", "x".repeat(300), "HEAD", "9".repeat(20)]);
    // No expectation: a value the verifier cannot parse counts as absent, so junk in a parameter the
    // URL was not signed with still names exactly the signed request (then 200 is right).
    await add(`random #${i}: ${param}=${value.slice(0, 12)}`, (u) => setParam(u, param, value));
  }
  return cases;
}
