import { env } from "cloudflare:test";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { DAY, insertCategory, testDb } from "../../test/fixtures";
import { api, apiJson, type SeededAccount, seedAccount } from "../../test/harness";
import { storedVideo, walk as walkCards } from "../catalog/test-utils";
import { trending, videoReactionDays, videos, videoViewDays } from "../db/schema";
import { beacon, sendBeacons } from "../history/test-utils";
import { recomputeTrending } from "./trending-task";

interface Card {
  id: string;
  maturity: string;
}
interface Page {
  items: Card[];
  nextCursor: string | null;
}

let creator: SeededAccount;
let viewers: SeededAccount[];

beforeAll(async () => {
  [creator, ...viewers] = await Promise.all([
    seedAccount({ tag: "trendcreator", channel: true }),
    ...Array.from({ length: 3 }, () => seedAccount({ tag: "trendviewer" })),
  ]);
});

async function scoreOf(scope: string, videoId: string) {
  const row = await testDb()
    .select({ score: trending.score })
    .from(trending)
    .where(and(eq(trending.scope, scope), eq(trending.videoId, videoId)))
    .get();
  return row?.score ?? null;
}

/** Every page of a trending list, two cards a page. */
const walk = (query: string, token?: string) => walkCards(`/api/v1/trending?${query}`, token, 2);

describe("trending", () => {
  it("before its first recompute, a category's trending shows its newest listed videos", async () => {
    const category = await insertCategory("Trend fresh");
    const now = Date.now();
    const older = await storedVideo(creator, { categoryId: category.id, publishedAt: now - 2 * DAY });
    const newer = await storedVideo(creator, { categoryId: category.id, publishedAt: now - DAY });
    await storedVideo(creator, { categoryId: category.id, publishedAt: now, visibility: "private" });
    const page = await apiJson<Page>(`/api/v1/trending?category=${category.id}`, 200);
    expect(page.items.map((c) => c.id)).toEqual([newer, older]);
    expect(page.nextCursor).toBeNull();
  });

  it("ranks a video with recent likes and views above an older one, per category and overall", async () => {
    const category = await insertCategory("Trend test");
    const now = Date.now();
    const hot = await storedVideo(creator, { categoryId: category.id, publishedAt: now - 10 * DAY });
    const old = await storedVideo(creator, {
      categoryId: category.id,
      publishedAt: now - 200 * DAY,
      viewCount: 5_000,
      likeCount: 800,
    });
    // The old one was busy four days ago (its rows as the view counter wrote them then: a start
    // sent today with a four-day-old stamp no longer counts as a view), the hot one today.
    await testDb()
      .insert(videoViewDays)
      .values({
        videoId: old,
        day: new Date(now - 4 * DAY).toISOString().slice(0, 10),
        views: viewers.length,
      });
    for (const v of viewers) {
      await sendBeacons(v.accessToken, [
        // Received today, so the old video is a candidate again; history only, not a view.
        beacon({ videoId: old, kind: "start", positionMs: 0, at: now - 4 * DAY }),
        beacon({ videoId: hot, kind: "start", positionMs: 0, at: now - 60_000 }),
      ]);
    }
    await testDb()
      .insert(videoReactionDays)
      .values({ videoId: hot, day: new Date(now).toISOString().slice(0, 10), likes: 5, dislikes: 0 });

    await recomputeTrending(env, Date.now());
    for (const scope of ["all", category.id]) {
      const [hotScore, oldScore] = [await scoreOf(scope, hot), await scoreOf(scope, old)];
      expect(hotScore).not.toBeNull();
      expect(oldScore).not.toBeNull();
      expect(hotScore as number).toBeGreaterThan(oldScore as number);
    }
    // By id or slug: the category's list, score first, page by page.
    const byId = await walk(`category=${category.id}`);
    expect(byId.map((c) => c.id)).toEqual([hot, old]);
    expect((await walk(`category=${category.slug}`)).map((c) => c.id)).toEqual([hot, old]);
    // All-time popular: the old one's seeded counts (its past views are rows, not beacons).
    expect(await scoreOf("popular", old)).toBe(800 * 3 + 5_000);
  });

  it("recomputing replaces the table: a video that stopped being listed leaves it", async () => {
    const category = await insertCategory("Trend gone");
    const videoId = await storedVideo(creator, { categoryId: category.id });
    await recomputeTrending(env, Date.now());
    expect(await scoreOf(category.id, videoId)).not.toBeNull();
    await testDb().update(videos).set({ visibility: "private" }).where(eq(videos.id, videoId));
    await recomputeTrending(env, Date.now() + 1);
    expect(await scoreOf(category.id, videoId)).toBeNull();
  });

  it("a kids profile's trending never holds a video rated above kids; signed out sees all levels", async () => {
    const category = await insertCategory("Trend kids");
    const family = await seedAccount({ tag: "trendkids", profiles: [{ name: "Kid", maturity: "kids" }] });
    const levels = ["kids", "teen", "adult"] as const;
    const ids = await Promise.all(
      levels.map((maturity) => storedVideo(creator, { categoryId: category.id, maturity })),
    );
    await recomputeTrending(env, Date.now());
    const kid = family.profiles[1]?.token as string;
    expect((await walk(`category=${category.id}`, kid)).map((c) => c.id)).toEqual([ids[0]]);
    expect((await walk(`category=${category.id}`)).map((c) => c.id).sort()).toEqual([...ids].sort());
    const overall = await apiJson<Page>("/api/v1/trending?limit=50", 200, { token: kid });
    for (const card of overall.items) expect(card.maturity).toBe("kids");
  });

  it("answers 404 for an unknown category and 400 for bad input", async () => {
    expect((await api("/api/v1/trending?category=no-such-category")).status).toBe(404);
    for (const query of [
      "limit=0",
      "limit=101",
      "cursor=!!",
      "cursor=eyJrIjoiaGlzdG9yeSJ9",
      "category=a%20b",
    ]) {
      const res = await api(`/api/v1/trending?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
  });
});
