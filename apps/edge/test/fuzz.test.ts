/**
 * Fuzzes every operation listed in /api/openapi.json with generated bad input (test/fuzz/cases.ts)
 * and checks what must hold for any request whatsoever:
 *   - the status is below 500;
 *   - every error (>= 400) is an application/problem+json document whose `status` equals the
 *     HTTP status and whose `title` and `type` are non-empty;
 *   - every response carries an x-request-id;
 * plus, where the answer is certain, the expected status (413 over the body limit, 401 for bad
 * credentials, 400 for invalid bodies...). Cases are generated from a fixed seed, so a failure
 * reproduces; change FUZZ_SEED to explore other inputs. All failures are reported together.
 */
import { env, SELF } from "cloudflare:test";
import { expect, it } from "vitest";
import { buildBadCredentials } from "./fuzz/auth";
import { type FuzzCase, generateCases } from "./fuzz/cases";
import { listOperations, type OpenApiDoc, type Operation } from "./fuzz/openapi";
import { forkRng } from "./fuzz/prng";
import { api, apiJson, type SeededAccount, seedAccount } from "./harness";

const FUZZ_SEED = 0x6d617271;
const CONCURRENCY = 8;
/** Cases generated per operation at least (random combinations fill up to it). */
const CASES_PER_OPERATION = 80;
const MIN_REQUESTS_PER_OPERATION = 40;
const MIN_TOTAL_REQUESTS = 2000;
const MAX_JSON_BODY_BYTES = 64 * 1024;
/** Set to a pattern to print the outcome of matching cases ("<op> <case name>"), when investigating. */
const TRACE_CASES = null as RegExp | null;

/** Operations whose success ends the caller's session: each valid-token case gets a fresh session. */
const SESSION_ENDING = new Set(["POST /api/v1/auth/logout"]);

interface World {
  /** Owns a channel and a second profile; the token most authenticated cases use. */
  main: SeededAccount;
  /** Signs in anew for each session-ending case. */
  donor: SeededAccount;
  admin: SeededAccount;
  victim: SeededAccount;
}

async function seedWorld(): Promise<World> {
  const [main, donor, admin, victim] = await Promise.all([
    seedAccount({ tag: "fuzzmain", channel: true, profiles: [{ name: "Second" }] }),
    seedAccount({ tag: "fuzzdonor" }),
    seedAccount({ tag: "fuzzadmin", roles: ["admin"] }),
    seedAccount({ tag: "fuzzvictim", channel: true }),
  ]);
  return { main, donor, admin, victim };
}

/** A client address per request, outside the range the harness uses, so throttles stay ours. */
let addressCounter = 0;
const fuzzClientAddress = () => {
  const n = addressCounter++;
  return n % 5 === 0 ? `2001:db8::${(n & 0xffff).toString(16)}` : `198.18.${(n >> 8) & 255}.${n & 255}`;
};

async function signIn(account: SeededAccount): Promise<string> {
  const pair = await apiJson<{ accessToken: string }>("/api/v1/auth/login", 200, {
    method: "POST",
    json: { email: account.email, password: account.password },
    ip: fuzzClientAddress(),
  });
  return pair.accessToken;
}

interface Outcome {
  fuzzCase: FuzzCase;
  status: number;
  /** Why the response breaks the rules; empty when it is fine. */
  problems: string[];
  body: string;
  /** Set when the client itself refused to send the request (e.g. a newline in a header). */
  skipped?: string;
}

function check(c: FuzzCase, res: Response, text: string): string[] {
  const problems: string[] = [];
  const status = res.status;
  if (!res.headers.get("x-request-id")) problems.push("no x-request-id header");
  if (status >= 500) problems.push("server error");
  if (c.expect && !c.expect.includes(status)) problems.push(`expected ${c.expect.join(" or ")}`);
  if (c.reject?.includes(status)) problems.push(`must not be ${status}`);
  if (c.echoRequestId && res.headers.get("x-request-id") !== c.echoRequestId) {
    problems.push(`x-request-id ${res.headers.get("x-request-id")} does not echo ${c.echoRequestId}`);
  }
  if (status === 429 && !res.headers.get("retry-after")) problems.push("429 without retry-after");
  if (status >= 400) {
    const contentType = res.headers.get("content-type") ?? "";
    if (!contentType.startsWith("application/problem+json"))
      problems.push(`content-type is "${contentType}"`);
    if (c.method !== "HEAD") {
      try {
        const doc = JSON.parse(text) as Record<string, unknown>;
        if (doc.status !== status)
          problems.push(`problem status ${String(doc.status)} differs from ${status}`);
        if (typeof doc.title !== "string" || !doc.title) problems.push("problem has no title");
        if (typeof doc.type !== "string" || !doc.type) problems.push("problem has no type");
      } catch {
        problems.push("body is not JSON");
      }
    }
  }
  return problems;
}

function streamOf(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + 16 * 1024));
      offset += 16 * 1024;
    },
  });
}

async function send(c: FuzzCase, authorization: string | null): Promise<Outcome> {
  const headers = new Headers();
  try {
    for (const [k, v] of Object.entries(c.headers)) headers.set(k, v);
    if (authorization !== null) headers.set("authorization", authorization);
  } catch (error) {
    return { fuzzCase: c, status: 0, problems: [], body: "", skipped: String(error) };
  }
  if (!headers.has("cf-connecting-ip")) headers.set("cf-connecting-ip", fuzzClientAddress());
  // Bytes, never a string: a string body would make fetch add its own text/plain content type.
  const bytes =
    c.body === undefined ? undefined : typeof c.body === "string" ? new TextEncoder().encode(c.body) : c.body;
  let res: Response;
  try {
    res = await api(c.url, {
      method: c.method,
      headers,
      ...(bytes ? { body: c.stream ? streamOf(bytes) : bytes } : {}),
    });
  } catch (error) {
    if (error instanceof TypeError && !c.stream) {
      return { fuzzCase: c, status: 0, problems: [], body: "", skipped: String(error) };
    }
    return { fuzzCase: c, status: 0, problems: [`fetch threw: ${String(error)}`], body: "" };
  }
  const text = await res.text();
  if (c.op === "POST /internal/jobs/lease" && res.status === 200) await releaseLeased(text);
  return { fuzzCase: c, status: res.status, problems: check(c, res, text), body: text };
}

/**
 * A fuzz case that leased a real job (a valid origin token and a well-formed body) hands it straight
 * back: the queue is global and other test files are waiting on their own jobs.
 */
async function releaseLeased(body: string): Promise<void> {
  const job = JSON.parse(body) as { id: string; leaseToken: string };
  await api(`/internal/jobs/${job.id}/release`, {
    method: "POST",
    headers: { authorization: `Bearer ${env.ORIGIN_TOKEN}` },
    json: { leaseToken: job.leaseToken },
  });
}

async function runPool<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** Mutating operations run after reads, and deletions last, so earlier cases still find things. */
const orderOf = (op: Operation) => (op.method === "DELETE" ? 2 : op.method === "GET" ? 0 : 1);

it(`fuzz: every operation in openapi.json answers bad input well (seed ${FUZZ_SEED})`, {
  timeout: 180_000,
}, async ({ annotate }) => {
  const started = Date.now();
  const doc = (await (await SELF.fetch("http://marquee.test/api/openapi.json")).json()) as OpenApiDoc;
  const operations = listOperations(doc).sort((a, b) => orderOf(a) - orderOf(b));
  expect(operations.length).toBeGreaterThan(0);

  let world = await seedWorld();
  const reseeds: string[] = [];
  const revoked = await seedAccount({ tag: "fuzzrevoked" });
  await api("/api/v1/auth/logout", { method: "POST", token: revoked.accessToken });
  const victimChannel = await apiJson<{ handle: string }>(`/api/v1/channels/${world.victim.channelId}`, 200);
  const liveToken = world.main.accessToken;
  const badCredentials = await buildBadCredentials({
    signingJwk: env.JWT_PRIVATE_JWK,
    liveToken,
    revokedToken: revoked.accessToken,
  });
  const badHeader = new Map(badCredentials.map((b) => [b.name, b.header]));

  const counts = new Map<string, number>();
  /** Per operation, how often each status came back: shows the cases get past auth and validation. */
  const statuses = new Map<string, Map<number, number>>();
  const failures: string[] = [];
  const skipped: string[] = [];

  for (const op of operations) {
    const pathMethods = Object.keys(doc.paths[op.path] ?? {}).map((m) => m.toUpperCase());
    const { main, victim, admin } = world;
    const cases = generateCases(op, {
      rng: forkRng(FUZZ_SEED, op.id),
      validParams: {
        profileId: main.profiles[1]?.id ?? main.profileId,
        channelId: main.channelId ?? "",
        userId: victim.accountId,
      },
      badAuth: badCredentials.map(({ name, certain }) => ({ name, certain })),
      dictionary: [
        victim.email,
        main.email.toUpperCase(),
        victimChannel.handle,
        `@${victimChannel.handle}`,
        victim.channelId ?? "",
        victim.accountId,
        admin.accountId,
        victim.profileId,
      ],
      maxBodyBytes: MAX_JSON_BODY_BYTES,
      minCases: CASES_PER_OPERATION,
      pathMethods,
    });

    const validToken = async () => {
      if (op.origin) return env.ORIGIN_TOKEN;
      if (SESSION_ENDING.has(op.id)) return signIn(world.donor);
      return op.path.startsWith("/api/v1/admin/") ? world.admin.accessToken : world.main.accessToken;
    };
    const outcomes = await runPool(cases, CONCURRENCY, async (c) => {
      let authorization: string | null = null;
      if (c.auth === "valid") authorization = `Bearer ${await validToken()}`;
      else if (c.auth !== "none") {
        authorization = badHeader.get(c.auth.slice(4)) ?? "Bearer unknown-variant";
        // Lenient variants wrap a live token and may be accepted: never spend the shared one.
        if (SESSION_ENDING.has(op.id) && authorization.includes(liveToken)) {
          authorization = authorization.replaceAll(liveToken, await validToken());
        }
      }
      return send(c, authorization);
    });

    for (const o of outcomes) {
      const c = o.fuzzCase;
      if (o.skipped) {
        skipped.push(`${c.op} ${c.name}: ${o.skipped}`);
        continue;
      }
      counts.set(op.id, (counts.get(op.id) ?? 0) + 1);
      if (TRACE_CASES?.test(`${c.op} ${c.name}`))
        console.warn(`TRACE ${c.op} "${c.name}" -> ${o.status} ${o.body.slice(0, 200)}`);
      const byStatus = statuses.get(op.id) ?? new Map<number, number>();
      byStatus.set(o.status, (byStatus.get(o.status) ?? 0) + 1);
      statuses.set(op.id, byStatus);
      if (o.problems.length > 0) {
        failures.push(
          `${c.method} ${c.url.slice(0, 160)} [${c.op}] "${c.name}" (auth ${c.auth}) -> ${o.status}: ` +
            `${o.problems.join("; ")} | ${o.body.slice(0, 300)}`,
        );
      }
    }

    // A case that ended a seeded session (it should not happen: the right password is never
    // generated) would make the rest of the run meaningless, so start over with fresh accounts.
    const health = await Promise.all(
      [world.main, world.admin].map((a) => api("/api/v1/me", { token: a.accessToken }).then((r) => r.status)),
    );
    if (health.some((s) => s !== 200)) {
      reseeds.push(`after ${op.id} (main, admin: ${health.join(", ")})`);
      world = await seedWorld();
    }
  }

  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const [minOp, minCount] = [...counts.entries()].sort((a, b) => a[1] - b[1])[0] ?? ["none", 0];
  const summary =
    `fuzz seed=${FUZZ_SEED} operations=${operations.length} requests=${total} ` +
    `min/operation=${minCount} (${minOp}) skipped=${skipped.length} reseeds=${reseeds.length} ` +
    `failures=${failures.length} in ${((Date.now() - started) / 1000).toFixed(1)}s`;
  const histogram = operations
    .map((op) => {
      const byStatus = [...(statuses.get(op.id) ?? new Map<number, number>()).entries()].sort(
        (a, b) => a[0] - b[0],
      );
      return `${op.id}: ${byStatus.map(([status, n]) => `${status}x${n}`).join(" ")}`;
    })
    .join("\n");
  console.warn(`${summary}\n${histogram}`);
  await annotate(summary);

  expect(failures, `${summary}\n${failures.join("\n")}`).toEqual([]);
  // A seeded session ending mid-run means some case did more than a bad input should. (If ending
  // the session is the operation's job, add it to SESSION_ENDING.)
  expect(reseeds, "seeded sessions ended mid-run").toEqual([]);
  expect(total).toBeGreaterThanOrEqual(MIN_TOTAL_REQUESTS);
  const thin = operations
    .filter((op) => (counts.get(op.id) ?? 0) < MIN_REQUESTS_PER_OPERATION)
    .map((op) => op.id);
  expect(thin, `operations with fewer than ${MIN_REQUESTS_PER_OPERATION} requests`).toEqual([]);
  // Only the deliberately unsendable header values may be skipped.
  expect(
    skipped.filter((s) => !s.includes("newline")),
    skipped.join("\n"),
  ).toEqual([]);
});
