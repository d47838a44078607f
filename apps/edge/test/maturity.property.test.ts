/**
 * Issue 5's acceptance property: for random catalogues and profiles, a kids (or teen) profile is never
 * shown content above its level by any discovery route — feed (every page, every reason), subscriptions
 * feed, search, suggestions, tag pages, channel pages, trending, history — and every above-level video
 * answers 404 on GET /videos/{id} and /playback, even to a profile of the account that owns it.
 *
 * Each run writes a random catalogue straight into D1 (unique ids per run, so shrinking and other test
 * files never share rows): channels (one owned by the viewer's own account), videos with random
 * rating, visibility, status, category, tags and title words from a small vocabulary; random history,
 * likes, subscriptions and affinities for three profiles whose levels are drawn per run (the first is
 * always kids); trending is recomputed; then every route is called through the real app. Returned
 * cards are checked against the catalogue (and against D1 for videos of other files).
 *
 * The property would hold on routes that show nothing, so it must also see each route family —
 * suggestions included — show each level (kids, teen, adult) a run video *of that very level* at
 * least once: a route that hid everything, or treated teen as kids, fails. A hand-made catalogue
 * (EXAMPLE, run first) guarantees every family has something of every level to show; the random
 * runs explore beyond it.
 */
import { env } from "cloudflare:test";
import type { Maturity } from "@marquee/shared";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { recomputeTrending } from "../src/feed/trending-task";
import { api, type SeededAccount, seedAccount, unique } from "./harness";

const RUNS = 15;
const RANK: Record<Maturity, number> = { kids: 0, teen: 1, adult: 2 };
/** Words no other test file uses, so search and suggestions see only this file's catalogue. */
const WORDS = ["quokka", "marimba", "zephyrine", "tundrafox", "saffronia", "nebulous"] as const;
const TAGS = ["origamiprop", "kayakprop", "falafelprop", "glacierprop"] as const;
const CHANNELS = 3;
const PAGE_CAP = 30;

type VideoState = "ready" | "processing_playable" | "processing" | "failed" | "deleted" | "awaiting_upload";

interface GenVideo {
  maturity: Maturity;
  visibility: "public" | "premium" | "unlisted" | "private";
  state: VideoState;
  channel: number;
  category: number | null;
  tags: string[];
  words: string[];
  ageHours: number;
  durationS: number;
  views: number;
  likes: number;
}

interface GenProfile {
  maturity: Maturity;
  history: { video: number; completed: boolean; fraction: number; hoursAgo: number }[];
  likes: number[];
  subscriptions: number[];
}

const videoArb: fc.Arbitrary<GenVideo> = fc.record({
  maturity: fc.constantFrom<Maturity>("kids", "teen", "adult"),
  visibility: fc.constantFrom("public", "public", "public", "premium", "unlisted", "private"),
  state: fc.constantFrom<VideoState>(
    "ready",
    "ready",
    "ready",
    "ready",
    "processing_playable",
    "processing",
    "failed",
    "deleted",
    "awaiting_upload",
  ),
  channel: fc.nat({ max: CHANNELS - 1 }),
  category: fc.option(fc.nat({ max: 1 }), { nil: null }),
  tags: fc.uniqueArray(fc.constantFrom(...TAGS), { maxLength: 3 }),
  words: fc.uniqueArray(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 3 }),
  ageHours: fc.integer({ min: 1, max: 24 * 40 }),
  durationS: fc.integer({ min: 20, max: 4000 }),
  views: fc.nat({ max: 400 }),
  likes: fc.nat({ max: 40 }),
});

const profileArb = (maturity: fc.Arbitrary<Maturity>): fc.Arbitrary<GenProfile> =>
  fc.record({
    maturity,
    history: fc.array(
      fc.record({
        video: fc.nat(),
        completed: fc.boolean(),
        fraction: fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        hoursAgo: fc.integer({ min: 0, max: 24 * 20 }),
      }),
      { maxLength: 8 },
    ),
    likes: fc.uniqueArray(fc.nat(), { maxLength: 6 }),
    subscriptions: fc.uniqueArray(fc.nat({ max: CHANNELS - 1 }), { maxLength: CHANNELS }),
  });

const catalogueArb = fc.record({
  videos: fc.array(videoArb, { minLength: 3, maxLength: 18 }),
  profiles: fc.tuple(
    profileArb(fc.constant<Maturity>("kids")),
    profileArb(fc.constantFrom<Maturity>("kids", "teen", "adult")),
    profileArb(fc.constantFrom<Maturity>("kids", "teen")),
  ),
});

const LEVELS: readonly Maturity[] = ["kids", "teen", "adult"];
/** Route families that must show each level something of its own level (see the header). */
const FAMILIES = [
  "feed",
  "feed/subscriptions",
  "search",
  "search/suggest",
  "tags",
  "channels",
  "trending",
  "me/history",
] as const;

/**
 * Every level on every channel, all public and ready, tagged, titled, recent and watched; three
 * profiles (kids, adult, teen) that watched, liked and subscribed to everything.
 */
const EXAMPLE: { videos: GenVideo[]; profiles: [GenProfile, GenProfile, GenProfile] } = (() => {
  const videos: GenVideo[] = [];
  LEVELS.forEach((maturity, level) => {
    for (let channel = 0; channel < CHANNELS; channel++) {
      videos.push({
        maturity,
        visibility: "public",
        state: "ready",
        channel,
        category: 0,
        tags: [TAGS[channel] as string, TAGS[3] as string],
        words: [WORDS[0], WORDS[(level * CHANNELS + channel) % WORDS.length] as string].filter(
          (w, i, all) => all.indexOf(w) === i,
        ),
        ageHours: 2 + level * CHANNELS + channel,
        durationS: 120,
        views: 300 - level * 10 - channel,
        likes: 30,
      });
    }
  });
  const profile = (maturity: Maturity): GenProfile => ({
    maturity,
    history: videos.map((_, video) => ({
      video,
      completed: video % 2 === 0,
      fraction: 0.5,
      hoursAgo: video,
    })),
    likes: videos.map((_, i) => i),
    subscriptions: [0, 1, 2],
  });
  return { videos, profiles: [profile("kids"), profile("adult"), profile("teen")] };
})();

interface Card {
  id: string;
  title: string;
  maturity: Maturity;
}

interface StoredVideo extends GenVideo {
  id: string;
  channelId: string;
  title: string;
  /** A word only this video's title has, to spot it in suggestion texts. */
  marker: string;
  listed: boolean;
}

/** "search" for /api/v1/search?q=…, "feed/subscriptions", "me/history", "channels", … */
function routeFamily(route: string): string {
  const path = route.replace(/^\/api\/v1\//, "").split("?")[0] ?? "";
  if (path.startsWith("feed/subscriptions")) return "feed/subscriptions";
  if (path.startsWith("me/history")) return "me/history";
  return path.split("/")[0] ?? path;
}

/** Where a card was seen, for failure messages. */
type Seen = { route: string; card: Card };

async function getJson<T>(route: string, token: string): Promise<T> {
  const res = await api(route, { token });
  const text = await res.text();
  if (res.status !== 200) {
    // A missing route is a loud failure, not a skip: the property covers every discovery route.
    throw new Error(`GET ${route}: expected 200, got ${res.status}: ${text.slice(0, 400)}`);
  }
  return JSON.parse(text) as T;
}

/**
 * Every card of a `{ items, nextCursor }` listing, walking all pages. With `emptyIs404`, a first page
 * answered 404 by the route itself (tag pages: a tag none of whose videos the caller may see does not
 * exist for them) counts as an empty listing; a 404 from the router (no such route) still fails.
 */
async function walk(
  route: string,
  token: string,
  options: { pick?: (item: unknown) => Card; emptyIs404?: boolean } = {},
) {
  const pick = options.pick ?? ((i: unknown) => i as Card);
  const cards: Card[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < PAGE_CAP; page++) {
    const sep = route.includes("?") ? "&" : "?";
    const url = `${route}${sep}limit=20${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
    if (page === 0 && options.emptyIs404) {
      const res = await api(url, { token });
      const text = await res.text();
      if (res.status === 404 && !text.includes("No route matches")) return cards;
      if (res.status !== 200)
        throw new Error(`GET ${url}: expected 200 or 404, got ${res.status}: ${text.slice(0, 400)}`);
      const body = JSON.parse(text) as { items: unknown[]; nextCursor: string | null };
      cards.push(...body.items.map(pick));
      cursor = body.nextCursor;
    } else {
      const body: { items: unknown[]; nextCursor: string | null } = await getJson(url, token);
      cards.push(...body.items.map(pick));
      cursor = body.nextCursor;
    }
    if (!cursor) break;
  }
  return cards;
}

interface FeedReason {
  type: string;
  videoId?: string;
  videoTitle?: string;
}

interface FeedPage {
  rows: { id: string; title: string; reason: FeedReason; items: { video: Card; reason: FeedReason }[] }[];
  nextCursor: string | null;
}

describe("maturity property: discovery never shows a profile content above its level", () => {
  let viewer: SeededAccount;
  let categoryIds: string[];
  /** Per route family, the levels it showed a run video of that very level (see the header). */
  const coverage = new Map<string, Set<Maturity>>();
  const covered = (family: string, level: Maturity) => {
    const levels = coverage.get(family) ?? new Set<Maturity>();
    levels.add(level);
    coverage.set(family, levels);
  };
  let aboveLevelFetches = 0;

  beforeAll(async () => {
    // The viewer's account also owns a channel: its kids profile must not see its own adult videos.
    viewer = await seedAccount({
      channel: true,
      profiles: [{ name: "Second" }, { name: "Third" }],
      tag: "mprop",
    });
    categoryIds = [];
    for (let i = 0; i < 2; i++) {
      const id = `cat_${unique("mprop").toLowerCase()}`;
      await env.DB.prepare("INSERT INTO categories (id, slug, name, position) VALUES (?1, ?2, ?3, 100)")
        .bind(id, id.replace("_", "-"), `Property ${i}`)
        .run();
      categoryIds.push(id);
    }
  });

  it("holds for random catalogues, profiles, histories, likes and subscriptions", async () => {
    await fc.assert(
      fc.asyncProperty(catalogueArb, async (gen) => {
        const run = unique("r")
          .toLowerCase()
          .replace(/[^a-z0-9]/g, "");
        const { videos, channels } = await writeCatalogue(run, gen.videos);
        try {
          const profiles = viewer.profiles.map((p, i) => ({
            ...p,
            maturity: gen.profiles[i]?.maturity ?? "kids",
          }));
          await writeProfiles(profiles, gen.profiles, videos, channels);
          await recomputeTrending(env, Date.now());
          for (const p of profiles) await checkProfile(p, videos, channels);
        } finally {
          // Retire this run's catalogue so later runs (and shrinking) see only their own videos.
          await env.DB.prepare(
            `UPDATE videos SET status = 'deleted', deleted_at = ?1 WHERE id IN (SELECT value FROM json_each(?2))`,
          )
            .bind(Date.now(), JSON.stringify(videos.map((v) => v.id)))
            .run();
        }
      }),
      { numRuns: RUNS, endOnFailure: true, examples: [[EXAMPLE]] },
    );
    const missing = FAMILIES.flatMap((family) =>
      LEVELS.filter((level) => !coverage.get(family)?.has(level)).map((level) => `${family}: ${level}`),
    );
    expect(missing, "route families that never showed a profile a video of its own level").toEqual([]);
    expect(aboveLevelFetches).toBeGreaterThan(0);
  }, 600_000);

  /** Channels (the first is the viewer's own) and videos of one run, straight into D1. */
  async function writeCatalogue(
    run: string,
    gen: GenVideo[],
  ): Promise<{ videos: StoredVideo[]; channels: string[] }> {
    const now = Date.now();
    const channels = [viewer.channelId as string];
    const owners = [viewer.accountId];
    const stmts: D1PreparedStatement[] = [];
    for (let c = 1; c < CHANNELS; c++) {
      const accountId = `acc_${run}o${c}`;
      const channelId = `chn_${run}c${c}`;
      stmts.push(
        env.DB.prepare(
          "INSERT INTO accounts (id, email, display_name) VALUES (?1, ?2, 'Property owner')",
        ).bind(accountId, `${run}-${c}@example.test`),
        env.DB.prepare("INSERT INTO channels (id, account_id, handle, name) VALUES (?1, ?2, ?3, ?4)").bind(
          channelId,
          accountId,
          `${run}c${c}`.slice(0, 30),
          `Property channel ${c}`,
        ),
      );
      channels.push(channelId);
      owners.push(accountId);
    }
    const videos: StoredVideo[] = gen.map((v, i) => {
      const marker = `mk${run}x${i}`;
      const title = [...v.words, marker].join(" ");
      const listed =
        (v.visibility === "public" || v.visibility === "premium") &&
        (v.state === "ready" || v.state === "processing_playable");
      return { ...v, id: `vid_${run}v${i}`, channelId: channels[v.channel] as string, title, marker, listed };
    });
    for (const v of videos) {
      const status =
        v.state === "processing_playable" ? "processing" : v.state === "deleted" ? "deleted" : v.state;
      const published = v.state === "ready" || v.state === "processing_playable" || v.state === "deleted";
      const publishedAt = published ? now - v.ageHours * 3_600_000 : null;
      stmts.push(
        env.DB.prepare(
          `INSERT INTO videos (id, channel_id, account_id, title, description, tags, category_id, visibility, status,
             playable, progress, duration_ms, source_key, source_size, source_type, published_at, deleted_at,
             maturity, view_count, like_count)
           VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, 1000, 'video/mp4', ?14, ?15, ?16, ?17, ?18)`,
        ).bind(
          v.id,
          channels[v.channel],
          owners[v.channel],
          v.title,
          `About ${v.words.join(" and ")}`,
          JSON.stringify(v.tags),
          v.category === null ? null : categoryIds[v.category],
          v.visibility,
          status,
          v.state === "ready" || v.state === "processing_playable" ? 1 : 0,
          v.state === "ready" ? 100 : 40,
          v.durationS * 1000,
          `videos/${v.id}/source`,
          publishedAt,
          v.state === "deleted" ? now : null,
          v.maturity,
          v.views,
          v.likes,
        ),
      );
      if (v.views > 0) {
        stmts.push(
          env.DB.prepare(
            "INSERT INTO video_view_days (video_id, day, views, watched_ms) VALUES (?1, ?2, ?3, ?4)",
          ).bind(v.id, new Date(now).toISOString().slice(0, 10), v.views, v.views * v.durationS * 400),
        );
      }
    }
    await env.DB.batch(stmts);
    return { videos, channels };
  }

  /** Levels, then history, likes, subscriptions and affinities of the three profiles (replacing the last run's). */
  async function writeProfiles(
    profiles: { id: string; maturity: Maturity }[],
    gen: GenProfile[],
    videos: StoredVideo[],
    channels: string[],
  ): Promise<void> {
    const now = Date.now();
    const stmts: D1PreparedStatement[] = [];
    for (const [i, p] of profiles.entries()) {
      const g = gen[i] as GenProfile;
      stmts.push(
        env.DB.prepare("UPDATE profiles SET maturity = ?1 WHERE id = ?2").bind(p.maturity, p.id),
        ...[
          "watch_history",
          "video_reaction_index",
          "subscriptions",
          "profile_affinities",
          "playback_events",
        ].map((table) => env.DB.prepare(`DELETE FROM ${table} WHERE profile_id = ?1`).bind(p.id)),
      );
      const affinity = new Map<string, { score: number; last: string }>();
      const credit = (v: StoredVideo, weight: number) => {
        const keys: [string, string][] = [
          ["channel", v.channelId],
          ...v.tags.map((t): [string, string] => ["tag", t]),
          ...(v.category === null
            ? []
            : [["category", categoryIds[v.category] as string] as [string, string]]),
        ];
        for (const [kind, key] of keys) {
          const cur = affinity.get(`${kind}|${key}`) ?? { score: 0, last: v.id };
          affinity.set(`${kind}|${key}`, { score: cur.score + weight, last: v.id });
        }
      };
      // History and likes may name any video, above-level ones included (watched when the profile
      // was older, or liked before its level was lowered): the routes must still hide them.
      const watched = new Set<string>();
      for (const h of g.history) {
        const v = videos[h.video % videos.length] as StoredVideo;
        if (watched.has(v.id) || v.state === "awaiting_upload") continue;
        watched.add(v.id);
        const at = now - h.hoursAgo * 3_600_000;
        const position = h.completed ? v.durationS * 1000 : Math.floor(v.durationS * 1000 * h.fraction);
        stmts.push(
          env.DB.prepare(
            `INSERT INTO watch_history (profile_id, video_id, position_ms, watched_ms, completed, first_watched_at, last_watched_at)
             VALUES (?1, ?2, ?3, ?3, ?4, ?5, ?5)`,
          ).bind(p.id, v.id, position, h.completed ? 1 : 0, at),
        );
        credit(v, h.completed ? 1 : 0.5);
      }
      for (const l of g.likes) {
        const v = videos[l % videos.length] as StoredVideo;
        stmts.push(
          env.DB.prepare(
            "INSERT OR IGNORE INTO video_reaction_index (profile_id, video_id, value, reacted_at) VALUES (?1, ?2, 'like', ?3)",
          ).bind(p.id, v.id, now),
        );
        credit(v, 0.3);
      }
      for (const c of g.subscriptions) {
        stmts.push(
          env.DB.prepare("INSERT INTO subscriptions (profile_id, channel_id) VALUES (?1, ?2)").bind(
            p.id,
            channels[c],
          ),
        );
      }
      for (const [k, a] of affinity) {
        const [kind, key] = k.split("|") as [string, string];
        stmts.push(
          env.DB.prepare(
            "INSERT INTO profile_affinities (profile_id, kind, key, score, last_video_id, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
          ).bind(p.id, kind, key, a.score, a.last, now),
        );
      }
    }
    await env.DB.batch(stmts);
  }

  async function checkProfile(
    p: { id: string; maturity: Maturity; token: string },
    videos: StoredVideo[],
    channels: string[],
  ) {
    const level = RANK[p.maturity];
    const byId = new Map(videos.map((v) => [v.id, v]));
    const seen: Seen[] = [];
    const note = (route: string, cards: Card[]) => {
      const family = routeFamily(route);
      for (const card of cards) {
        seen.push({ route, card });
        if (byId.get(card.id)?.maturity === p.maturity) covered(family, p.maturity);
      }
    };
    /** Listings must also hold only listed videos (the contract's visibleToSql); history may hold others. */
    const listings = new Set<string>();
    const listing = (route: string, cards: Card[]) => {
      listings.add(route);
      note(route, cards);
    };

    // Feed: every page, every row; reasons may name a video ("because you watched …"): also checked.
    const reasonIds: { route: string; id: string; title?: string }[] = [];
    let cursor: string | null = null;
    for (let page = 0; page < PAGE_CAP; page++) {
      const route = `/api/v1/feed${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ""}`;
      const body: FeedPage = await getJson(route, p.token);
      for (const row of body.rows) {
        listing(
          "/api/v1/feed",
          row.items.map((i) => i.video),
        );
        for (const reason of [row.reason, ...row.items.map((i) => i.reason)]) {
          if (reason.videoId)
            reasonIds.push({
              route: `/api/v1/feed (${row.id})`,
              id: reason.videoId,
              title: reason.videoTitle,
            });
        }
      }
      cursor = body.nextCursor;
      if (!cursor) break;
    }
    listing("/api/v1/feed/subscriptions", await walk("/api/v1/feed/subscriptions", p.token));
    for (const word of WORDS)
      listing(`/api/v1/search?q=${word}`, await walk(`/api/v1/search?q=${word}`, p.token));
    listing(
      `/api/v1/search?q=${WORDS[0]}&category=…`,
      await walk(`/api/v1/search?q=${WORDS[0]}&category=${categoryIds[0]}`, p.token),
    );
    for (const tag of TAGS)
      listing(
        `/api/v1/tags/${tag}/videos`,
        await walk(`/api/v1/tags/${encodeURIComponent(tag)}/videos`, p.token, { emptyIs404: true }),
      );
    for (const id of channels) {
      listing(`/api/v1/channels/${id}/videos`, await walk(`/api/v1/channels/${id}/videos`, p.token));
    }
    listing("/api/v1/trending", await walk("/api/v1/trending", p.token));
    for (const cat of categoryIds) {
      listing(`/api/v1/trending?category=${cat}`, await walk(`/api/v1/trending?category=${cat}`, p.token));
    }
    const history = await walk("/api/v1/me/history", p.token, { pick: (i) => (i as { video: Card }).video });
    note("/api/v1/me/history", history);

    // Every card: at or below the level (by the catalogue, or by D1 for other files' videos), and the
    // card's own rating says so too.
    const others = [...new Set(seen.map((s) => s.card.id).filter((id) => !byId.has(id)))];
    const stored = new Map<string, { maturity: Maturity; listed: number }>();
    for (let i = 0; i < others.length; i += 80) {
      const rows = await env.DB.prepare(
        `SELECT v.id, v.maturity,
           (v.visibility IN ('public', 'premium') AND v.status != 'deleted' AND v.deleted_at IS NULL
             AND (v.status = 'ready' OR (v.status = 'processing' AND v.playable = 1))) AS listed
         FROM videos v WHERE v.id IN (SELECT value FROM json_each(?1))`,
      )
        .bind(JSON.stringify(others.slice(i, i + 80)))
        .all<{ id: string; maturity: Maturity; listed: number }>();
      for (const r of rows.results) stored.set(r.id, r);
    }
    for (const { route, card } of seen) {
      const mine = byId.get(card.id);
      const truth = mine?.maturity ?? stored.get(card.id)?.maturity;
      expect(truth, `${route}: unknown video ${card.id}`).toBeDefined();
      expect(
        RANK[truth as Maturity],
        `${route} showed ${card.id} (${truth}) to a ${p.maturity} profile`,
      ).toBeLessThanOrEqual(level);
      expect(card.maturity, `${route}: card ${card.id} carries a rating other than the video's`).toBe(truth);
      if (listings.has(route)) {
        const listed = mine ? mine.listed : stored.get(card.id)?.listed === 1;
        expect(listed, `${route} listed ${card.id}, which is not public and playable`).toBe(true);
      }
    }
    for (const r of reasonIds) {
      const truth = byId.get(r.id)?.maturity ?? stored.get(r.id)?.maturity ?? (await maturityOf(r.id));
      expect(
        RANK[truth as Maturity],
        `${r.route}: a reason names ${r.id} (${truth}, "${r.title}") to a ${p.maturity} profile`,
      ).toBeLessThanOrEqual(level);
    }

    // Suggestions must not reveal an above-level title (each title carries a marker word of its own).
    const above = videos.filter((v) => RANK[v.maturity] > level);
    for (const prefix of [...WORDS.map((w) => w.slice(0, 3)), ...WORDS]) {
      const body = await getJson<{ items: { text: string; kind: string }[] }>(
        `/api/v1/search/suggest?q=${encodeURIComponent(prefix)}`,
        p.token,
      );
      for (const s of body.items) {
        const words = s.text.toLowerCase().split(/[^a-z0-9]+/);
        if (videos.some((v) => v.maturity === p.maturity && words.includes(v.marker))) {
          covered("search/suggest", p.maturity);
        }
        const leaked = above.find((v) => words.includes(v.marker));
        expect(
          leaked,
          `suggest?q=${prefix} revealed "${s.text}" (${leaked?.maturity}) to a ${p.maturity} profile`,
        ).toBeUndefined();
      }
    }

    // Direct fetches of above-level videos: 404 (existence not revealed), even for the owner's account.
    for (const v of above) {
      for (const path of [
        `/api/v1/videos/${v.id}`,
        `/api/v1/videos/${v.id}/playback`,
        `/api/v1/me/history/${v.id}`,
      ]) {
        aboveLevelFetches++;
        const res = await api(path, { token: p.token });
        const text = await res.text();
        expect(
          res.status,
          `${path} (${v.maturity}, ${v.visibility}, ${v.state}) for a ${p.maturity} profile: ${text.slice(0, 200)}`,
        ).toBe(404);
        expect(text, `${path}: the route itself is missing`).not.toContain("No route matches");
      }
    }
  }

  async function maturityOf(id: string): Promise<Maturity | undefined> {
    const row = await env.DB.prepare("SELECT maturity FROM videos WHERE id = ?1")
      .bind(id)
      .first<{ maturity: Maturity }>();
    return row?.maturity;
  }
});
