// Segment GETs per second of one 1 MiB segment, all on loopback under the same load (wrk, same
// threads/connections/duration), measured in one run, in alternating rounds so every path shares the
// machine's load alike:
// - `media`: the edge's `/media` route (playback token, revocation read, Cache API hit), on the
//   frozen bench worker (bench/lib/edge.ts) under wrangler / workerd, started through wrangler's API
//   with its inspector off (startFrozenEdge: under `wrangler dev` each logged line costs ~2–3 ms of
//   CPU in the inspector proxy and wrangler, which production does not have);
// - `bare`: the bench worker's `GET /api/v1/dev/bench/r2/{key}` (apps/edge/bench/r2-routes.ts) on
//   the same worker: `MEDIA.get` and the body, nothing else — the floor any R2-serving route pays in
//   this runtime. `media ÷ bare` is the route's overhead ratio (target ≥ 0.8);
// - `bare-ctx`: the same read behind the middleware every production request pays (request context
//   with its D1 session and access-log line, security headers, CORS): `media ÷ bare-ctx` is the
//   media route's own work (token, revocation read, cache) without the app's fixed cost;
// - `media-range`: the `/media` route's uncached path, a `Range` GET of the whole segment, answered
//   206 straight from R2 (head + ranged get) with no Cache API — the cost a cache miss adds without
//   needing a new object per request;
// - `nginx`: the same file from disk (`sendfile`), the baseline of the first figure.
// Beside requests per second, every edge path's CPU per request: the CPU-seconds the edge's process
// group (wrangler, workerd) used during its wrk run ÷ the requests served. On a machine others share,
// requests per second move with their load; CPU per request hardly does, so `bare ÷ media` in CPU per
// request is the second view of the overhead ratio (the same figure when the edge is CPU-bound).
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { issuePlaybackToken } from "../apps/edge/src/playback/token";
import { devVar } from "../scripts/lib/dev-vars";
import { frozenWorker, groupCpuSeconds, startFrozenEdge, WRANGLER_ENV } from "./lib/edge";
import { freePort, machineBusySeconds, run, say, startGroup, waitFor } from "./lib/proc";

const DURATION = Number(process.env.BENCH_SECONDS ?? "10");
const CONNECTIONS = process.env.BENCH_CONNECTIONS ?? "32";
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? "3");
const SEGMENT_BYTES = 1024 * 1024; // about a 4 s 720p segment at 2 Mbit/s
const WHOLE_RANGE = `bytes=0-${SEGMENT_BYTES - 1}`;

interface WrkRun {
  requests: number;
  seconds: number;
  rps: number;
  p50: string;
  p99: string;
  /** CPU-seconds the measured server used meanwhile (NaN when not measured). */
  cpuSeconds: number;
}

function wrk(url: string, headers: Record<string, string> = {}, cpu?: () => number): WrkRun {
  const h = Object.entries(headers).flatMap(([name, value]) => ["-H", `${name}: ${value}`]);
  // A generous timeout: under load a 1 MiB answer can take seconds, and wrk would drop it as an error.
  const cmd = [
    "wrk",
    "-t2",
    `-c${CONNECTIONS}`,
    `-d${DURATION}s`,
    "--timeout",
    "30s",
    "--latency",
    ...h,
    url,
  ];
  const cpuBefore = cpu?.() ?? Number.NaN;
  const out = run(cmd);
  const cpuSeconds = (cpu?.() ?? Number.NaN) - cpuBefore;
  // Every answer must have been the segment: a refused or failed request is fast and would flatter.
  const bad = /Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1];
  const errors = /Socket errors:.*/.exec(out)?.[0];
  if (bad || errors) throw new Error(`${url}: ${bad ?? 0} non-2xx answers; ${errors ?? ""}\n${out}`);
  const m = /(\d+) requests in ([\d.]+)(m?s)/.exec(out);
  const requests = Number(m?.[1] ?? "0");
  const seconds = Number(m?.[2] ?? "0") / (m?.[3] === "ms" ? 1000 : 1);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? "0");
  const p50 = /\s50%\s+(\S+)/.exec(out)?.[1] ?? "?";
  const p99 = /\s99%\s+(\S+)/.exec(out)?.[1] ?? "?";
  return { requests, seconds, rps, p50, p99, cpuSeconds };
}

async function expectSegment(
  url: string,
  headers: Record<string, string>,
  status: number,
): Promise<Response> {
  const res = await fetch(url, { headers });
  const body = new Uint8Array(await res.arrayBuffer());
  if (res.status !== status || body.length !== SEGMENT_BYTES)
    throw new Error(`${url} answered ${res.status} with ${body.length} bytes`);
  return res;
}

export async function segmentServing(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), "marquee-bench-seg-"));
  // Started as root, nginx's workers run as `nobody`: mkdtemp's 0700 would make every answer a 403
  // (a few hundred bytes, tens of thousands a second: the figure this benchmark once reported).
  chmodSync(dir, 0o755);
  const state = join(dir, "state");
  const videoId = "vid_benchsegment";
  const segPath = `videos/${videoId}/hls/720p/seg_00001.m4s`;
  const file = join(dir, "seg_00001.m4s");
  writeFileSync(file, crypto.getRandomValues(new Uint8Array(SEGMENT_BYTES)));

  say("bundling the bench worker …");
  const worker = frozenWorker(join(dir, "worker"));
  say("storing the segment in the local R2 …");
  run(
    [
      ...["wrangler", "r2", "object", "put", `marquee-media/${segPath}`, "--file", file],
      ...["--local", "--persist-to", state, "-c", worker.config],
    ],
    WRANGLER_ENV,
  );

  // Without wrangler's inspector: it would charge every console line (the access log) a DevTools
  // event and an HTTP request to wrangler, a local-tooling cost only the routes that log would pay.
  const { edge, port: edgePort } = await startFrozenEdge(worker, state, [], { inspector: false });
  const nginxPort = await freePort();
  const webroot = join(dir, "www");
  mkdirSync(join(webroot, "videos", videoId, "hls", "720p"), { recursive: true });
  writeFileSync(join(webroot, segPath), readFileSync(file));
  const conf = join(dir, "nginx.conf");
  writeFileSync(
    conf,
    `daemon off; worker_processes 1; pid ${dir}/nginx.pid; error_log ${dir}/nginx-error.log;
events { worker_connections 1024; }
http { access_log off; sendfile on; tcp_nopush on; open_file_cache max=100;
  types { video/iso.segment m4s; }
  client_body_temp_path ${dir}/tmp; proxy_temp_path ${dir}/tmp; fastcgi_temp_path ${dir}/tmp; uwsgi_temp_path ${dir}/tmp; scgi_temp_path ${dir}/tmp;
  server { listen 127.0.0.1:${nginxPort}; root ${webroot};
    location / { add_header Cache-Control "public, max-age=31536000, immutable"; } } }`,
  );
  mkdirSync(join(dir, "tmp"), { recursive: true });
  const nginx = startGroup(["nginx", "-c", conf, "-p", dir]);
  try {
    const origin = `http://127.0.0.1:${edgePort}`;
    await waitFor(`${origin}/healthz`).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${edge.output().slice(-3000)}`);
    });
    await waitFor(`http://127.0.0.1:${nginxPort}/${segPath}`);
    const token = await issuePlaybackToken(devVar("MEDIA_SIGNING_KEY"), {
      videoId,
      expires: Math.floor(Date.now() / 1000) + 3600,
      maxHeight: 1080,
      generation: 0, // a video never narrowed since upload
    });
    const mediaUrl = `${origin}/media/${videoId}/${token}/hls/720p/seg_00001.m4s`;
    const bareUrl = `${origin}/api/v1/dev/bench/r2/${segPath}`;
    const bareCtxUrl = `${origin}/api/v1/dev/bench/r2-ctx/${segPath}`;
    const nginxUrl = `http://127.0.0.1:${nginxPort}/${segPath}`;
    await expectSegment(nginxUrl, {}, 200);
    await expectSegment(bareUrl, {}, 200);
    await expectSegment(bareCtxUrl, {}, 200);
    await expectSegment(mediaUrl, { range: WHOLE_RANGE }, 206);
    // Warm the cache, then measure.
    for (let i = 0; i < 5; i++) await expectSegment(mediaUrl, {}, 200);
    const cacheState = (await expectSegment(mediaUrl, {}, 200)).headers.get("x-marquee-cache");
    if (cacheState !== "hit") throw new Error(`the edge cache does not hold the segment (${cacheState})`);

    const edgeCpu = () => (edge.child.pid === undefined ? Number.NaN : groupCpuSeconds(edge.child.pid));
    const paths: { name: string; url: string; headers?: Record<string, string>; cpu?: () => number }[] = [
      { name: "media", url: mediaUrl, cpu: edgeCpu },
      { name: "bare", url: bareUrl, cpu: edgeCpu },
      { name: "bare-ctx", url: bareCtxUrl, cpu: edgeCpu },
      { name: "media-range", url: mediaUrl, headers: { range: WHOLE_RANGE }, cpu: edgeCpu },
      { name: "nginx", url: nginxUrl },
    ];
    const runs = new Map<string, WrkRun[]>(paths.map((p) => [p.name, []]));
    const roundRatios: number[] = [];
    const loads: number[] = [];
    say(`wrk -t2 -c${CONNECTIONS} -d${DURATION}s per path, ${ROUNDS} rounds, order alternating …`);
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? paths : [...paths].reverse();
      const busyBefore = machineBusySeconds();
      const started = performance.now();
      for (const p of order) {
        const r = wrk(p.url, p.headers, p.cpu);
        runs.get(p.name)?.push(r);
        const cpu = p.cpu ? `, edge ${((r.cpuSeconds * 1000) / r.requests).toFixed(2)} CPU-ms/req` : "";
        say(`  round ${round + 1} ${p.name}: ${r.rps.toFixed(0)} req/s (p50 ${r.p50}, p99 ${r.p99}${cpu})`);
      }
      const wall = (performance.now() - started) / 1000;
      const busy = (machineBusySeconds() - busyBefore) / wall;
      loads.push(loadavg()[0] ?? 0);
      const media = runs.get("media")?.[round]?.rps ?? 0;
      const bare = runs.get("bare")?.[round]?.rps ?? 0;
      roundRatios.push(media / bare);
      say(
        `  round ${round + 1}: media ÷ bare = ${(media / bare).toFixed(3)}×; machine busy ${busy.toFixed(2)} of 2 cores (wrk, workerd and nginx included), load average ${loads.at(-1)?.toFixed(2)}`,
      );
    }
    // Over all rounds: requests served ÷ seconds measured, per path.
    const rate = (name: string) => {
      const rs = runs.get(name) ?? [];
      return rs.reduce((a, r) => a + r.requests, 0) / rs.reduce((a, r) => a + r.seconds, 0);
    };
    // Over all rounds: the edge's CPU-milliseconds per request served, per path.
    const cpuMs = (name: string) => {
      const rs = runs.get(name) ?? [];
      return (rs.reduce((a, r) => a + r.cpuSeconds, 0) * 1000) / rs.reduce((a, r) => a + r.requests, 0);
    };
    const [mediaCpu, bareCpu, bareCtxCpu, rangeCpu] = ["media", "bare", "bare-ctx", "media-range"].map(
      cpuMs,
    ) as [number, number, number, number];
    const [media, bare, bareCtx, range, nginxRps] = ["media", "bare", "bare-ctx", "media-range", "nginx"].map(
      rate,
    ) as [number, number, number, number, number];
    const ratio = media / bare;
    say(`media (Cache API hit): ${media.toFixed(0)} req/s`);
    say(`bare R2 route:         ${bare.toFixed(0)} req/s`);
    say(`bare R2 + app context: ${bareCtx.toFixed(0)} req/s`);
    say(`media Range (R2, 206): ${range.toFixed(0)} req/s`);
    say(`nginx:                 ${nginxRps.toFixed(0)} req/s`);
    say(
      `edge CPU per request: media ${mediaCpu.toFixed(2)} ms, bare ${bareCpu.toFixed(2)} ms, bare-ctx ${bareCtxCpu.toFixed(2)} ms, media-range ${rangeCpu.toFixed(2)} ms; ` +
        `bare ÷ media = ${(bareCpu / mediaCpu).toFixed(3)}×, bare ÷ bare-ctx = ${(bareCpu / bareCtxCpu).toFixed(3)}×`,
    );
    say(
      `media ÷ bare = ${ratio.toFixed(3)}× (rounds ${Math.min(...roundRatios).toFixed(3)}–${Math.max(...roundRatios).toFixed(3)}; target ≥ 0.8); ` +
        `media ÷ bare-ctx = ${(media / bareCtx).toFixed(3)}×; bare-ctx ÷ bare = ${(bareCtx / bare).toFixed(3)}×; ` +
        `media-range ÷ bare = ${(range / bare).toFixed(3)}×; media ÷ nginx = ${(media / nginxRps).toFixed(4)}× ` +
        `(1 MiB segment, ${CONNECTIONS} connections, ${ROUNDS} × ${DURATION}s each; load average ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)})`,
    );
    return {
      mediaRps: media,
      bareRps: bare,
      bareCtxRps: bareCtx,
      contextRatio: media / bareCtx,
      mediaRangeRps: range,
      nginxRps,
      overheadRatio: ratio,
      rangeRatio: range / bare,
      nginxRatio: media / nginxRps,
      mediaCpuMs: mediaCpu,
      bareCpuMs: bareCpu,
      bareCtxCpuMs: bareCtxCpu,
      cpuRatio: bareCpu / mediaCpu,
    };
  } finally {
    await Promise.all([edge.stop(), nginx.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
}
