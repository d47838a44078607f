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
 * THROUGH_EXEMPT. The routes outside openapi.json (local storage) are fuzzed with cases of their
 * own (fuzz/extra.ts).
 */
import { env } from "cloudflare:test";
import { expect, it } from "vitest";
import { LocalStorageSigner } from "../src/storage/signer";
import { buildBadCredentials } from "./fuzz/auth";
import { type FuzzCase, generateCases } from "./fuzz/cases";
import { extraOperations } from "./fuzz/extra";
import { listOperations, type OpenApiDoc, type Operation } from "./fuzz/openapi";
import { forkRng } from "./fuzz/prng";
import { type Outcome, runPool, send, signIn } from "./fuzz/send";
import { SESSION_ENDING, STATEFUL, seedWorld } from "./fuzz/stateful";
import { api, apiJson, openApiDocument, seedAccount, storeReadyVideo, unique } from "./harness";

const FUZZ_SEED = 0x6d617271;
const CONCURRENCY = 8;
/** Cases generated per operation at least (random combinations fill up to it). */
const CASES_PER_OPERATION = 80;
const MIN_REQUESTS_PER_OPERATION = 40;
const MIN_TOTAL_REQUESTS = 2000;
const MAX_JSON_BODY_BYTES = 64 * 1024;
/** Set to a pattern to print the outcome of matching cases ("<op> <case name>"), when investigating. */
const TRACE_CASES = null as RegExp | null;

/**
 * Answers that refuse the credentials or the input before the operation does its work: a case
 * answered one of these did not get through. (A 404 counts as through unless the router gave it,
 * "No route matches": a well-formed id of nothing was looked up.)
 */
const GATE_STATUSES = new Set([400, 401, 403, 405, 413, 415, 422, 429]);

/** Operations none of whose cases can get through, and why. Keep it short: each is a blind spot. */
const THROUGH_EXEMPT: Record<string, string> = {
  "POST /api/v1/webhooks/stripe":
    "only a body signed with the Stripe webhook secret gets through (billing/webhooks.test.ts delivers those)",
  "POST /api/v1/webhooks/paypal":
    "only a delivery PayPal's verify-webhook-signature accepts gets through (billing/paypal's tests)",
};

function gotThrough(c: FuzzCase, opMethod: string, status: number, body: string): boolean {
  if (c.method !== opMethod || status === 0 || status >= 500 || GATE_STATUSES.has(status)) return false;
  return !(status === 404 && body.includes("No route matches"));
}

/** Mutating operations run after reads, and deletions last, so earlier cases still find things. */
const orderOf = (op: Operation) => (op.method === "DELETE" ? 2 : op.method === "GET" ? 0 : 1);

it(`fuzz: every operation in openapi.json answers bad input well (seed ${FUZZ_SEED})`, {
  // Minutes on a busy two-core machine (it ran 7 on one): the default would cut it short.
  timeout: 900_000,
}, async ({ annotate }) => {
  const started = Date.now();
  const doc = await openApiDocument<OpenApiDoc>();
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
        // A caption language (a schema sample of its pattern is rarely a locale: 400 every time).
        language: "en",
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
      cases.push({
        op: op.id,
        name: `stateful valid request #${i}`,
        method: op.method,
        url: made.path ?? op.path,
        auth: "valid",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(made.body),
        ...(made.token ? { token: made.token } : {}),
      });
    }

    const validToken = async () => {
      if (op.payouts) return env.PAYOUTS_TOKEN;
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
