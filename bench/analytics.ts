// The studio's analytics read for a video with a year of data vs a D1 point read (issue 16):
// `GET /api/v1/studio/videos/{id}/analytics?granularity=day&from=<a year ago>` (one batch: the video's
// row, the series' 366 day rows (scalars only), and the range's cover (12 month rows and the days at
// the ends) with its dimension sums and startup histogram, sketches and retention merged in the
// worker) against `GET /api/v1/videos/{id}`, interleaved, same token. Target: p50 ≤ 3×.
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import * as t from "../apps/edge/src/db/schema";
import { hashPassword } from "../packages/shared/src/passwords";
import { localD1File, migrateLocal } from "../scripts/lib/local-d1";
import {
  DEFAULT_SEED_PASSWORD,
  openForSeeding,
  SEED_EMAIL_DOMAIN,
  seedScale,
} from "../scripts/lib/scale-seed";
import { seedAnalytics } from "../scripts/lib/scale-seed-analytics";
import { prng } from "../scripts/lib/seed-random";
import { frozenWorker, quantile, startFrozenEdge } from "./lib/edge";
import { say, tempDir, waitFor } from "./lib/proc";

const REQUESTS = Number(process.env.BENCH_ANALYTICS_REQUESTS ?? 300);
const SESSIONS_PER_DAY = Number(process.env.BENCH_ANALYTICS_SESSIONS ?? 400);
const WARMUP = 30;
const DAY = 86_400_000;

async function timed(url: string, token: string): Promise<{ status: number; ms: number; body: string }> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const body = await res.text();
  return { status: res.status, ms: performance.now() - t0, body };
}

export async function analytics(): Promise<Record<string, number>> {
  const work = tempDir("marquee-bench-analytics-");
  const state = join(work.path, "state");
  const now = Date.now();

  say("bundling the worker once (wrangler deploy --dry-run) …");
  const worker = frozenWorker(join(work.path, "worker"));
  say("applying D1 migrations to a temp state dir …");
  migrateLocal(state);
  const file = localD1File(state);
  if (!file) throw new Error(`no D1 file under ${state}`);
  const db = openForSeeding(file);
  say("seeding a small catalogue (the creator and its videos) …");
  await seedScale(db, {
    videos: 100,
    reactionsPerVideo: 2,
    seed: 1,
    viewers: 1,
    password: DEFAULT_SEED_PASSWORD,
    passwordHash: await hashPassword(DEFAULT_SEED_PASSWORD),
    resetSeeded: false,
    analyticsVideos: 0,
    now,
    log: () => {},
  });
  // creator-1's channel and one of its public, ready videos: the studio's and the viewer's read.
  const creatorEmail = `creator-1@${SEED_EMAIL_DOMAIN}`;
  const account = db.select().from(t.accounts).where(eq(t.accounts.email, creatorEmail)).get();
  if (!account) throw new Error("the seed made no creator-1");
  const video = db
    .select()
    .from(t.videos)
    .where(
      and(
        eq(t.videos.accountId, account.id),
        eq(t.videos.visibility, "public"),
        eq(t.videos.status, "ready"),
      ),
    )
    .limit(1)
    .get();
  if (!video) throw new Error("creator-1 has no public ready video");
  say(`seeding a year of analytics for ${video.id} (~${SESSIONS_PER_DAY} sessions a day) …`);
  const counts: Record<string, number> = {};
  const t0 = performance.now();
  const sessions = seedAnalytics(
    db,
    [
      {
        id: video.id,
        channelId: video.channelId,
        durationMs: video.durationMs ?? 600_000,
        sessionsPerDay: SESSIONS_PER_DAY,
      },
    ],
    { r: prng(16), now, days: 366, hourlyDays: 7, audience: 50_000 },
    (table, n = 1) => {
      counts[table] = (counts[table] ?? 0) + n;
    },
  );
  db.$client.close();
  const rowsOfVideo = counts;
  say(
    `  ${sessions.toLocaleString("en")} sessions → ${Object.entries(rowsOfVideo)
      .map(([k, n]) => `${k} ${n}`)
      .join(", ")} (all scopes) in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const { edge, port } = await startFrozenEdge(worker, state, ["ACCESS_TOKEN_TTL_SECONDS:7200"]);
  const base = `http://127.0.0.1:${port}`;
  const v1 = `${base}/api/v1`;
  const from = new Date(now - 365 * DAY).toISOString();
  const analyticsUrl = `${v1}/studio/videos/${video.id}/analytics?granularity=day&from=${encodeURIComponent(from)}`;
  const pointUrl = `${v1}/videos/${video.id}`;
  const latencies = { point: [] as number[], analytics: [] as number[] };
  let responseBytes = 0;
  let points = 0;
  try {
    await waitFor(`${base}/healthz`);
    const login = await fetch(`${v1}/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: creatorEmail, password: DEFAULT_SEED_PASSWORD }),
    });
    if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
    const { accessToken: token } = (await login.json()) as { accessToken: string };

    const round = async (order: number, record: boolean) => {
      const point = async () => {
        const r = await timed(pointUrl, token);
        if (r.status !== 200) throw new Error(`GET /videos/${video.id}: ${r.status} ${r.body.slice(0, 300)}`);
        if (record) latencies.point.push(r.ms);
      };
      const studio = async () => {
        const r = await timed(analyticsUrl, token);
        if (r.status !== 200) throw new Error(`GET analytics: ${r.status} ${r.body.slice(0, 300)}`);
        if (record) {
          latencies.analytics.push(r.ms);
          responseBytes = r.body.length;
          points = (JSON.parse(r.body) as { series: unknown[] }).series.length;
        }
      };
      if (order % 2 === 0) {
        await point();
        await studio();
      } else {
        await studio();
        await point();
      }
    };
    say(`warming up (${WARMUP} rounds) …`);
    for (let i = 0; i < WARMUP; i++) await round(i, false);
    say(`${REQUESTS} requests per path, one in flight, interleaved …`);
    for (let i = 0; i < REQUESTS; i++) {
      await round(i, true);
      if ((i + 1) % 100 === 0) {
        const p50 = (xs: number[]) =>
          quantile(
            [...xs].sort((a, b) => a - b),
            0.5,
          ).toFixed(1);
        say(
          `  ${i + 1}/${REQUESTS}: p50 point ${p50(latencies.point)} ms, analytics ${p50(latencies.analytics)} ms`,
        );
      }
    }
    const reloads = edge.output().match(/Reloading local server/g)?.length ?? 0;
    if (reloads > 0) say(`  warning: the edge reloaded ${reloads}× during the run: timings suspect`);
  } finally {
    await edge.stop();
    await work.remove();
  }

  const figure = (xs: number[]) => {
    const sorted = [...xs].sort((a, b) => a - b);
    return { p50: quantile(sorted, 0.5), p99: quantile(sorted, 0.99) };
  };
  const point = figure(latencies.point);
  const studio = figure(latencies.analytics);
  say(
    `point read     p50 ${point.p50.toFixed(1).padStart(6)} ms, p99 ${point.p99.toFixed(1).padStart(6)} ms`,
  );
  say(
    `analytics year p50 ${studio.p50.toFixed(1).padStart(6)} ms, p99 ${studio.p99.toFixed(1).padStart(6)} ms`,
  );
  say(`  (${points} series points, ${(responseBytes / 1024).toFixed(0)} KiB of JSON)`);
  say(
    `analytics ÷ point read: p50 ${(studio.p50 / point.p50).toFixed(2)}× (p99 ${(studio.p99 / point.p99).toFixed(2)}×); target p50 ≤ 3×`,
  );
  return {
    sessions,
    analyticsPeriods: counts.analytics_periods ?? 0,
    analyticsDims: counts.analytics_dims ?? 0,
    analyticsStartup: counts.analytics_startup ?? 0,
    pointP50Ms: point.p50,
    pointP99Ms: point.p99,
    analyticsP50Ms: studio.p50,
    analyticsP99Ms: studio.p99,
    ratioP50: studio.p50 / point.p50,
    ratioP99: studio.p99 / point.p99,
  };
}

if (import.meta.main) console.log(JSON.stringify(await analytics(), null, 2));
