// Accepted likes per second on one hot video, with p50/p99 latency, through the real runtime: the
// Durable Object path (`PUT /api/v1/videos/{id}/reaction`, 1 shard and 4 shards) vs a naive
// `UPDATE videos SET like_count = like_count + 1` in D1 per like (a bench-only route of the bench worker
// entry apps/edge/bench/worker.ts, which lib/edge.ts serves: `PUT /api/v1/dev/bench/videos/{id}/naive-like`),
// measured in one run, each path's final count checked against the likes it accepted.
//
// Fairness: both paths are the same authenticated HTTP request — a real ES256 access token (signed
// with the dev key in .dev.vars) for a session row that exists — so both pay the same JWT check, the
// same D1 read of the session and the same D1 read of the video; only the store differs. Every like
// comes from a distinct profile, so every accepted like must add exactly one. To attribute the
// figures, the two stores are also measured alone through HTTP (`store-like?store=do|d1`: no token,
// no video read, the profile in a header). All paths run in interleaved rounds (order rotated per
// round), so background load hits them alike.
//
// The worker is bundled once (`wrangler deploy --dry-run`) and served from that bundle, with an
// empty assets dir, by `wrangler dev --no-bundle` on a temp state dir, so edits to the source tree
// or rebuilds of the web app during the run (other people working) cannot restart it mid-measurement.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { frozenWorker, quantile, startFrozenEdge, WRANGLER_ENV } from "./lib/edge";
import { fanOf, fanSeedStatements, fanTokens, seedFileText } from "./lib/fans";
import { run, say, tempDir, waitFor } from "./lib/proc";

const REQUESTS = Number(process.env.BENCH_LIKES_REQUESTS ?? 3000);
const ROUNDS = Number(process.env.BENCH_LIKES_ROUNDS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_LIKES_CONCURRENCY ?? 32);
const WARMUP = 200;

interface Path {
  name: string;
  videoId: string;
  /** Where a like is sent (PUT, body {"value":"like"}). */
  url: string;
  /** DO paths: read back the exact count from the objects. */
  shards?: number;
  /** `token`: the real route with an access token; `profile`: the store alone (x-bench-profile header). */
  caller: "token" | "profile";
}

interface Tally {
  accepted: number;
  failed: number;
  seconds: number;
  latencies: number[];
  firstError: string;
}

interface Caller {
  profileId: string;
  token: string;
}

/** Sends one like per token, `CONCURRENCY` in flight; adds to `tally`. */
async function drive(p: Pick<Path, "url" | "caller">, callers: Caller[], tally: Tally): Promise<void> {
  let next = 0;
  const body = JSON.stringify({ value: "like" });
  const worker = async () => {
    while (next < callers.length) {
      const caller = callers[next++] as Caller;
      const t0 = performance.now();
      const res = await fetch(p.url, {
        method: "PUT",
        headers: {
          "content-type": "application/json",
          ...(p.caller === "token"
            ? { authorization: `Bearer ${caller.token}` }
            : { "x-bench-profile": caller.profileId }),
        },
        body,
      });
      const text = await res.text();
      tally.latencies.push(performance.now() - t0);
      if (res.status === 200) tally.accepted++;
      else {
        tally.failed++;
        tally.firstError ||= `${res.status} ${text.slice(0, 300)}`;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  tally.seconds += (performance.now() - started) / 1000;
}

const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** SQL for one creator with a channel and ready public videos, and `n` accounts each with one profile and one live session. */
function seedSql(stamp: string, videoIds: string[], n: number): string {
  const owner = `acc_bench${stamp}`;
  const channel = `chn_bench${stamp}`;
  return seedFileText([
    `INSERT INTO accounts (id, email, display_name, roles) VALUES (${sqlString(owner)}, 'owner-${stamp}@bench.test', 'Bench owner', '["viewer","creator"]')`,
    `INSERT INTO channels (id, account_id, handle, name) VALUES ('${channel}', ${sqlString(owner)}, 'bench${stamp}', 'Bench')`,
    ...videoIds.map(
      (id) =>
        `INSERT INTO videos (id, channel_id, account_id, title, visibility, status, playable, source_key, source_size, source_type)
         VALUES (${sqlString(id)}, '${channel}', ${sqlString(owner)}, 'Hot video', 'public', 'ready', 1, 'videos/${id}/source', 10, 'video/mp4')`,
    ),
    ...fanSeedStatements("fan", stamp, n),
  ]);
}

export async function likes(): Promise<Record<string, number>> {
  const work = tempDir("marquee-bench-likes-");
  const state = join(work.path, "state");
  const stamp = Date.now().toString(36);
  const profiles = REQUESTS + WARMUP;
  const videos = {
    warm: `vid_benchwarm${stamp}`,
    naive: `vid_benchnaive${stamp}`,
    do1: `vid_benchdoa${stamp}`,
    do4: `vid_benchdob${stamp}`,
    storeD1: `vid_benchstorenaive${stamp}`,
    storeDo1: `vid_benchstoredoa${stamp}`,
    storeDo4: `vid_benchstoredob${stamp}`,
  };

  say("bundling the worker once (wrangler deploy --dry-run) …");
  const worker = frozenWorker(join(work.path, "worker"));
  say("applying D1 migrations to a temp state dir …");
  const local = ["--local", "--persist-to", state, "-c", worker.config];
  run(["wrangler", "d1", "migrations", "apply", "DB", ...local], WRANGLER_ENV);
  say(`seeding ${profiles} profiles with sessions (no 100k-round PBKDF2 signups), a creator and 4 videos …`);
  const seedFile = join(work.path, "seed.sql");
  writeFileSync(seedFile, seedSql(stamp, Object.values(videos), profiles));
  run(["wrangler", "d1", "execute", "DB", ...local, "--file", seedFile], WRANGLER_ENV);
  // The 4-shard hot videos get their shard count the way production would: a KV key.
  for (const id of [videos.do4, videos.storeDo4]) {
    run(
      ["wrangler", "kv", "key", "put", "--binding", "SETTINGS", ...local, `reactions:shards:${id}`, "4"],
      WRANGLER_ENV,
    );
  }

  say("signing one access token per profile with the dev key …");
  const callers: Caller[] = (await fanTokens("fan", stamp, profiles)).map((token, i) => ({
    profileId: fanOf("fan", stamp, i).profileId,
    token,
  }));

  const { edge, port } = await startFrozenEdge(worker, state);
  const base = `http://127.0.0.1:${port}`;
  const v1 = `${base}/api/v1`;
  const paths: Path[] = [
    // The real route (token, session read, video read) and its naive twin: the headline figures.
    {
      name: "naive D1 UPDATE",
      videoId: videos.naive,
      url: `${v1}/dev/bench/videos/${videos.naive}/naive-like`,
      caller: "token",
    },
    {
      name: "DO, 1 shard",
      videoId: videos.do1,
      url: `${v1}/videos/${videos.do1}/reaction`,
      shards: 1,
      caller: "token",
    },
    {
      name: "DO, 4 shards",
      videoId: videos.do4,
      url: `${v1}/videos/${videos.do4}/reaction`,
      shards: 4,
      caller: "token",
    },
    // The stores alone (no token, no video read), to attribute the figures.
    {
      name: "store: D1 UPDATE",
      videoId: videos.storeD1,
      url: `${v1}/dev/bench/videos/${videos.storeD1}/store-like?store=d1`,
      caller: "profile",
    },
    {
      name: "store: DO 1 shard",
      videoId: videos.storeDo1,
      url: `${v1}/dev/bench/videos/${videos.storeDo1}/store-like?store=do`,
      shards: 1,
      caller: "profile",
    },
    {
      name: "store: DO 4 shards",
      videoId: videos.storeDo4,
      url: `${v1}/dev/bench/videos/${videos.storeDo4}/store-like?store=do`,
      shards: 4,
      caller: "profile",
    },
  ];
  const tallies = new Map<string, Tally>(
    paths.map((p) => [p.name, { accepted: 0, failed: 0, seconds: 0, latencies: [], firstError: "" }]),
  );
  const tally = (p: Path) => tallies.get(p.name) as Tally;
  try {
    await waitFor(`${base}/healthz`);
    // Warm the isolate, D1 and the objects on a video that is not measured.
    const warm = callers.slice(0, WARMUP);
    const scratch: Tally = { accepted: 0, failed: 0, seconds: 0, latencies: [], firstError: "" };
    await drive({ url: `${v1}/dev/bench/videos/${videos.warm}/naive-like`, caller: "token" }, warm, scratch);
    await drive({ url: `${v1}/videos/${videos.warm}/reaction`, caller: "token" }, warm, scratch);
    if (scratch.failed) throw new Error(`warm-up failed: ${scratch.firstError}`);

    // Round r sends the same slice of profiles to every path (each path has its own video).
    const perRound = Math.ceil(REQUESTS / ROUNDS);
    say(
      `${REQUESTS} likes per path from distinct profiles, ${CONCURRENCY} in flight, ${ROUNDS} interleaved rounds …`,
    );
    for (let r = 0; r < ROUNDS; r++) {
      const slice = callers.slice(WARMUP + r * perRound, WARMUP + Math.min(REQUESTS, (r + 1) * perRound));
      for (let k = 0; k < paths.length; k++) {
        const p = paths[(r + k) % paths.length] as Path;
        await drive(p, slice, tally(p));
      }
    }

    // The DO paths' exact counts, read from every shard object.
    for (const p of paths.filter((x) => x.shards)) {
      const counts = (await (await fetch(`${base}/api/v1/videos/${p.videoId}/reactions`)).json()) as {
        likes: number;
      };
      say(`  ${p.name}: the objects count ${counts.likes} likes; ${tally(p).accepted} were accepted`);
      if (counts.likes !== tally(p).accepted) {
        throw new Error(`${p.name}: objects count ${counts.likes} ≠ accepted ${tally(p).accepted}`);
      }
    }
    say("letting the reaction objects' alarms flush their totals to D1 …");
    await Bun.sleep(5000);
  } finally {
    await edge.stop();
  }

  // Every path's final count in D1: the naive path's only count, the DO paths' flushed totals.
  const out = run(
    [
      "wrangler",
      "d1",
      "execute",
      "DB",
      ...local,
      "--json",
      "--command",
      `SELECT id, like_count FROM videos WHERE id IN (${paths.map((p) => sqlString(p.videoId)).join(", ")})`,
    ],
    WRANGLER_ENV,
  );
  const rows = (JSON.parse(out) as { results: { id: string; like_count: number }[] }[])[0]?.results ?? [];
  const stored = new Map(rows.map((r) => [r.id, r.like_count]));
  await work.remove();

  const figures: Record<string, { rps: number; p50: number; p99: number }> = {};
  for (const p of paths) {
    const t = tally(p);
    t.latencies.sort((a, b) => a - b);
    const f = {
      rps: t.accepted / t.seconds,
      p50: quantile(t.latencies, 0.5),
      p99: quantile(t.latencies, 0.99),
    };
    figures[p.name] = f;
    say(
      `${p.name.padEnd(19)} ${f.rps.toFixed(0).padStart(5)} likes/s accepted (${t.accepted} ok, ${t.failed} failed), ` +
        `p50 ${f.p50.toFixed(1)} ms, p99 ${f.p99.toFixed(1)} ms; D1 like_count ${stored.get(p.videoId)}`,
    );
    if (t.firstError) say(`  first failure: ${t.firstError}`);
    if (stored.get(p.videoId) !== t.accepted) {
      throw new Error(`${p.name}: D1 like_count ${stored.get(p.videoId)} ≠ accepted ${t.accepted}`);
    }
  }
  const f = (name: string) => figures[name] as { rps: number; p50: number; p99: number };
  const naive = f("naive D1 UPDATE");
  const one = f("DO, 1 shard");
  const four = f("DO, 4 shards");
  const storeRatio1 = f("store: DO 1 shard").rps / f("store: D1 UPDATE").rps;
  const storeRatio4 = f("store: DO 4 shards").rps / f("store: D1 UPDATE").rps;
  say(
    `accepted likes/s, one hot video, real route: DO 1 shard ÷ naive D1 = ${(one.rps / naive.rps).toFixed(2)}×, ` +
      `DO 4 shards ÷ naive D1 = ${(four.rps / naive.rps).toFixed(2)}× (target ≥ 10×)`,
  );
  say(
    `stores alone: DO 1 shard ÷ D1 = ${storeRatio1.toFixed(2)}×, DO 4 shards ÷ D1 = ${storeRatio4.toFixed(2)}×`,
  );
  return {
    naiveRps: naive.rps,
    naiveP50Ms: naive.p50,
    naiveP99Ms: naive.p99,
    do1Rps: one.rps,
    do1P50Ms: one.p50,
    do1P99Ms: one.p99,
    do4Rps: four.rps,
    do4P50Ms: four.p50,
    do4P99Ms: four.p99,
    ratio1: one.rps / naive.rps,
    ratio4: four.rps / naive.rps,
    storeD1Rps: f("store: D1 UPDATE").rps,
    storeDo1Rps: f("store: DO 1 shard").rps,
    storeDo4Rps: f("store: DO 4 shards").rps,
    storeRatio1,
    storeRatio4,
  };
}
