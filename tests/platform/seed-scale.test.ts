// `bun run seed:scale` on a fresh state dir, then the real local platform on that state: what the seed
// wrote is what D1 holds, what the API shows, and what a seeded viewer gets (sign-in, a feed, search).
// Linux only (reads /proc through ./lib).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NO_PROMPT, toolEnv } from "../../scripts/lib/dev-vars";
import {
  freePort,
  killSurvivors,
  type Platform,
  platformReady,
  ROOT,
  startPlatform,
  stopPlatform,
} from "./lib";

const VIDEOS = 2000;
/** Videos with a year of analytics rollups (the default 200 takes longer than this test needs). */
const ANALYTICS_VIDEOS = 20;
const PASSWORD = "seed-scale-test-password";
const TABLES = [
  "categories",
  "accounts",
  "profiles",
  "channels",
  "videos",
  "video_reaction_index",
  "video_reaction_days",
  "subscriptions",
  "watch_history",
  "playback_events",
  "profile_affinities",
  "video_view_days",
  "trending",
  "analytics_periods",
  "analytics_dims",
  "analytics_startup",
] as const;

/** Runs SQL statements on the state dir's D1 through wrangler (D1's own engine); one result set per statement. */
function d1(stateDir: string, statements: string[]): Record<string, unknown>[][] {
  const out = spawnSync(
    "wrangler",
    [
      "d1",
      "execute",
      "DB",
      "--local",
      "--persist-to",
      stateDir,
      "--json",
      "--command",
      statements.join(";\n"),
    ],
    { cwd: ROOT, env: toolEnv(NO_PROMPT), encoding: "utf8" },
  );
  if (out.status !== 0) throw new Error(`wrangler d1 execute failed: ${out.stderr || out.stdout}`);
  return (JSON.parse(out.stdout) as { results: Record<string, unknown>[] }[]).map((r) => r.results);
}

function seed(stateDir: string, extra: string[] = []) {
  return spawnSync(
    "bun",
    [
      "scripts/seed-scale.ts",
      "--videos",
      String(VIDEOS),
      "--state-dir",
      stateDir,
      "--seed",
      "7",
      "--viewers",
      "2",
      "--password",
      PASSWORD,
      "--analytics-videos",
      String(ANALYTICS_VIDEOS),
      ...extra,
    ],
    { cwd: ROOT, encoding: "utf8" },
  );
}

async function get<T>(base: string, path: string, token?: string): Promise<T> {
  const res = await fetch(`${base}${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${text.slice(0, 400)}`);
  return JSON.parse(text) as T;
}

interface Card {
  id: string;
  title: string;
  maturity: string;
  channel: { id: string };
}

describe("bun run seed:scale", () => {
  let stateDir: string;
  let printed: Record<string, number>;
  let dev: Platform | undefined;
  let base: string;
  /** Ground truth read through wrangler before the platform starts. */
  let truth: {
    tables: Record<string, number>;
    channel: { id: string; listed: number; subscribers: number };
    video: { id: string; likes: number; dislikes: number };
    cooking: number;
    analytics: {
      videoId: string;
      email: string;
      from: number;
      views: number;
      scopes: Record<string, number>;
      /** Month rows, and those whose views are not the sum of their month's day rows (per scope). */
      months: number;
      monthMismatches: number;
    };
  };

  beforeAll(async () => {
    stateDir = mkdtempSync(join(tmpdir(), "marquee-seed-scale-"));
    const made = seed(stateDir);
    expect(made.status, `${made.stdout}\n${made.stderr}`).toBe(0);
    printed = {};
    for (const m of made.stdout.matchAll(/^ {2}([a-z_]+) +([\d,]+)$/gm)) {
      printed[m[1] as string] = Number((m[2] as string).replaceAll(",", ""));
    }
    // A year ago, at the day grain: the range the studio's analytics request below asks for.
    const from = Math.floor((Date.now() - 365 * 86_400_000) / 86_400_000) * 86_400_000;
    const [counted, channels, videos, words, busiest, scopes, months] = d1(stateDir, [
      `SELECT ${TABLES.map((t) => `(SELECT COUNT(*) FROM ${t}) AS ${t}`).join(", ")}`,
      `SELECT c.id, c.subscriber_count AS subscribers,
         (SELECT COUNT(*) FROM videos v WHERE v.channel_id = c.id AND v.visibility IN ('public', 'premium')
            AND v.status = 'ready' AND v.deleted_at IS NULL) AS listed
       FROM channels c WHERE c.subscriber_count > 0 ORDER BY c.id LIMIT 1`,
      `SELECT v.id,
         (SELECT COUNT(*) FROM video_reaction_index r WHERE r.video_id = v.id AND r.value = 'like') AS likes,
         (SELECT COUNT(*) FROM video_reaction_index r WHERE r.video_id = v.id AND r.value = 'dislike') AS dislikes
       FROM videos v WHERE v.visibility = 'public' AND v.status = 'ready' AND v.maturity = 'kids' AND v.like_count > 3
       ORDER BY v.id LIMIT 1`,
      `SELECT COUNT(*) AS n FROM video_search s JOIN videos v ON v.rowid = s.rowid
       WHERE video_search MATCH 'zucchini' AND v.visibility IN ('public', 'premium') AND v.status = 'ready'`,
      `SELECT p.scope_id AS videoId, a.email,
         (SELECT SUM(d.views) FROM analytics_periods d WHERE d.scope = 'video' AND d.scope_id = p.scope_id
            AND d.grain = 'day' AND d.start >= ${from}) AS views
       FROM analytics_periods p JOIN videos v ON v.id = p.scope_id JOIN accounts a ON a.id = v.account_id
       WHERE p.scope = 'video' AND p.grain = 'day' GROUP BY p.scope_id ORDER BY SUM(p.views) DESC LIMIT 1`,
      `SELECT scope, COUNT(DISTINCT scope_id) AS n FROM analytics_periods GROUP BY scope`,
      `SELECT COUNT(*) AS n, COALESCE(SUM(m.views != (SELECT SUM(d.views) FROM analytics_periods d
            WHERE d.scope = m.scope AND d.scope_id = m.scope_id AND d.grain = 'day'
              AND strftime('%Y-%m', d.start / 1000, 'unixepoch') = strftime('%Y-%m', m.start / 1000, 'unixepoch'))), 0) AS bad
       FROM analytics_periods m WHERE m.grain = 'month'`,
    ]);
    const tables: Record<string, number> = {};
    for (const t of TABLES) tables[t] = Number(counted?.[0]?.[t]);
    const channel = channels?.[0] as { id: string; listed: number; subscribers: number } | undefined;
    const video = videos?.[0] as { id: string; likes: number; dislikes: number } | undefined;
    const cooking = words?.[0] as { n: number } | undefined;
    if (!channel || !video || !cooking)
      throw new Error("the seeded catalogue lacks a channel, a video or a word");
    const top = busiest?.[0] as { videoId: string; email: string; views: number } | undefined;
    if (!top) throw new Error("the seed wrote no analytics");
    const scopeCounts = Object.fromEntries((scopes ?? []).map((r) => [r.scope as string, Number(r.n)]));
    const monthCheck = months?.[0] as { n: number; bad: number } | undefined;
    truth = {
      tables,
      channel,
      video,
      cooking: cooking.n,
      analytics: {
        ...top,
        from,
        scopes: scopeCounts,
        months: Number(monthCheck?.n),
        monthMismatches: Number(monthCheck?.bad),
      },
    };

    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    dev = startPlatform({
      port,
      originPort: await freePort(),
      stateDir,
      env: { MARQUEE_DEMO: "0", MARQUEE_ORIGIN: "0" },
    });
    await platformReady(dev);
  }, 420_000);

  afterAll(async () => {
    if (dev) await stopPlatform(dev).catch(() => undefined);
    killSurvivors();
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  it("prints totals that are what D1 holds, with about the asked number of reactions", () => {
    for (const t of TABLES) expect(printed[t], t).toBe(truth.tables[t]);
    expect(truth.tables.videos).toBe(VIDEOS);
    expect(truth.tables.categories).toBeGreaterThanOrEqual(10);
    // --reactions-per-video defaults to 10: 0…20 per video, so the total is near 10 per video.
    expect(truth.tables.video_reaction_index).toBeGreaterThan(VIDEOS * 9);
    expect(truth.tables.video_reaction_index).toBeLessThan(VIDEOS * 11);
  });

  it("refuses to seed the same database twice without --reset-seeded", () => {
    const again = seed(stateDir);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain("--reset-seeded");
  });

  it("shows the seeded categories, a channel's listed videos and a video's counts through the API", async () => {
    const cats = await get<{ items: { slug: string }[] }>(base, "/api/v1/categories");
    expect(cats.items.map((c) => c.slug)).toEqual(expect.arrayContaining(["music", "cooking", "kids"]));

    const channel = await get<{ subscriberCount: number }>(base, `/api/v1/channels/${truth.channel.id}`);
    expect(channel.subscriberCount).toBe(truth.channel.subscribers);
    const seen = new Set<string>();
    let cursor: string | null = null;
    do {
      const page: { items: Card[]; nextCursor: string | null } = await get(
        base,
        `/api/v1/channels/${truth.channel.id}/videos?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`,
      );
      for (const card of page.items) seen.add(card.id);
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen.size).toBe(truth.channel.listed);

    const video = await get<{ likeCount: number; dislikeCount: number }>(
      base,
      `/api/v1/videos/${truth.video.id}`,
    );
    expect(video.likeCount).toBe(truth.video.likes);
    expect(video.dislikeCount).toBe(truth.video.dislikes);
  });

  it("fills analytics for the asked number of videos, their channels and the platform, as the API reads them", async () => {
    expect(truth.analytics.scopes.video).toBe(ANALYTICS_VIDEOS);
    expect(truth.analytics.scopes.channel).toBeGreaterThan(0);
    expect(truth.analytics.scopes.platform).toBe(1);
    expect(truth.analytics.views).toBeGreaterThan(365);
    // Month rows (12 or 13 a year per scope) are the merge of their days: the year's totals read them.
    expect(truth.analytics.months).toBeGreaterThanOrEqual(12 * (ANALYTICS_VIDEOS + 2));
    expect(truth.analytics.monthMismatches).toBe(0);
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: truth.analytics.email, password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };
    const year = await get<{ totals: { views: number }; series: unknown[]; retention: unknown[] }>(
      base,
      `/api/v1/studio/videos/${truth.analytics.videoId}/analytics?granularity=day&from=${new Date(truth.analytics.from).toISOString()}`,
      accessToken,
    );
    expect(year.totals.views).toBe(truth.analytics.views);
    expect(year.series.length).toBeGreaterThan(300);
    expect(year.retention).toHaveLength(100);
  });

  it("finds seeded words with search", async () => {
    const found = await get<{ items: Card[] }>(base, "/api/v1/search?q=zucchini&limit=50");
    expect(found.items.length).toBe(Math.min(50, truth.cooking));
    for (const card of found.items) expect(card.id).toMatch(/^vid_lseed/);
  });

  it("lets a seeded viewer sign in and see a non-empty feed on each profile, none above its level", async () => {
    const login = await fetch(`${base}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "scale-viewer-1@seed.marquee.test", password: PASSWORD }),
    });
    expect(login.status).toBe(200);
    const { accessToken } = (await login.json()) as { accessToken: string };
    const { items: profiles } = await get<{ items: { id: string; maturity: string }[] }>(
      base,
      "/api/v1/me/profiles",
      accessToken,
    );
    expect(profiles.map((p) => p.maturity).sort()).toEqual(["adult", "kids", "teen"]);
    const rank: Record<string, number> = { kids: 0, teen: 1, adult: 2 };
    for (const p of profiles) {
      const switched = await fetch(`${base}/api/v1/me/profiles/${p.id}/switch`, {
        method: "POST",
        headers: { authorization: `Bearer ${accessToken}` },
      });
      expect(switched.status).toBe(200);
      const { accessToken: token } = (await switched.json()) as { accessToken: string };
      const feed = await get<{ items: { items: { video: Card }[] }[] }>(base, "/api/v1/feed", token);
      const cards = feed.items.flatMap((r) => r.items.map((i) => i.video));
      expect(cards.length, `${p.maturity} profile's feed`).toBeGreaterThan(0);
      for (const card of cards) expect(rank[card.maturity]).toBeLessThanOrEqual(rank[p.maturity] as number);
      const history = await get<{ items: unknown[] }>(base, "/api/v1/me/history", token);
      expect(history.items.length).toBeGreaterThan(0);
    }
  });
});
