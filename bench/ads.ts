// The two costs ads add at the edge, each against a baseline measured in the same run, interleaved
// request by request, one request in flight:
// (a) the stitched media playlist (the ad's segments, a DISCONTINUITY and the content's, built per ad
//     session) vs the plain media playlist of the same content rung (a Cache API hit);
// (b) an ad decision (`adContextFor` + `decideAd`: targeting, auction, reservations in the campaign's
//     and the viewer's Durable Objects) vs a D1 point read, both behind the same authentication
//     (bench-only routes of apps/edge/bench/ad-routes.ts: both read the video, only one decides);
//     a third route builds the decision's context alone, to attribute the difference.
//
// Everything is real: the bench worker bundled once and served by `wrangler dev` on a temp state dir
// (bench/lib/edge.ts), one origin transcoder started against it, the campaign made through the API
// (roles by an admin, the creative uploaded and transcoded, approved by a moderator). The plain
// playlist's token is taken before the campaign is approved (no ad then), the stitched one after.
// The decisions come from a pool of POOL returning viewers (seeded profiles and sessions, tokens signed
// with the dev key, each with its own address), round robin: the steady state, where a viewer's
// frequency object and its address's rate-limit object already exist (the warm-up creates them).
// Each viewer makes fewer decisions than the campaign's cap and the per-address limit, so nothing
// stops them; every timed decision must have chosen the ad.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { migrateLocal } from "../scripts/lib/local-d1";
import { startOrigin } from "../scripts/lib/local-platform";
import { makeTestPatternClipSync } from "../scripts/lib/media-tools";
import {
  type AdPlayback,
  createCampaign,
  creativeReady,
  grantRoles,
  makeAdmin,
  mediaPlaylists,
  poll,
  signUp,
  submitAndApprove,
  uploadContent,
  uploadCreative,
  videoReady,
} from "../tests/platform/ads-lib";
import { type FrozenWorker, frozenWorker, quantile, WRANGLER_ENV } from "./lib/edge";
import { fanSeedStatements, fanTokens, seedFileText } from "./lib/fans";
import { addCleanup, freePort, run, say, startGroup, tempDir, waitFor } from "./lib/proc";

const REQUESTS = Number(process.env.BENCH_ADS_REQUESTS ?? 300);
const WARMUP = 30;
/** Returning viewers the decisions cycle through: each makes ~17 of the 330, under the cap (50) and the 60-a-minute limit. */
const POOL = 20;

interface Timed {
  status: number;
  ms: number;
  body: string;
}

/**
 * One GET, timed. `client` (a fan's index) sends that fan's own address as cf-connecting-ip: the
 * decision is limited per client address (AD_DECISION_LIMIT), and the fans stand for viewers in
 * different homes, not one address sending hundreds of playbacks a minute.
 */
async function timed(url: string, token?: string, client?: number): Promise<Timed> {
  const t0 = performance.now();
  const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
  if (client !== undefined)
    headers["cf-connecting-ip"] = `10.${(client >> 16) & 255}.${(client >> 8) & 255}.${client & 255}`;
  const res = await fetch(url, { headers });
  const body = await res.text();
  return { status: res.status, ms: performance.now() - t0, body };
}

const ok = (what: string, r: Timed) => {
  if (r.status !== 200) throw new Error(`${what}: ${r.status} ${r.body.slice(0, 300)}`);
  return r;
};

/**
 * `wrangler dev` of the frozen worker, as startFrozenEdge runs it, but on a port known beforehand:
 * uploads, playback and the origin's job use signed absolute URLs built from PUBLIC_URL, which must
 * be this edge's own address.
 */
async function startEdge(worker: FrozenWorker, state: string) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const vars = [`PUBLIC_URL:${base}`, `ALLOWED_ORIGINS:${base}`, "ACCESS_TOKEN_TTL_SECONDS:7200"];
  const edge = startGroup(
    [
      ...["wrangler", "dev", worker.script, "--no-bundle", "-c", worker.config, "--local"],
      ...["--ip", "127.0.0.1", "--port", String(port), "--persist-to", state],
      "--show-interactive-dev-session=false",
      ...vars.flatMap((v) => ["--var", v]),
    ],
    { env: WRANGLER_ENV },
  );
  return { edge, base };
}

const p50 = (xs: number[]) =>
  quantile(
    [...xs].sort((a, b) => a - b),
    0.5,
  );
const p99 = (xs: number[]) =>
  quantile(
    [...xs].sort((a, b) => a - b),
    0.99,
  );

/** Runs each path once per round, the order rotated round by round; returns each path's latencies. */
async function interleaved(rounds: number, paths: ((i: number) => Promise<number>)[]): Promise<number[][]> {
  const out = paths.map(() => [] as number[]);
  for (let i = 0; i < rounds; i++) {
    for (let k = 0; k < paths.length; k++) {
      const at = (i + k) % paths.length;
      out[at]?.push(await (paths[at] as (i: number) => Promise<number>)(i));
    }
  }
  return out;
}

export async function ads(): Promise<Record<string, number>> {
  const work = tempDir("marquee-bench-ads-");
  const state = join(work.path, "state");
  const stamp = Date.now().toString(36);
  const fans = POOL;

  say("making a 6 s 720p ad and a 12 s 480p content clip …");
  const adClip = makeTestPatternClipSync(join(work.path, "ad.mp4"), { seconds: 6, preset: "ultrafast" });
  const contentClip = makeTestPatternClipSync(join(work.path, "content.mp4"), {
    seconds: 12,
    size: "854x480",
    preset: "ultrafast",
  });
  say("bundling the worker once (wrangler deploy --dry-run) …");
  const worker = frozenWorker(join(work.path, "worker"));
  say(`applying D1 migrations to a temp state dir, seeding ${fans} profiles with sessions …`);
  migrateLocal(state);
  const seedFile = join(work.path, "seed.sql");
  writeFileSync(seedFile, seedFileText(fanSeedStatements("adfan", stamp, fans)));
  run(
    [
      "wrangler",
      "d1",
      "execute",
      "DB",
      "--local",
      "--persist-to",
      state,
      "-c",
      worker.config,
      "--file",
      seedFile,
    ],
    WRANGLER_ENV,
  );
  const tokens = await fanTokens("adfan", stamp, fans);

  const { edge, base } = await startEdge(worker, state);
  let figures: Record<string, number>;
  try {
    await waitFor(`${base}/healthz`);
    const origin = await startOrigin({ edgeUrl: base, workDir: join(work.path, "origin") });
    const stopOrigin = addCleanup(async () => {
      await origin.stop(16_000);
    });
    say("an admin, a moderator, an advertiser with a campaign and its creative, a creator's video …");
    const admin = await makeAdmin(base, state, `admin-${stamp}@bench.test`);
    const mod = await signUp(base, `mod-${stamp}@bench.test`, "Moderator");
    await grantRoles(admin, mod.accountId, ["moderator"]);
    const adv = await signUp(base, `adv-${stamp}@bench.test`, "Advertiser");
    await grantRoles(admin, adv.accountId, ["advertiser"]);
    const creator = await signUp(base, `creator-${stamp}@bench.test`, "Creator");
    await creator.api.call("POST", "/api/v1/me/channel", { handle: `adb_${stamp}`, name: "Bench" }, 201);
    const draft = await createCampaign(adv.api, "Bench campaign");
    await uploadCreative(adv.api, draft.id, adClip);
    const contentId = await uploadContent(creator.api, contentClip, "Bench content");
    await creativeReady(adv.api, draft.id);
    await videoReady(creator.api, contentId);
    await stopOrigin();

    // The plain playlist: a free viewer's playback while no campaign is active.
    const plainViewer = await signUp(base, `plain-${stamp}@bench.test`, "Viewer");
    const plainPb = await plainViewer.api.call<AdPlayback>(
      "GET",
      `/api/v1/videos/${contentId}/playback`,
      undefined,
      200,
    );
    if (plainPb.ad) throw new Error("an ad before any campaign was approved");
    await submitAndApprove(adv.api, mod.api, draft.id);
    const adViewer = await signUp(base, `stitched-${stamp}@bench.test`, "Viewer");
    // The edge keeps the list of eligible campaigns per isolate for a moment (ads/eligible.ts).
    const adPb = await poll("a free viewer's playback with the approved campaign's ad", 15_000, async () => {
      const pb = await adViewer.api.call<AdPlayback>(
        "GET",
        `/api/v1/videos/${contentId}/playback`,
        undefined,
        200,
      );
      return pb.ad?.campaignId === draft.id && pb;
    });
    // The top video rung of each (the same content rung, 480p).
    const plainUrl = (await mediaPlaylists(plainPb.manifestUrl)).media[0]?.url ?? "";
    const stitched = (await mediaPlaylists(adPb.manifestUrl)).media[0];
    const stitchedUrl = stitched?.url ?? "";
    if (!stitched?.text.includes("#EXT-X-DISCONTINUITY")) throw new Error(`not stitched: ${stitched?.text}`);
    if (new URL(plainUrl).pathname.split("/").pop() !== new URL(stitchedUrl).pathname.split("/").pop())
      throw new Error(`different rungs: ${plainUrl} vs ${stitchedUrl}`);

    say(`(a) media playlist: ${WARMUP} warm-up + ${REQUESTS} interleaved GETs each …`);
    const plainGet = async () => ok("plain playlist", await timed(plainUrl)).ms;
    const stitchedGet = async () => {
      const r = ok("stitched playlist", await timed(stitchedUrl));
      if (!r.body.includes("#EXT-X-DISCONTINUITY")) throw new Error("a stitched GET came back plain");
      return r.ms;
    };
    const plainCache = (await fetch(plainUrl)).headers.get("x-marquee-cache");
    await interleaved(WARMUP, [stitchedGet, plainGet]);
    const [stitchedMs = [], plainMs = []] = await interleaved(REQUESTS, [stitchedGet, plainGet]);

    say(
      `(b) decision vs point read: ${WARMUP} warm-up + ${REQUESTS} interleaved, ${POOL} returning viewers in turn …`,
    );
    const v1 = `${base}/api/v1/dev/bench/ads`;
    let nulls = 0;
    const decide = async (round: number) => {
      const i = round % POOL;
      const r = ok("decide", await timed(`${v1}/decide/${contentId}`, tokens[i], i));
      const ad = (JSON.parse(r.body) as { ad: { campaignId: string } | null }).ad;
      if (ad?.campaignId !== draft.id) nulls++;
      return r.ms;
    };
    const pointRead = async (round: number) =>
      ok("point", await timed(`${v1}/point/${contentId}`, tokens[round % POOL], round % POOL)).ms;
    const contextOnly = async (round: number) =>
      ok("context", await timed(`${v1}/context/${contentId}`, tokens[round % POOL], round % POOL)).ms;
    await interleaved(WARMUP, [decide, pointRead, contextOnly]);
    nulls = 0;
    const [decideMs = [], pointMs = [], contextMs = []] = await interleaved(REQUESTS, [
      (i) => decide(WARMUP + i),
      (i) => pointRead(WARMUP + i),
      (i) => contextOnly(WARMUP + i),
    ]);
    if (nulls > 0) throw new Error(`${nulls} of ${REQUESTS} timed decisions chose no ad: figures void`);
    const reloads = edge.output().match(/Reloading local server/g)?.length ?? 0;
    if (reloads > 0) say(`  warning: the edge reloaded ${reloads}× during the run: timings suspect`);

    const row = (name: string, xs: number[]) =>
      say(
        `${name.padEnd(26)} p50 ${p50(xs).toFixed(1).padStart(6)} ms, p99 ${p99(xs).toFixed(1).padStart(6)} ms (${xs.length})`,
      );
    row(`plain playlist (${plainCache ?? "?"})`, plainMs);
    row("stitched playlist", stitchedMs);
    row("D1 point read", pointMs);
    row("context only", contextMs);
    row("ad decision", decideMs);
    figures = {
      plainP50Ms: p50(plainMs),
      plainP99Ms: p99(plainMs),
      stitchedP50Ms: p50(stitchedMs),
      stitchedP99Ms: p99(stitchedMs),
      playlistRatioP50: p50(stitchedMs) / p50(plainMs),
      pointP50Ms: p50(pointMs),
      pointP99Ms: p99(pointMs),
      contextP50Ms: p50(contextMs),
      decideP50Ms: p50(decideMs),
      decideP99Ms: p99(decideMs),
      decisionRatioP50: p50(decideMs) / p50(pointMs),
      contextRatioP50: p50(contextMs) / p50(pointMs),
    };
    say(
      `stitched ÷ plain media playlist p50 ${(figures.playlistRatioP50 ?? 0).toFixed(2)}× (target ≤ 1.5×); ` +
        `ad decision ÷ D1 point read p50 ${(figures.decisionRatioP50 ?? 0).toFixed(2)}× (target ≤ 2×; ` +
        `the context alone ${(figures.contextRatioP50 ?? 0).toFixed(2)}×)`,
    );
  } finally {
    await edge.stop();
    await work.remove();
  }
  return figures;
}
