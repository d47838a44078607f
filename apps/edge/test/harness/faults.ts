/**
 * Fault injection over the REAL bindings (docs/faults.md): the env's D1 database and R2 bucket are
 * wrapped so a chosen call throws what the binding throws when the store fails (`D1_ERROR: Network
 * connection lost.`, `put: We encountered an internal error… (10001)`), and every other call goes
 * through to workerd's own D1 and R2. The app is called with that env (`callWithFaults`), so no
 * production code path reads a test flag: only the bindings it is handed differ.
 *
 * A D1 batch fails whole, before any of it runs, as D1 rolls a failed batch back: a fault in a
 * batch says "this write did not land", and the test then checks nothing of it is in the database.
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { createApp } from "../../src/app";
import { type ApiOptions, BASE, randomIp } from "./api";

export const D1_FAILURE = "D1_ERROR: Network connection lost.";

/** Where a statement ran: while the request was answered, or after (`waitUntil` work). */
export type Phase = "request" | "after";

export interface D1Statement {
  sql: string;
  phase: Phase;
  /** Sent in one `batch` with others (all landed or none did). */
  batched: boolean;
  failed: boolean;
}

export interface D1FaultPlan {
  /** Fail the request phase's statement with this 0-based index (statements in a batch count one each). */
  failAt?: number;
  /** Fail statements whose SQL matches (case-insensitive when given as a string). */
  match?: RegExp | string;
  /** How many matching statements fail (default: every one for `match`, one for `failAt`). */
  times?: number;
  /** What the binding throws (default `D1_ERROR: Network connection lost.`). */
  message?: string;
}

/** The record of one run's D1 calls, and the plan deciding which of them fail. */
export class D1Faults {
  readonly statements: D1Statement[] = [];
  phase: Phase = "request";
  private failures = 0;
  private requestIndex = 0;

  constructor(readonly plan: D1FaultPlan = {}) {}

  /** How many statements were made to fail. */
  get failed(): number {
    return this.failures;
  }

  /** The SQL of the statements run while the request was answered. */
  requestStatements(): string[] {
    return this.statements.filter((s) => s.phase === "request").map((s) => s.sql);
  }

  /** Records `sqls` as about to run; true when the plan fails (any) one of them. */
  decide(sqls: string[], batched: boolean): boolean {
    let fail = false;
    for (const sql of sqls) {
      const index = this.phase === "request" ? this.requestIndex++ : -1;
      const chosen = this.chosen(sql, index);
      if (chosen) this.failures++;
      fail ||= chosen;
      this.statements.push({ sql, phase: this.phase, batched, failed: chosen });
    }
    return fail;
  }

  private chosen(sql: string, index: number): boolean {
    const { failAt, match, times } = this.plan;
    const limit = times ?? (match === undefined ? 1 : Number.POSITIVE_INFINITY);
    if (this.failures >= limit) return false;
    if (failAt !== undefined && index !== failAt) return false;
    if (match !== undefined) {
      const re = typeof match === "string" ? new RegExp(match, "i") : match;
      if (!re.test(sql)) return false;
    }
    return failAt !== undefined || match !== undefined;
  }

  error(): Error {
    return new Error(this.plan.message ?? D1_FAILURE);
  }
}

/** A prepared statement that asks the plan before it reaches the real one. */
class FaultyStatement {
  constructor(
    readonly real: D1PreparedStatement,
    readonly sql: string,
    private readonly faults: D1Faults,
  ) {}

  bind(...values: unknown[]): FaultyStatement {
    return new FaultyStatement(this.real.bind(...values), this.sql, this.faults);
  }

  private check(): void {
    if (this.faults.decide([this.sql], false)) throw this.faults.error();
  }

  async run() {
    this.check();
    return this.real.run();
  }
  async all() {
    this.check();
    return this.real.all();
  }
  async first(column?: string) {
    this.check();
    return column === undefined ? this.real.first() : this.real.first(column);
  }
  async raw(options?: { columnNames?: boolean }) {
    this.check();
    // biome-ignore lint/suspicious/noExplicitAny: raw's overloads differ only in the tuple's first row.
    return this.real.raw(options as any);
  }
}

interface Preparer {
  prepare(sql: string): D1PreparedStatement;
  batch<T>(statements: D1PreparedStatement[]): Promise<D1Result<T>[]>;
}

function faultyPreparer(real: Preparer, faults: D1Faults) {
  // Forwarded for drizzle only, as db/client.ts does for sessions: the app's queries still come
  // through drizzle (tests/lint/raw-sql.ts), this only hands them on.
  const forward = real.prepare.bind(real);
  return {
    prepare: (sql: string) =>
      new FaultyStatement(forward(sql), sql, faults) as unknown as D1PreparedStatement,
    batch: async <T>(statements: D1PreparedStatement[]) => {
      const wrapped = statements as unknown as FaultyStatement[];
      // All or nothing, like D1: a batch with a failing statement runs none of its statements.
      if (
        faults.decide(
          wrapped.map((s) => s.sql),
          true,
        )
      )
        throw faults.error();
      return real.batch<T>(wrapped.map((s) => s.real));
    },
  };
}

/** `real` with every statement (alone, in a batch, or through a session) asking `faults` first. */
export function faultyD1(real: D1Database, faults: D1Faults): D1Database {
  return {
    ...faultyPreparer(real, faults),
    exec: (sql: string) => {
      if (faults.decide([sql], false)) throw faults.error();
      return real.exec(sql);
    },
    dump: () => real.dump(),
    withSession: (constraint?: D1SessionBookmark | D1SessionConstraint) => {
      const session = real.withSession(constraint);
      return {
        ...faultyPreparer(session, faults),
        getBookmark: () => session.getBookmark(),
      } as D1DatabaseSession;
    },
  } as D1Database;
}

export interface R2FaultPlan {
  /** Fail calls whose `<operation> <key>` matches, e.g. /^put videos\// or "uploadPart". */
  match: RegExp | string;
  /** How many matching calls fail (default: every one). */
  times?: number;
  /** The R2 error code in the message (default 10001, "internal error"). */
  code?: number;
}

/** The record of one run's R2 calls, and the plan deciding which of them fail. */
export class R2Faults {
  readonly calls: { op: string; key: string; failed: boolean }[] = [];
  private failures = 0;

  constructor(readonly plan?: R2FaultPlan) {}

  get failed(): number {
    return this.failures;
  }

  /**
   * As `check`, after reading `body` to its end when it is a stream: R2's own errors come back once
   * the body is sent, and a writer piping into the call waits for it to be read.
   */
  async checkAfter(op: string, key: string, body: unknown): Promise<void> {
    if (this.wouldFail(op, key) && body instanceof ReadableStream) {
      const reader = body.getReader();
      while (!(await reader.read()).done) {
        // drained
      }
    }
    this.check(op, key);
  }

  private wouldFail(op: string, key: string): boolean {
    const plan = this.plan;
    if (!plan || this.failures >= (plan.times ?? Number.POSITIVE_INFINITY)) return false;
    const re = typeof plan.match === "string" ? new RegExp(plan.match, "i") : plan.match;
    return re.test(`${op} ${key}`);
  }

  check(op: string, key: string): void {
    const fail = this.wouldFail(op, key);
    this.calls.push({ op, key, failed: fail });
    if (fail) {
      this.failures++;
      throw new Error(
        `${op}: We encountered an internal error. Please try again. (${this.plan?.code ?? 10001})`,
      );
    }
  }
}

function keyOf(arg: unknown): string {
  if (typeof arg === "string") return arg;
  if (Array.isArray(arg)) return arg.join(",");
  if (arg && typeof arg === "object" && "prefix" in arg)
    return String((arg as { prefix?: string }).prefix ?? "");
  return "";
}

function faultyMultipart(real: R2MultipartUpload, faults: R2Faults): R2MultipartUpload {
  return {
    get key() {
      return real.key;
    },
    get uploadId() {
      return real.uploadId;
    },
    uploadPart: async (...args: Parameters<R2MultipartUpload["uploadPart"]>) => {
      await faults.checkAfter("uploadPart", real.key, args[1]);
      return real.uploadPart(...args);
    },
    abort: async () => {
      faults.check("abortMultipartUpload", real.key);
      return real.abort();
    },
    complete: async (parts: R2UploadedPart[]) => {
      faults.check("completeMultipartUpload", real.key);
      return real.complete(parts);
    },
  };
}

/** `real` with every call (and every multipart upload it hands out) asking `faults` first. */
export function faultyR2(real: R2Bucket, faults: R2Faults): R2Bucket {
  const call =
    (op: keyof R2Bucket) =>
    async (...args: unknown[]) => {
      await faults.checkAfter(op, keyOf(args[0]), args[1]);
      const fn = real[op] as (...a: unknown[]) => Promise<unknown>;
      return fn.apply(real, args);
    };
  return {
    head: call("head"),
    get: call("get"),
    put: call("put"),
    delete: call("delete"),
    list: call("list"),
    createMultipartUpload: async (key: string, options?: R2MultipartOptions) => {
      faults.check("createMultipartUpload", key);
      return faultyMultipart(await real.createMultipartUpload(key, options), faults);
    },
    resumeMultipartUpload: (key: string, uploadId: string) =>
      faultyMultipart(real.resumeMultipartUpload(key, uploadId), faults),
  } as unknown as R2Bucket;
}

export interface Faults {
  d1?: D1Faults;
  r2?: R2Faults;
}

/** The tests' env with its DB and MEDIA bindings wrapped by `faults` (the rest is the real env). */
export function envWithFaults(faults: Faults, base: Env = env): Env {
  return {
    ...base,
    ...(faults.d1 ? { DB: faultyD1(base.DB, faults.d1) } : {}),
    ...(faults.r2 ? { MEDIA: faultyR2(base.MEDIA, faults.r2) } : {}),
  };
}

let app: ReturnType<typeof createApp> | undefined;

/**
 * Calls the app as `api` does (harness/api.ts), with the bindings wrapped by `faults`. The answer is
 * read whole before `waitUntil` work is awaited; statements of that work are recorded as "after".
 */
export async function callWithFaults(
  faults: Faults,
  path: string,
  options: ApiOptions = {},
): Promise<Response> {
  app ??= createApp();
  const { token, json, ip, headers, ...init } = options;
  const h = new Headers(headers);
  if (token) h.set("authorization", `Bearer ${token}`);
  if (json !== undefined) h.set("content-type", "application/json");
  if (!h.has("cf-connecting-ip")) h.set("cf-connecting-ip", ip ?? randomIp());
  // SELF.fetch gets Content-Length from the HTTP layer; an in-process request has to be told.
  if (!h.has("content-length") && init.body instanceof Uint8Array)
    h.set("content-length", String(init.body.byteLength));
  const ctx = createExecutionContext();
  if (faults.d1) faults.d1.phase = "request";
  const res = await app.request(
    `${BASE}${path}`,
    { ...init, headers: h, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) },
    envWithFaults(faults),
    ctx,
  );
  const body = await res.arrayBuffer();
  if (faults.d1) faults.d1.phase = "after";
  await waitOnExecutionContext(ctx);
  return new Response(res.status === 204 || res.status === 304 ? null : body, {
    status: res.status,
    headers: res.headers,
  });
}

/** Asserts the answer is the store-failure problem: 503 problem+json `unavailable` with Retry-After. */
export async function expectUnavailable(res: Response, what = ""): Promise<void> {
  const text = await res.text();
  const where = what ? `${what}: ` : "";
  if (res.status !== 503) throw new Error(`${where}expected 503, got ${res.status}: ${text.slice(0, 400)}`);
  if (!res.headers.get("content-type")?.includes("application/problem+json"))
    throw new Error(`${where}not a problem document: ${res.headers.get("content-type")}`);
  const problem = JSON.parse(text) as { code?: string; status?: number };
  if (problem.code !== "unavailable" || problem.status !== 503)
    throw new Error(`${where}expected code unavailable, got ${text.slice(0, 400)}`);
  const retryAfter = Number(res.headers.get("retry-after"));
  if (!(Number.isInteger(retryAfter) && retryAfter > 0))
    throw new Error(`${where}no usable Retry-After: ${res.headers.get("retry-after")}`);
}

export interface EachStatementCase<S> {
  /** A fresh scene for one attempt (accounts, videos…), so attempts do not see each other. */
  scene: () => Promise<S>;
  /** The request under test, through `callWithFaults(faults, …)`. */
  act: (scene: S, faults: Faults) => Promise<Response>;
  /** The status the request answers when nothing fails. */
  okStatus: number;
  /** After a failed attempt: the database holds the whole write or none of it (no half-written rows). */
  afterFailure: (scene: S, failed: { index: number; sql: string }) => Promise<void>;
  /**
   * The status the retry must answer, when it is not `okStatus`: a request whose write had landed
   * whole before a later read failed may, sent again, be refused as done (e.g. 409 "already over").
   */
  retryStatus?: (scene: S) => Promise<number>;
  /** After the retry that followed the failure: the write is applied, exactly once. */
  afterRetry: (scene: S) => Promise<void>;
  /**
   * Statements whose failure the route is designed to swallow (best-effort work, e.g. a mail
   * record): there the answer is `okStatus`, and `afterRetry` still holds.
   */
  tolerated?: RegExp;
}

/**
 * Learns the statements the request makes while it is answered (one run without faults), then, for
 * each in turn, makes just that one fail on a fresh scene and checks: the answer is the 503
 * `unavailable` problem, the database is whole (`afterFailure`), and the same request sent again
 * succeeds and applies once (`afterRetry`). Returns the statements, for the test to assert on.
 */
export async function failEachStatementInTurn<S>(c: EachStatementCase<S>): Promise<string[]> {
  const dry = new D1Faults();
  const first = await c.scene();
  const res = await c.act(first, { d1: dry });
  if (res.status !== c.okStatus)
    throw new Error(
      `dry run: expected ${c.okStatus}, got ${res.status}: ${(await res.text()).slice(0, 400)}`,
    );
  await c.afterRetry(first);
  const sqls = dry.requestStatements();
  if (sqls.length === 0) throw new Error("the request made no D1 statement: nothing to fail");
  for (let index = 0; index < sqls.length; index++) {
    const sql = sqls[index] ?? "";
    const scene = await c.scene();
    const faults = new D1Faults({ failAt: index });
    const failed = await c.act(scene, { d1: faults });
    const what = `statement ${index} (${sql.slice(0, 120)})`;
    if (faults.failed !== 1)
      throw new Error(`${what}: the fault did not fire (the request took another path)`);
    if (c.tolerated?.test(sql)) {
      if (failed.status !== c.okStatus)
        throw new Error(`${what}: tolerated, expected ${c.okStatus}, got ${failed.status}`);
    } else {
      await expectUnavailable(failed, what);
    }
    if (c.tolerated?.test(sql)) {
      // It succeeded despite the fault: nothing to retry, and it is applied (once).
      await c.afterRetry(scene);
      continue;
    }
    await c.afterFailure(scene, { index, sql });
    const expected = c.retryStatus ? await c.retryStatus(scene) : c.okStatus;
    const retry = await c.act(scene, {});
    if (retry.status !== expected)
      throw new Error(`${what}: the retry answered ${retry.status}: ${(await retry.text()).slice(0, 400)}`);
    await c.afterRetry(scene);
  }
  return sqls;
}
