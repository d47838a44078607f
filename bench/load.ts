// A mixed workload against the real local platform for a bounded time, at the throughput this
// machine's platform carries and at twice it (issue 17, "Load"):
//   viewers fetching playlists and segments, sending beacons, liking, commenting, reading the feed,
//   search, trending and video pages; a creator uploading.
// 1. calibration: CONCURRENCY loops of operations back to back (a closed loop) measure what the
//    platform carries: C operations/s;
// 2. 1×: operations started at C/s for PHASE_SECONDS (an open loop: arrivals don't wait for answers);
// 3. 2×: the same at 2C/s. Over capacity the platform must refuse (429/503 with Retry-After), not hang
//    (no answer within HANG_MS) and not drop (a reset connection).
// Then nothing lost: the hot video's likes and dislikes equal the viewers' last acknowledged reactions
// (in its Durable Object, and in D1's mirror after the flush), every accepted beacon and comment and
// every accepted upload is in D1. No 5xx other than a 503 that says when to come back.
//
// Everything is real: the production worker (the bench entry, bundled once) under `wrangler dev` on a
// temp state dir, one origin transcoding the 8 s clip the viewers watch, seeded viewer profiles with
// tokens signed by the dev key (no PBKDF2 signups), each viewer with its own address.
import { Database } from "bun:sqlite";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { localD1File, migrateLocal } from "../scripts/lib/local-d1";
import { startOrigin } from "../scripts/lib/local-platform";
import { makeTestPatternClipSync } from "../scripts/lib/media-tools";
import { mediaPlaylists, poll, signUp, uploadContent, videoReady } from "../tests/platform/ads-lib";
import { frozenWorker, WRANGLER_ENV } from "./lib/edge";
import { fanOf, fanSeedStatements, fanTokens, seedFileText } from "./lib/fans";
import { closedLoop, openLoop, type Viewer, type Watching, type Workload } from "./lib/load-mix";
import { HANG_MS, Ledger, Recorder } from "./lib/load-record";
import { addCleanup, freePort, run, say, startGroup, tempDir, waitFor } from "./lib/proc";

const VIEWERS = Number(process.env.BENCH_LOAD_VIEWERS ?? 400);
const CONCURRENCY = Number(process.env.BENCH_LOAD_CONCURRENCY ?? 16);
const CALIBRATE_SECONDS = Number(process.env.BENCH_LOAD_CALIBRATE_SECONDS ?? 20);
const PHASE_SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 30);
const WATCHING = 12;
const WORDS = ["load", "bench", "pattern", "tone", "video", "music", "news", "zucchini"];

async function viewers(stamp: string, n: number): Promise<Viewer[]> {
  const tokens = await fanTokens("ldfan", stamp, n);
  return tokens.map((token, i) => ({
    index: i,
    profileId: fanOf("ldfan", stamp, i).profileId,
    token,
    ip: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
    busy: false,
    sessionId: `ld${stamp}s${i}`,
    beacons: 0,
    lastBeaconAt: 0,
  }));
}

/** The frozen worker under `wrangler dev` on a port known beforehand (PUBLIC_URL must be its address). */
async function startEdge(script: string, config: string, state: string) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const vars = [`PUBLIC_URL:${base}`, `ALLOWED_ORIGINS:${base}`, "ACCESS_TOKEN_TTL_SECONDS:7200"];
  const edge = startGroup(
    [
      ...["wrangler", "dev", script, "--no-bundle", "-c", config, "--local"],
      ...["--ip", "127.0.0.1", "--port", String(port), "--persist-to", state],
      "--show-interactive-dev-session=false",
      ...vars.flatMap((v) => ["--var", v]),
    ],
    { env: WRANGLER_ENV },
  );
  return { edge, base };
}

function printPhase(name: string, rec: Recorder) {
  const s = rec.summary();
  say(
    `  ${name}: ${s.answered} answered, ${s.refused} refused (429/503), ${s.hung} hung, ${s.dropped} dropped`,
  );
  for (const r of s.rows) {
    say(
      `    ${r.route.padEnd(34)} n=${String(r.n).padStart(5)}  p50 ${r.p50.toFixed(0).padStart(5)} ms  p99 ${r.p99
        .toFixed(0)
        .padStart(
          5,
        )} ms  ${r.statuses}${r.hung ? `  hung ${r.hung}` : ""}${r.dropped ? `  dropped ${r.dropped}` : ""}`,
    );
  }
  for (const e of s.firstErrors) say(`    first error: ${e}`);
  return s;
}

/** Every acknowledged write found where it must be; a line per check, and the count of failures. */
async function verify(base: string, creatorToken: string, videoId: string, state: string, ledger: Ledger) {
  const failures: string[] = [];
  const expected = ledger.expectedReactions();
  const counts = (await (
    await fetch(`${base}/api/v1/videos/${videoId}/reactions`, {
      headers: { authorization: `Bearer ${creatorToken}` },
    })
  ).json()) as { likes: number; dislikes?: number };
  say(
    `  reactions (the object): likes ${counts.likes}/${expected.likes}, dislikes ${counts.dislikes}/${expected.dislikes}` +
      ` (${ledger.unknownReactions.size} viewers unknown after a hung request)`,
  );
  if (
    ledger.unknownReactions.size === 0 &&
    (counts.likes !== expected.likes || counts.dislikes !== expected.dislikes)
  )
    failures.push("reaction counts differ from the acknowledged reactions");
  const file = localD1File(state);
  if (!file) throw new Error("no local D1 file");
  const db = new Database(file, { readonly: true });
  try {
    say("  waiting for the reaction object's flush to D1 …");
    await poll("D1's reaction mirror to match", 30_000, async () => {
      const rows = db
        .query("SELECT value, count(*) AS n FROM video_reaction_index WHERE video_id = ? GROUP BY value")
        .all(videoId) as { value: string; n: number }[];
      const n = (v: string) => rows.find((r) => r.value === v)?.n ?? 0;
      return n("like") === expected.likes && n("dislike") === expected.dislikes;
    }).catch(() => failures.push("D1's reaction mirror differs from the acknowledged reactions"));
    const stored = db.query("SELECT profile_id AS p, beacon_id AS b FROM playback_events WHERE video_id = ?");
    const have = new Set((stored.all(videoId) as { p: string; b: string }[]).map((r) => `${r.p}/${r.b}`));
    const lostBeacons = ledger.beacons.filter((b) => !have.has(`${b.profileId}/${b.beaconId}`)).length;
    say(`  beacons: ${ledger.beacons.length - lostBeacons}/${ledger.beacons.length} accepted ones stored`);
    if (lostBeacons) failures.push(`${lostBeacons} accepted beacons not stored`);
    const comments = new Set(
      (db.query("SELECT id FROM comments WHERE video_id = ?").all(videoId) as { id: string }[]).map(
        (r) => r.id,
      ),
    );
    const lostComments = ledger.comments.filter((id) => !comments.has(id)).length;
    say(`  comments: ${ledger.comments.length - lostComments}/${ledger.comments.length} created ones stored`);
    if (lostComments) failures.push(`${lostComments} created comments not stored`);
    const statusOf = db.query("SELECT status, source_size AS size FROM videos WHERE id = ?");
    const lostUploads = ledger.uploads.filter((id) => {
      const row = statusOf.get(id) as { status: string; size: number | null } | null;
      return !row || row.status === "awaiting_upload" || !row.size;
    }).length;
    say(
      `  uploads: ${ledger.uploads.length - lostUploads}/${ledger.uploads.length} completed ones stored and queued`,
    );
    if (lostUploads) failures.push(`${lostUploads} completed uploads not stored`);
  } finally {
    db.close();
  }
  return failures;
}

export async function load(): Promise<Record<string, number>> {
  const work = tempDir("marquee-bench-load-");
  const state = join(work.path, "state");
  const stamp = Date.now().toString(36);

  say("making an 8 s 480p clip to watch and a 1 s clip to upload …");
  const clip = makeTestPatternClipSync(join(work.path, "watch.mp4"), {
    seconds: 8,
    size: "854x480",
    preset: "ultrafast",
  });
  const small = makeTestPatternClipSync(join(work.path, "upload.mp4"), {
    seconds: 1,
    size: "320x180",
    preset: "ultrafast",
  });
  say("bundling the worker once (wrangler deploy --dry-run) …");
  const worker = frozenWorker(join(work.path, "worker"));
  say(`applying D1 migrations to a temp state dir, seeding ${VIEWERS} viewer profiles with sessions …`);
  migrateLocal(state);
  const seedFile = join(work.path, "seed.sql");
  writeFileSync(seedFile, seedFileText(fanSeedStatements("ldfan", stamp, VIEWERS)));
  const local = ["--local", "--persist-to", state, "-c", worker.config];
  run(["wrangler", "d1", "execute", "DB", ...local, "--file", seedFile], WRANGLER_ENV);
  const people = await viewers(stamp, VIEWERS);

  const { edge, base } = await startEdge(worker.script, worker.config, state);
  const stopEdge = edge.stop; // also a cleanup already (bench/lib/proc.ts startGroup)
  try {
    await waitFor(`${base}/healthz`);
    say("a creator's video, transcoded by one origin …");
    const origin = await startOrigin({ edgeUrl: base, workDir: join(work.path, "origin") });
    const stopOrigin = addCleanup(async () => {
      await origin.stop(16_000);
    });
    const creator = await signUp(base, `creator-${stamp}@bench.test`, "Creator");
    await creator.api.call("POST", "/api/v1/me/channel", { handle: `ld_${stamp}`, name: "Load" }, 201);
    const videoId = await uploadContent(
      creator.api,
      clip,
      "Load bench video: a tone and a test pattern",
      "kids",
    );
    await videoReady(creator.api, videoId);
    // The uploads the workload makes are queued and stay so: no origin takes them during the phases.
    await stopOrigin();

    say(`${WATCHING} viewers start watching (playback, master, media playlists) …`);
    const watching: Watching[] = [];
    for (const v of people.slice(0, WATCHING)) {
      const pb = await fetch(`${base}/api/v1/videos/${videoId}/playback`, {
        headers: { authorization: `Bearer ${v.token}`, "cf-connecting-ip": v.ip },
      });
      if (pb.status !== 200) throw new Error(`playback: ${pb.status} ${await pb.text()}`);
      const { manifestUrl } = (await pb.json()) as { manifestUrl: string };
      for (const m of (await mediaPlaylists(manifestUrl)).media) {
        const lines = m.text.split("\n").map((l) => l.trim());
        const init = [...m.text.matchAll(/#EXT-X-MAP:URI="([^"]+)"/g)].map((x) => x[1] ?? "");
        const uris = [...init, ...lines.filter((l) => l && !l.startsWith("#"))];
        watching.push({ playlist: m.url, segments: uris.map((u) => new URL(u, m.url).toString()) });
      }
    }

    const ledger = new Ledger();
    const playbackCursor = { next: 0 };
    const workload = (rec: Recorder): Workload => ({
      base,
      videoId,
      viewers: people.slice(WATCHING),
      watching,
      creatorToken: creator.api.token as string,
      uploadBytes: new Uint8Array(readFileSync(small)),
      words: WORDS,
      rec,
      ledger,
      playbackCursor,
    });

    say(`warm-up: ${CONCURRENCY} loops for 10 s …`);
    await closedLoop(workload(new Recorder()), CONCURRENCY, 10);

    say(`calibration: ${CONCURRENCY} loops of operations back to back for ${CALIBRATE_SECONDS} s …`);
    const calRec = new Recorder();
    const carried = await closedLoop(workload(calRec), CONCURRENCY, CALIBRATE_SECONDS);
    say(
      `  the platform carries ${carried.opsPerSecond.toFixed(1)} operations/s (${carried.requestsPerSecond.toFixed(1)} requests/s)`,
    );
    printPhase("calibration", calRec);

    const figures: Record<string, number> = {
      capacityOpsPerSecond: carried.opsPerSecond,
      capacityRequestsPerSecond: carried.requestsPerSecond,
    };
    const verdicts: string[] = [];
    for (const factor of [1, 2]) {
      const rate = carried.opsPerSecond * factor;
      say(`${factor}×: ${rate.toFixed(1)} operations/s started for ${PHASE_SECONDS} s (open loop) …`);
      const rec = new Recorder();
      const ran = await openLoop(workload(rec), rate, PHASE_SECONDS);
      say(
        `  ${ran.opsStarted} operations, ${ran.requests} requests; at most ${ran.maxInFlight} in flight; ` +
          `the last answered ${ran.drainSeconds.toFixed(1)} s after the arrivals stopped`,
      );
      const s = printPhase(`${factor}×`, rec);
      const served = s.answered - s.refused;
      figures[`x${factor}ServedRequestsPerSecond`] = served / PHASE_SECONDS;
      figures[`x${factor}Refused`] = s.refused;
      figures[`x${factor}Hung`] = s.hung;
      figures[`x${factor}ServerErrors`] = s.serverErrors;
      if (s.serverErrors) verdicts.push(`${factor}×: ${s.serverErrors} 5xx answers other than 503`);
      if (s.hung) verdicts.push(`${factor}×: ${s.hung} requests hung (no answer within ${HANG_MS} ms)`);
      if (s.dropped) verdicts.push(`${factor}×: ${s.dropped} requests dropped (connection failed)`);
      if (s.noRetryAfter) verdicts.push(`${factor}×: ${s.noRetryAfter} refusals without Retry-After`);
    }

    say("nothing lost?");
    verdicts.push(...(await verify(base, creator.api.token as string, videoId, state, ledger)));
    figures.failedChecks = verdicts.length;
    say(`figures: ${JSON.stringify(figures)}`);
    // A broken promise fails the run (exit 1), not just a line in the output.
    if (verdicts.length)
      throw new Error(`load: ${verdicts.length} checks failed:\n  ${verdicts.join("\n  ")}`);
    say("no 5xx, nothing hung or dropped, nothing lost");
    return figures;
  } finally {
    await stopEdge();
    await work.remove();
  }
}
