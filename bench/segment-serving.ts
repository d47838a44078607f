// Cached segment GETs per second: the edge (wrangler dev / workerd, through /media with a playback
// token and the Cache API) vs nginx serving the same file from disk, both on loopback, same load
// (wrk, same threads/connections/duration), measured in one run.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { issuePlaybackToken } from "../apps/edge/src/playback/token";
import { devVar } from "../scripts/lib/dev-vars";
import { freePort, run, say, startGroup, waitFor } from "./lib/proc";

const DURATION = process.env.BENCH_SECONDS ?? "10";
const CONNECTIONS = process.env.BENCH_CONNECTIONS ?? "32";
const SEGMENT_BYTES = 1024 * 1024; // about a 4 s 720p segment at 2 Mbit/s

function wrk(url: string): { rps: number; p50: string; p99: string } {
  const out = run(["wrk", "-t2", `-c${CONNECTIONS}`, `-d${DURATION}s`, "--latency", url]);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? "0");
  const p50 = /\s50%\s+(\S+)/.exec(out)?.[1] ?? "?";
  const p99 = /\s99%\s+(\S+)/.exec(out)?.[1] ?? "?";
  return { rps, p50, p99 };
}

export async function segmentServing(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), "marquee-bench-seg-"));
  const state = join(dir, "state");
  const videoId = "vid_benchsegment";
  const segPath = `videos/${videoId}/hls/720p/seg_00001.m4s`;
  const file = join(dir, "seg_00001.m4s");
  writeFileSync(file, crypto.getRandomValues(new Uint8Array(SEGMENT_BYTES)));

  say("storing the segment in the local R2 …");
  run([
    "wrangler",
    "r2",
    "object",
    "put",
    `marquee-media/${segPath}`,
    "--file",
    file,
    "--local",
    "--persist-to",
    state,
  ]);

  const edgePort = await freePort();
  const nginxPort = await freePort();
  const edge = startGroup([
    "wrangler",
    "dev",
    "--local",
    "--ip",
    "127.0.0.1",
    "--port",
    String(edgePort),
    "--persist-to",
    state,
    "--show-interactive-dev-session=false",
  ]);
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
    await waitFor(`http://127.0.0.1:${edgePort}/healthz`);
    await waitFor(`http://127.0.0.1:${nginxPort}/${segPath}`);
    const token = await issuePlaybackToken(devVar("MEDIA_SIGNING_KEY"), {
      videoId,
      expires: Math.floor(Date.now() / 1000) + 3600,
      maxHeight: 1080,
      generation: 0, // a video never narrowed since upload
    });
    const edgeUrl = `http://127.0.0.1:${edgePort}/media/${videoId}/${token}/hls/720p/seg_00001.m4s`;
    const check = await fetch(edgeUrl);
    const body = new Uint8Array(await check.arrayBuffer());
    if (check.status !== 200 || body.length !== SEGMENT_BYTES)
      throw new Error(`edge answered ${check.status} with ${body.length} bytes`);
    // Warm the cache, then measure.
    for (let i = 0; i < 5; i++) await (await fetch(edgeUrl)).arrayBuffer();
    const cacheState = (await fetch(edgeUrl)).headers.get("x-marquee-cache");
    say(`edge cache state before the run: ${cacheState}`);
    say(`wrk -t2 -c${CONNECTIONS} -d${DURATION}s against the edge …`);
    const e = wrk(edgeUrl);
    say(`wrk -t2 -c${CONNECTIONS} -d${DURATION}s against nginx …`);
    const n = wrk(`http://127.0.0.1:${nginxPort}/${segPath}`);
    const ratio = e.rps / n.rps;
    say(`edge:  ${e.rps.toFixed(0)} req/s (p50 ${e.p50}, p99 ${e.p99})`);
    say(`nginx: ${n.rps.toFixed(0)} req/s (p50 ${n.p50}, p99 ${n.p99})`);
    say(
      `segment GETs/s, edge ÷ nginx = ${ratio.toFixed(3)}×  (1 MiB segment, ${CONNECTIONS} connections, ${DURATION}s each)`,
    );
    return { edgeRps: e.rps, nginxRps: n.rps, ratio };
  } finally {
    await Promise.all([edge.stop(), nginx.stop()]);
    rmSync(dir, { recursive: true, force: true });
  }
}
