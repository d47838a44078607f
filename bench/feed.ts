import { join } from "node:path";
import { hashPassword } from "../packages/shared/src/passwords";
import { localD1File, migrateLocal } from "../scripts/lib/local-d1";
import {
  DEFAULT_SEED_PASSWORD,
  edgeTrending,
  type KnownViewer,
  openForSeeding,
  seedScale,
} from "../scripts/lib/scale-seed";
import { frozenWorker, quantile, startFrozenEdge } from "./lib/edge";
import { say, tempDir, waitFor } from "./lib/proc";

const VIDEOS = Number(process.env.BENCH_FEED_VIDEOS ?? 100_000);
const REACTIONS = Number(process.env.BENCH_FEED_REACTIONS ?? 10);
const REQUESTS = Number(process.env.BENCH_FEED_REQUESTS ?? 300);
const WARMUP = 30;
const VIEWERS = 5;

interface Viewer {
  label: string;
  token: string;
  /** Listed videos this profile may see, for the point reads. */
  videos: string[];
}

interface Timed {
  status: number;
  ms: number;
  body: string;
}

async function timed(url: string, token: string): Promise<Timed> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const body = await res.text();
  return { status: res.status, ms: performance.now() - t0, body };
}

async function post<T>(url: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`POST ${url}: ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as T;
}

/** Signs a seeded viewer in, then takes a token for each of its profiles. */
async function signIn(v1: string, viewer: KnownViewer, sample: Record<string, string[]>): Promise<Viewer[]> {
  const pair = await post<{ accessToken: string }>(`${v1}/auth/login`, {
    email: viewer.email,
    password: viewer.password,
  });
  const out: Viewer[] = [];
  for (const p of viewer.profiles) {
    const switched = await post<{ accessToken: string }>(
      `${v1}/me/profiles/${p.id}/switch`,
      undefined,
      pair.accessToken,
    );
    const allowed =
      p.maturity === "adult"
        ? ["kids", "teen", "adult"]
        : p.maturity === "teen"
          ? ["kids", "teen"]
          : ["kids"];
    out.push({ label: p.name, token: switched.accessToken, videos: allowed.flatMap((m) => sample[m] ?? []) });
  }
  return out;
}

interface FeedPage {
  /** The feed's rows (shelves), each with its cards. */
  items: { items: unknown[] }[];
  nextCursor: string | null;
}

export async function feed(): Promise<Record<string, number>> {
  const work = tempDir("marquee-bench-feed-");
  const state = join(work.path, "state");

  say("bundling the worker once (wrangler deploy --dry-run) …");
  const worker = frozenWorker(join(work.path, "worker"));
  say("applying D1 migrations to a temp state dir …");
  migrateLocal(state);
  const file = localD1File(state);
  if (!file) throw new Error(`no D1 file under ${state}`);
  say(
    `seeding ${VIDEOS.toLocaleString("en")} videos, ~${(VIDEOS * REACTIONS).toLocaleString("en")} reactions …`,
  );
  const db = openForSeeding(file);
  const seeded = await seedScale(db, {
    videos: VIDEOS,
    reactionsPerVideo: REACTIONS,
    seed: 1,
    viewers: VIEWERS,
    password: DEFAULT_SEED_PASSWORD,
    passwordHash: await hashPassword(DEFAULT_SEED_PASSWORD),
    resetSeeded: false,
    recomputeTrending: edgeTrending,
    log: (line) => say(`  ${line}`),
  });
  db.$client.close();
  say(
    `seeded in ${seeded.seconds.toFixed(1)} s: ${Object.entries(seeded.counts)
      .map(([t, n]) => `${t} ${n}`)
      .join(", ")}`,
  );

  const { edge, port } = await startFrozenEdge(worker, state, ["ACCESS_TOKEN_TTL_SECONDS:7200"]);
  const base = `http://127.0.0.1:${port}`;
  const v1 = `${base}/api/v1`;
  const paths = ["point", "feed: first page", "feed: next page"] as const;
  type PathName = (typeof paths)[number];
  const latencies: Record<PathName, number[]> = { point: [], "feed: first page": [], "feed: next page": [] };
  let items = 0;
  let rows = 0;
  let nextPages = 0;
  try {
    await waitFor(`${base}/healthz`);
    say(`signing in ${VIEWERS} seeded viewers (adult, teen and kids profiles each) …`);
    const viewers: Viewer[] = [];
    for (const v of seeded.viewers) viewers.push(...(await signIn(v1, v, seeded.sampleVideos)));

    /** One round: the three paths for one profile, in the given order; returns the latencies. */
    const round = async (viewer: Viewer, i: number, order: number): Promise<Record<PathName, number>> => {
      const out = {} as Record<PathName, number>;
      const point = async () => {
        const id = viewer.videos[i % viewer.videos.length] as string;
        const r = await timed(`${v1}/videos/${id}`, viewer.token);
        if (r.status !== 200)
          throw new Error(`GET /videos/${id} (${viewer.label}): ${r.status} ${r.body.slice(0, 300)}`);
        out.point = r.ms;
      };
      const feeds = async () => {
        const first = await timed(`${v1}/feed`, viewer.token);
        if (first.status === 404 && first.body.includes("not_found")) {
          throw new Error(
            `GET /api/v1/feed answered 404 — is the feed route mounted? ${first.body.slice(0, 200)}`,
          );
        }
        if (first.status !== 200)
          throw new Error(`GET /feed (${viewer.label}): ${first.status} ${first.body.slice(0, 300)}`);
        out["feed: first page"] = first.ms;
        const page = JSON.parse(first.body) as FeedPage;
        if (page.items.length === 0)
          throw new Error(`GET /feed (${viewer.label}): no rows on a seeded catalogue`);
        rows += page.items.length;
        items += page.items.reduce((n, row) => n + row.items.length, 0);
        if (!page.nextCursor)
          throw new Error(`GET /feed (${viewer.label}): no next page on a seeded catalogue`);
        const next = await timed(`${v1}/feed?cursor=${encodeURIComponent(page.nextCursor)}`, viewer.token);
        if (next.status !== 200)
          throw new Error(`GET /feed?cursor (${viewer.label}): ${next.status} ${next.body.slice(0, 300)}`);
        out["feed: next page"] = next.ms;
        nextPages++;
      };
      if (order % 2 === 0) {
        await point();
        await feeds();
      } else {
        await feeds();
        await point();
      }
      return out;
    };

    say(`warming up (${WARMUP} rounds) …`);
    for (let i = 0; i < WARMUP; i++) await round(viewers[i % viewers.length] as Viewer, i, i);
    rows = 0;
    items = 0;
    nextPages = 0;

    say(`${REQUESTS} requests per path, one in flight, interleaved across ${viewers.length} profiles …`);
    for (let i = 0; i < REQUESTS; i++) {
      const got = await round(viewers[i % viewers.length] as Viewer, WARMUP + i, i);
      for (const p of paths) latencies[p].push(got[p]);
      if ((i + 1) % 50 === 0 || i + 1 === REQUESTS) {
        const p50 = (p: PathName) =>
          quantile(
            [...latencies[p]].sort((a, b) => a - b),
            0.5,
          ).toFixed(1);
        say(
          `  ${i + 1}/${REQUESTS}: p50 point ${p50("point")} ms, feed ${p50("feed: first page")} ms, next ${p50("feed: next page")} ms`,
        );
      }
    }
    const reloads = edge.output().match(/Reloading local server/g)?.length ?? 0;
    if (reloads > 0) say(`  warning: the edge reloaded ${reloads}× during the run: timings suspect`);
  } finally {
    await edge.stop();
    await work.remove();
  }

  const figures = {} as Record<PathName, { p50: number; p99: number }>;
  for (const p of paths) {
    const sorted = [...latencies[p]].sort((a, b) => a - b);
    figures[p] = { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99) };
    say(
      `${p.padEnd(17)} p50 ${figures[p].p50.toFixed(1).padStart(6)} ms, p99 ${figures[p].p99.toFixed(1).padStart(6)} ms (${sorted.length} requests)`,
    );
  }
  const point = figures.point;
  const first = figures["feed: first page"];
  const next = figures["feed: next page"];
  say(
    `feed first page: ${(rows / REQUESTS).toFixed(1)} rows and ${(items / REQUESTS).toFixed(1)} items on average`,
  );
  say(
    `feed ÷ point read: first page p50 ${(first.p50 / point.p50).toFixed(2)}× (p99 ${(first.p99 / point.p99).toFixed(2)}×), ` +
      `next page p50 ${(next.p50 / point.p50).toFixed(2)}× (p99 ${(next.p99 / point.p99).toFixed(2)}×); target p50 ≤ 3×`,
  );
  return {
    videos: VIDEOS,
    reactions: seeded.counts.video_reaction_index ?? 0,
    seedSeconds: seeded.seconds,
    pointP50Ms: point.p50,
    pointP99Ms: point.p99,
    feedP50Ms: first.p50,
    feedP99Ms: first.p99,
    feedNextP50Ms: next.p50,
    feedNextP99Ms: next.p99,
    ratioP50: first.p50 / point.p50,
    ratioNextP50: next.p50 / point.p50,
    ratioP99: first.p99 / point.p99,
    nextPages,
  };
}
