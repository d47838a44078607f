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
 *
 * Every operation must also let some of its cases through: at least one answer that is neither a
 * refusal of the credentials nor of the input (see GATE_STATUSES), or an operation answering 401 to
 * everything would pass. Where no generated case can get through, the operation says why in
 * THROUGH_EXEMPT. The routes outside openapi.json (storage, benchmarks) are fuzzed with cases of
 * their own (fuzz/extra.ts).
 */
import { env, SELF } from "cloudflare:test";
import { expect, it } from "vitest";
import { LocalStorageSigner } from "../src/storage/signer";
import { buildBadCredentials } from "./fuzz/auth";
import { type FuzzCase, generateCases } from "./fuzz/cases";
import { extraOperations } from "./fuzz/extra";
import { listOperations, type OpenApiDoc, type Operation } from "./fuzz/openapi";
import { forkRng } from "./fuzz/prng";
import { api, apiJson, eventually, type SeededAccount, seedAccount, unique } from "./harness";
import { storeReadyVideo } from "./video-harness";

const FUZZ_SEED = 0x6d617271;
const CONCURRENCY = 8;
/** Cases generated per operation at least (random combinations fill up to it). */
const CASES_PER_OPERATION = 80;
const MIN_REQUESTS_PER_OPERATION = 40;
const MIN_TOTAL_REQUESTS = 2000;
const MAX_JSON_BODY_BYTES = 64 * 1024;
/** Set to a pattern to print the outcome of matching cases ("<op> <case name>"), when investigating. */
const TRACE_CASES = null as RegExp | null;

/** A legitimate request whose body needs server state no schema sample can have (a live token, a mailed code). */
interface StatefulCase {
  body: unknown;
  /** The bearer token to send, when not the operation's usual one. */
  token?: string;
  /** Path parameter values. */
  params?: Record<string, string>;
}

const JOB = "job_fuzz00000000000000000000000";
const mailbox = (to: string) =>
  apiJson<{ email: { text: string }[]; sms: { body: string }[] }>(
    `/dev/mailbox?to=${encodeURIComponent(to)}`,
    200,
  );
/** A throwaway account, for requests that change or end what they act on. */
const throwaway = (tag: string) => seedAccount({ tag });
const newPhone = () => `+1415${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`;
const codeIn = (text = "", pattern = /\b(\d{6})\b/) => pattern.exec(text)?.[1] ?? "";

/**
 * Per operation, legitimate requests the schema-driven cases cannot make, so that some case of every
 * operation gets through (the lease-holding job calls get as far as "this lease is not yours").
 */
const STATEFUL: Record<string, (w: World, videoId: string) => Promise<StatefulCase>> = {
  "POST /api/v1/auth/refresh": async (w) => ({
    body: {
      refreshToken: (
        await apiJson<{ refreshToken: string }>("/api/v1/auth/login", 200, {
          method: "POST",
          json: { email: w.donor.email, password: w.donor.password },
          ip: fuzzClientAddress(),
        })
      ).refreshToken,
    },
  }),
  "POST /api/v1/auth/verify-email": async () => {
    const account = await seedAccount({ tag: "fuzzverify" });
    const code = codeIn((await mailbox(account.email)).email[0]?.text);
    return { body: { code }, token: account.accessToken };
  },
  "POST /api/v1/auth/login": async (w) => ({ body: { email: w.donor.email, password: w.donor.password } }),
  "POST /api/v1/auth/password-reset/confirm": async () => {
    const account = await throwaway("fuzzreset");
    await api("/api/v1/auth/password-reset/request", {
      method: "POST",
      json: { email: account.email },
      ip: fuzzClientAddress(),
    });
    // The link is mailed after the response.
    const text = await eventually(
      async () => (await mailbox(account.email)).email.find((m) => m.text.includes("Reset token"))?.text,
    );
    return { body: { token: codeIn(text, /Reset token: (\S+)/), password: "a brand new fuzz password" } };
  },
  "POST /api/v1/me/password": async () => {
    const account = await throwaway("fuzzpassword");
    return {
      body: { currentPassword: account.password, newPassword: "a brand new fuzz password" },
      token: account.accessToken,
    };
  },
  "DELETE /api/v1/me": async () => {
    const account = await throwaway("fuzzdelete");
    return { body: { password: account.password }, token: account.accessToken };
  },
  "POST /api/v1/me/email": async () => {
    const account = await throwaway("fuzzemail");
    return {
      body: { email: `${unique("fuzznew")}@example.test`, password: account.password },
      token: account.accessToken,
    };
  },
  "POST /api/v1/auth/email-change/undo": async () => {
    // A verified account moves to a new address; the notice to the old one carries the undo token.
    const account = await throwaway("fuzzundo");
    await apiJson("/api/v1/auth/verify-email", 204, {
      method: "POST",
      token: account.accessToken,
      json: { code: codeIn((await mailbox(account.email)).email[0]?.text) },
    });
    await apiJson("/api/v1/me/email", 200, {
      method: "POST",
      token: account.accessToken,
      json: { email: `${unique("fuzzundonew")}@example.test`, password: account.password },
    });
    const text = await eventually(
      async () => (await mailbox(account.email)).email.find((m) => m.text.includes("Undo token"))?.text,
    );
    return { body: { token: codeIn(text, /Undo token: (\S+)/), password: "a brand new fuzz password" } };
  },
  "DELETE /api/v1/me/email/undo-links": async () => {
    // With the account's own password: 204 (nothing pending), past authentication and validation.
    const account = await throwaway("fuzzundolinks");
    return { body: { password: account.password }, token: account.accessToken };
  },
  "POST /api/v1/me/phone": async () => {
    const account = await throwaway("fuzzphone");
    return { body: { phone: newPhone(), password: account.password }, token: account.accessToken };
  },
  "POST /api/v1/me/phone/verify": async () => {
    const account = await throwaway("fuzzphoneverify");
    const phone = newPhone();
    await apiJson("/api/v1/me/phone", 202, {
      method: "POST",
      token: account.accessToken,
      json: { phone, password: account.password },
    });
    const body = await eventually(async () => (await mailbox(phone)).sms[0]?.body);
    return { body: { code: codeIn(body) }, token: account.accessToken };
  },
  "POST /api/v1/me/notifications/read": async () => ({ body: { all: true } }),
  "POST /api/v1/events/playback": async (_w, videoId) => ({
    body: {
      beacons: [
        {
          id: `fz-${crypto.randomUUID()}`,
          videoId,
          sessionId: "fuzz-session",
          kind: "start",
          positionMs: 0,
          occurredAt: new Date().toISOString(),
        },
      ],
    },
  }),
  "POST /internal/jobs/{jobId}/heartbeat": async () => ({
    params: { jobId: JOB },
    body: { leaseToken: "fuzz-lease", progress: 10, playable: false },
  }),
  "POST /internal/jobs/{jobId}/release": async () => ({
    params: { jobId: JOB },
    body: { leaseToken: "fuzz-lease" },
  }),
  "POST /internal/jobs/{jobId}/fail": async () => ({
    params: { jobId: JOB },
    body: { leaseToken: "fuzz-lease", reason: "fuzz", retryable: false },
  }),
  "POST /internal/jobs/{jobId}/outputs": async () => ({
    params: { jobId: JOB },
    body: {
      leaseToken: "fuzz-lease",
      files: [{ path: "hls/master.m3u8", contentType: "application/vnd.apple.mpegurl" }],
    },
  }),
  "POST /internal/jobs/{jobId}/complete": async () => ({
    params: { jobId: JOB },
    body: {
      leaseToken: "fuzz-lease",
      result: {
        durationMs: 1000,
        width: 640,
        height: 360,
        renditions: [{ name: "360p", width: 640, height: 360, bandwidth: 900000, codecs: "avc1.64001e" }],
        segmentCount: 1,
      },
    },
  }),
};

/**
 * Answers that refuse the credentials or the input before the operation does its work: a case
 * answered one of these did not get through. (A 404 counts as through unless the router gave it,
 * "No route matches": a well-formed id of nothing was looked up.)
 */
const GATE_STATUSES = new Set([400, 401, 403, 405, 413, 415, 422, 429]);

/** Operations none of whose cases can get through, and why. Keep it short: each is a blind spot. */
const THROUGH_EXEMPT: Record<string, string> = {
  "PUT /api/v1/dev/bench/videos/{videoId}/naive-like":
    "exists only when BENCH_ROUTES is set; tests never set it",
  "PUT /api/v1/dev/bench/videos/{videoId}/store-like":
    "exists only when BENCH_ROUTES is set; tests never set it",
};

function gotThrough(c: FuzzCase, opMethod: string, status: number, body: string): boolean {
  if (c.method !== opMethod || status === 0 || status >= 500 || GATE_STATUSES.has(status)) return false;
  return !(status === 404 && body.includes("No route matches"));
}

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
  // Minutes on a busy two-core machine (it ran 7 on one): the default would cut it short.
  timeout: 900_000,
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
  const readyVideo = await storeReadyVideo(world.main);
  const liveToken = world.main.accessToken;
  const badCredentials = await buildBadCredentials({
    signingJwk: env.JWT_PRIVATE_JWK,
    liveToken,
    revokedToken: revoked.accessToken,
  });
  const badHeader = new Map(badCredentials.map((b) => [b.name, b.header]));

  const counts = new Map<string, number>();
  /** Per operation, how many cases got past authentication and validation (see gotThrough). */
  const through = new Map<string, number>();
  /** Per operation, how often each status came back: shows the cases get past auth and validation. */
  const statuses = new Map<string, Map<number, number>>();
  const failures: string[] = [];
  const skipped: string[] = [];

  const record = (opId: string, opMethod: string, o: Outcome) => {
    const c = o.fuzzCase;
    const byStatus = statuses.get(opId) ?? new Map<number, number>();
    byStatus.set(o.status, (byStatus.get(o.status) ?? 0) + 1);
    statuses.set(opId, byStatus);
    if (gotThrough(c, opMethod, o.status, o.body)) through.set(opId, (through.get(opId) ?? 0) + 1);
    if (o.problems.length > 0) {
      failures.push(
        `${c.method} ${c.url.slice(0, 160)} [${c.op}] "${c.name}" (auth ${c.auth}) -> ${o.status}: ` +
          `${o.problems.join("; ")} | ${o.body.slice(0, 300)}`,
      );
    }
  };

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

    const stateful = STATEFUL[op.id];
    for (let i = 0; stateful && i < 2; i++) {
      const made = await stateful(world, readyVideo);
      const params = { ...made.params };
      cases.push({
        op: op.id,
        name: `stateful valid request #${i}`,
        method: op.method,
        url: op.path.replace(/\{(\w+)\}/g, (_, name: string) => params[name] ?? ""),
        auth: "valid",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(made.body),
        ...(made.token ? { token: made.token } : {}),
      });
    }

    const validToken = async () => {
      if (op.origin) return env.ORIGIN_TOKEN;
      if (SESSION_ENDING.has(op.id)) return signIn(world.donor);
      return op.path.startsWith("/api/v1/admin/") ? world.admin.accessToken : world.main.accessToken;
    };
    const outcomes = await runPool(cases, CONCURRENCY, async (c) => {
      let authorization: string | null = null;
      if (c.auth === "valid") authorization = `Bearer ${c.token ?? (await validToken())}`;
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
      record(op.id, op.method, o);
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

  // The routes outside openapi.json, with cases of their own.
  const signer = new LocalStorageSigner("http://marquee.test", env.MEDIA_SIGNING_KEY);
  const folder = `videos/vid_${unique("fz")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")}`;
  const readableKey = `${folder}/source`;
  const storedBytes = 100;
  await env.MEDIA.put(readableKey, new Uint8Array(storedBytes).fill(7));
  let part = 0;
  const extras = await extraOperations({
    rng: forkRng(FUZZ_SEED, "extra"),
    sign: async (r) => {
      const url = new URL(await signer.presign(r));
      return `${url.pathname}${url.search}`;
    },
    readableKey,
    storedBytes,
    writableKey: () => `${folder}/hls/360p/seg_${String(++part).padStart(5, "0")}.m4s`,
    videoId: readyVideo,
    profileId: world.main.profileId,
  });
  for (const extra of extras) {
    const outcomes = await runPool(extra.cases, CONCURRENCY, (c) =>
      send(c, c.auth === "valid" ? `Bearer ${world.main.accessToken}` : null),
    );
    for (const o of outcomes) {
      if (o.skipped) {
        skipped.push(`${o.fuzzCase.op} ${o.fuzzCase.name}: ${o.skipped}`);
        continue;
      }
      counts.set(extra.id, (counts.get(extra.id) ?? 0) + 1);
      record(extra.id, extra.method, o);
    }
  }
  const allOperations = [...operations.map((op) => op.id), ...extras.map((e) => e.id)];

  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const [minOp, minCount] = [...counts.entries()].sort((a, b) => a[1] - b[1])[0] ?? ["none", 0];
  const summary =
    `fuzz seed=${FUZZ_SEED} operations=${operations.length} requests=${total} ` +
    `min/operation=${minCount} (${minOp}) skipped=${skipped.length} reseeds=${reseeds.length} ` +
    `failures=${failures.length} in ${((Date.now() - started) / 1000).toFixed(1)}s`;
  const histogram = allOperations
    .map((id) => {
      const byStatus = [...(statuses.get(id) ?? new Map<number, number>()).entries()].sort(
        (a, b) => a[0] - b[0],
      );
      return `${id}: ${byStatus.map(([status, n]) => `${status}x${n}`).join(" ")} (through: ${through.get(id) ?? 0})`;
    })
    .join("\n");
  console.warn(`${summary}\n${histogram}`);
  await annotate(summary);

  expect(failures, `${summary}\n${failures.join("\n")}`).toEqual([]);
  // A seeded session ending mid-run means some case did more than a bad input should. (If ending
  // the session is the operation's job, add it to SESSION_ENDING.)
  expect(reseeds, "seeded sessions ended mid-run").toEqual([]);
  expect(total).toBeGreaterThanOrEqual(MIN_TOTAL_REQUESTS);
  const thin = allOperations.filter((id) => (counts.get(id) ?? 0) < MIN_REQUESTS_PER_OPERATION);
  expect(thin, `operations with fewer than ${MIN_REQUESTS_PER_OPERATION} requests`).toEqual([]);
  // Some cases of every operation must reach its work: one refusing everything must not pass.
  expect(
    allOperations.filter((id) => !(id in THROUGH_EXEMPT) && (through.get(id) ?? 0) === 0),
    "operations no case got through (past authentication and validation)",
  ).toEqual([]);
  // An exemption must still be needed, and name an operation that exists.
  expect(
    Object.keys(THROUGH_EXEMPT).filter((id) => !allOperations.includes(id) || (through.get(id) ?? 0) > 0),
    "stale THROUGH_EXEMPT entries",
  ).toEqual([]);
  expect(
    Object.keys(STATEFUL).filter((id) => !allOperations.includes(id)),
    "STATEFUL entries naming no operation",
  ).toEqual([]);
  // Only the deliberately unsendable header values may be skipped.
  expect(
    skipped.filter((s) => !s.includes("newline")),
    skipped.join("\n"),
  ).toEqual([]);
});
