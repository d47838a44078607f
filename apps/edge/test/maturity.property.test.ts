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
 *
 * The catalogues are drawn in maturity/catalogue.ts, written by maturity/store.ts and the listings
 * walked by maturity/listings.ts.
 */
import { env } from "cloudflare:test";
import type { Maturity } from "@marquee/shared";
import { inArray } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { videos as videosTable } from "../src/db/schema";
import { recomputeTrending } from "../src/feed/trending-task";
import { insertCategory, lowerId, testDb } from "./fixtures";
import { api, type SeededAccount, seedAccount, unique } from "./harness";
import {
  catalogueArb,
  EXAMPLE,
  FAMILIES,
  LEVELS,
  RANK,
  type StoredVideo,
  TAGS,
  WORDS,
} from "./maturity/catalogue";
import {
  type Card,
  type FeedPage,
  getJson,
  PAGE_CAP,
  routeFamily,
  type Seen,
  walk,
} from "./maturity/listings";
import { retireCatalogue, writeCatalogue, writeProfiles } from "./maturity/store";

const RUNS = 15;

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
      const id = lowerId("cat", "mprop");
      await insertCategory(`Property ${i}`, { id, slug: id.replace("_", "-"), position: 100 });
      categoryIds.push(id);
    }
  });

  it("holds for random catalogues, profiles, histories, likes and subscriptions", async () => {
    await fc.assert(
      fc.asyncProperty(catalogueArb, async (gen) => {
        const run = unique("r")
          .toLowerCase()
          .replace(/[^a-z0-9]/g, "");
        const { videos, channels } = await writeCatalogue(run, gen.videos, viewer, categoryIds);
        try {
          const profiles = viewer.profiles.map((p, i) => ({
            ...p,
            maturity: gen.profiles[i]?.maturity ?? "kids",
          }));
          await writeProfiles(profiles, gen.profiles, videos, channels, categoryIds);
          await recomputeTrending(env, Date.now());
          for (const p of profiles) await checkProfile(p, videos, channels);
        } finally {
          await retireCatalogue(videos);
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
      for (const row of body.items) {
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
    const stored = await storedVideos(others);
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
        const listed = mine ? mine.listed : stored.get(card.id)?.listed === true;
        expect(listed, `${route} listed ${card.id}, which is not public and playable`).toBe(true);
      }
    }
    for (const r of reasonIds) {
      const truth =
        byId.get(r.id)?.maturity ??
        stored.get(r.id)?.maturity ??
        (await storedVideos([r.id])).get(r.id)?.maturity;
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
});

/** Other files' videos a route showed: their rating, and whether they are listed (public and playable). */
async function storedVideos(ids: string[]): Promise<Map<string, { maturity: Maturity; listed: boolean }>> {
  const stored = new Map<string, { maturity: Maturity; listed: boolean }>();
  for (let i = 0; i < ids.length; i += 80) {
    const rows = await testDb()
      .select()
      .from(videosTable)
      .where(inArray(videosTable.id, ids.slice(i, i + 80)));
    for (const v of rows) {
      const listed =
        (v.visibility === "public" || v.visibility === "premium") &&
        v.status !== "deleted" &&
        v.deletedAt === null &&
        (v.status === "ready" || (v.status === "processing" && v.playable));
      stored.set(v.id, { maturity: v.maturity, listed });
    }
  }
  return stored;
}
