import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { indexReaction, insertCategory } from "../../test/fixtures";
import {
  api,
  apiJson,
  type SeededAccount,
  seedAccount,
  seedCreatorsBeforeAll,
  unique,
} from "../../test/harness";
import { storedVideo } from "../catalog/test-utils";
import { sendBeacons, watchSession } from "../history/test-utils";
import { subscribe } from "../social/subscriptions/test-utils";
import { recomputeTrending } from "./trending-task";
import { FEED } from "./tuning";

interface Reason {
  type: string;
  videoId?: string;
  videoTitle?: string;
  categoryId?: string;
  categoryName?: string;
  channelId?: string;
}
interface Card {
  id: string;
  title: string;
  channel: { id: string };
  categoryId: string | null;
  maturity: string;
  publishedAt: string;
  durationMs: number | null;
}
interface Row {
  id: string;
  title: string;
  reason: Reason;
  items: { video: Card; reason: Reason; positionMs?: number }[];
}
interface FeedPage {
  /** The rows. */
  items: Row[];
  nextCursor: string | null;
}

const feedPage = (token: string, cursor?: string | null) =>
  apiJson<FeedPage>(`/api/v1/feed${cursor ? `?cursor=${cursor}` : ""}`, 200, { token });

/** Every page of one walk of the feed. */
async function walk(token: string): Promise<FeedPage[]> {
  const pages: FeedPage[] = [];
  let cursor: string | null = null;
  do {
    const page = await feedPage(token, cursor);
    pages.push(page);
    cursor = page.nextCursor;
  } while (cursor && pages.length < 20);
  return pages;
}

const allItems = (pages: FeedPage[]) => pages.flatMap((p) => p.items.flatMap((r) => r.items));

/** Creators, each with a channel; the tests spread videos over them. */
const creator = seedCreatorsBeforeAll(4, "feedcreator");

describe("GET /feed", () => {
  it("a profile that watched and liked cooking videos gets cooking first, with a reason naming what it watched", async () => {
    const viewer = await seedAccount({ tag: "feedcook" });
    const cooking = await insertCategory("Cooking");
    const other = await insertCategory("Motorsport");
    const tag = unique("dish").toLowerCase().slice(0, 20);
    const cook = (i: number, title: string) =>
      storedVideo(creator(i), { title, categoryId: cooking.id, tags: [tag], durationMs: 600_000 });
    const watchedA = await cook(0, "Crispy zucchini fritters");
    const watchedB = await cook(1, "Lemon risotto");
    const more = await Promise.all([
      cook(0, "Pesto"),
      cook(1, "Focaccia"),
      cook(2, "Ramen"),
      cook(3, "Tacos"),
    ]);
    // Much more popular, but not what this profile likes.
    const loud = await Promise.all(
      [0, 1, 2].map((i) =>
        storedVideo(creator(i), { categoryId: other.id, viewCount: 50_000, likeCount: 9_000 }),
      ),
    );
    await sendBeacons(viewer.accessToken, [
      ...watchSession(watchedA, 120_000),
      ...watchSession(watchedB, 60_000),
    ]);
    await indexReaction(viewer.profileId, watchedA);
    await recomputeTrending(env, Date.now());

    const [first] = await walk(viewer.accessToken);
    const rows = first?.items ?? [];
    expect(rows[0]?.reason.type).toBe("continue_watching");
    expect(rows[0]?.items.map((i) => i.video.id).sort()).toEqual([watchedA, watchedB].sort());
    // Each "continue watching" item says where to resume, for the card's progress bar; no other row does.
    const resume = Object.fromEntries(
      rows[0]?.items.map((i) => [i.video.id, [i.positionMs, i.video.durationMs]]) ?? [],
    );
    expect(resume).toEqual({ [watchedA]: [120_000, 600_000], [watchedB]: [60_000, 600_000] });
    for (const row of rows.slice(1)) for (const item of row.items) expect(item.positionMs).toBeUndefined();
    const recommended = rows[1] as Row;
    expect(recommended.reason).toMatchObject({ type: "because_you_watched" });
    expect([watchedA, watchedB]).toContain(recommended.reason.videoId);
    expect(recommended.title).toBe(`Because you watched ${recommended.reason.videoTitle}`);
    // Its items are what it likes, cooking first (a popular video of the same channel may follow).
    expect(more).toContain(recommended.items[0]?.video.id);
    const isCooking = recommended.items.map((i) => i.video.categoryId === cooking.id);
    expect(isCooking).toEqual([...isCooking].sort((a, b) => Number(b) - Number(a)));
    for (const item of recommended.items) expect(item.reason).toEqual(recommended.reason);
    // Cooking trending comes before trending overall, where the loud videos are.
    const types = rows.map((r) => r.reason.type);
    const cookingTrend = rows.findIndex(
      (r) => r.reason.type === "trending_in_category" && r.reason.categoryId === cooking.id,
    );
    const everything = allItems(await walk(viewer.accessToken)).map((i) => i.video.id);
    expect(everything.indexOf(loud[0] as string)).toBeGreaterThan(everything.indexOf(more[0] as string));
    if (cookingTrend >= 0) {
      expect(rows[cookingTrend]?.reason.categoryName).toBe("Cooking");
      if (types.includes("trending")) expect(cookingTrend).toBeLessThan(types.indexOf("trending"));
    }
  });

  it("a fresh profile gets a non-empty cold-start feed (trending, popular, new)", async () => {
    await storedVideo(creator(0), { title: "Something new" });
    const fresh = await seedAccount({ tag: "feedfresh" });
    const items = allItems(await walk(fresh.accessToken));
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(["trending", "popular", "new"]).toContain(item.reason.type);
  });

  it("walking every page never repeats an item, holds at most two per channel per row, and skips finished videos", async () => {
    const viewer = await seedAccount({ tag: "feedwalk" });
    const categories = await Promise.all([insertCategory("Walk A"), insertCategory("Walk B")]);
    const ids: string[] = [];
    for (let i = 0; i < 24; i++) {
      ids.push(
        await storedVideo(creator(i % 4), {
          categoryId: categories[i % 2]?.id ?? null,
          publishedAt: Date.now() - (i + 1) * 3_600_000,
          viewCount: i * 10,
        }),
      );
    }
    for (const c of [1, 2]) await subscribe(viewer.accessToken, creator(c).channelId as string);
    const [finished, partial, other] = ids as [string, string, string];
    await sendBeacons(viewer.accessToken, [
      ...watchSession(finished, 590_000, Date.now() - 5 * 60_000),
      ...watchSession(partial, 60_000),
      ...watchSession(other, 60_000),
    ]);
    await recomputeTrending(env, Date.now());

    const pages = await walk(viewer.accessToken);
    expect(pages.length).toBeGreaterThan(1);
    for (const page of pages.slice(0, -1)) expect(page.items).toHaveLength(FEED.rowsPerPage);
    const seen = allItems(pages).map((i) => i.video.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).not.toContain(finished);
    expect(seen).toContain(partial);
    for (const row of pages.flatMap((p) => p.items)) {
      expect(row.items.length).toBeLessThanOrEqual(FEED.rowSize);
      const perChannel = new Map<string, number>();
      for (const item of row.items) {
        perChannel.set(item.video.channel.id, (perChannel.get(item.video.channel.id) ?? 0) + 1);
      }
      expect(Math.max(...perChannel.values())).toBeLessThanOrEqual(2);
    }
    const subscriptionRow = pages.flatMap((p) => p.items).find((r) => r.id === "new_from_subscriptions");
    for (const item of subscriptionRow?.items ?? []) {
      expect([creator(1).channelId, creator(2).channelId]).toContain(item.video.channel.id);
      expect(item.reason).toMatchObject({ type: "new_from_subscriptions", channelId: item.video.channel.id });
    }
    expect(subscriptionRow?.items.length).toBeGreaterThan(0);

    // A cursor belongs to its profile's walk; a malformed one is a 400.
    const cursor = pages[0]?.nextCursor as string;
    const stranger = await seedAccount({ tag: "feedstranger" });
    expect((await api(`/api/v1/feed?cursor=${cursor}`, { token: stranger.accessToken })).status).toBe(410);
    expect((await api("/api/v1/feed?cursor=nope!", { token: viewer.accessToken })).status).toBe(400);
    expect((await api("/api/v1/feed?cursor=eyJrIjoiZmVlZCJ9", { token: viewer.accessToken })).status).toBe(
      400,
    );
  });

  it("a kids profile's feed never holds a video rated above kids", async () => {
    const family = await seedAccount({ tag: "feedkids", profiles: [{ name: "Kid", maturity: "kids" }] });
    const kid = family.profiles[1]?.token as string;
    const category = await insertCategory("Cartoons");
    const kidsVideos = await Promise.all(
      [0, 1, 2].map((i) => storedVideo(creator(i), { categoryId: category.id, maturity: "kids" })),
    );
    await Promise.all(
      [0, 1, 2].flatMap((i) => [
        storedVideo(creator(i), { categoryId: category.id, maturity: "teen", viewCount: 10_000 }),
        storedVideo(creator(i), { categoryId: category.id, maturity: "adult", viewCount: 10_000 }),
      ]),
    );
    await subscribe(kid, creator(0).channelId as string);
    await sendBeacons(kid, watchSession(kidsVideos[0] as string, 60_000));
    await recomputeTrending(env, Date.now());
    const items = allItems(await walk(kid));
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(item.video.maturity).toBe("kids");
  });

  it("a profile lowered to kids mid-walk gets no above-kids video from its older cursor", async () => {
    const [viewer, ...own] = await Promise.all([
      seedAccount({ tag: "feedlowered" }),
      ...[0, 1, 2].map(() => seedAccount({ tag: "feedlowcreator", channel: true })),
    ]);
    const ownCreator = (i: number) => own[i % own.length] as SeededAccount;
    const ids: string[] = [];
    for (let i = 0; i < 24; i++) {
      ids.push(
        await storedVideo(ownCreator(i), {
          maturity: i % 3 === 0 ? "kids" : "adult",
          publishedAt: Date.now() - (i + 1) * 3_600_000,
          viewCount: i * 10,
        }),
      );
    }
    // History and subscriptions give the feed enough rows for more than one page.
    for (const c of [0, 1]) await subscribe(viewer.accessToken, ownCreator(c).channelId as string);
    await sendBeacons(viewer.accessToken, [
      ...watchSession(ids[1] as string, 60_000),
      ...watchSession(ids[2] as string, 60_000),
    ]);
    await recomputeTrending(env, Date.now());
    // As an adult, the pages after the first hold adult videos.
    const asAdult = await walk(viewer.accessToken);
    expect(asAdult.length).toBeGreaterThan(1);
    const later = asAdult.slice(1).flatMap((p) => p.items.flatMap((r) => r.items));
    expect(later.some((i) => i.video.maturity !== "kids")).toBe(true);

    const first = await feedPage(viewer.accessToken);
    expect(first.nextCursor).not.toBeNull();
    await apiJson(`/api/v1/me/profiles/${viewer.profileId}`, 200, {
      method: "PATCH",
      token: viewer.accessToken,
      json: { maturity: "kids" },
    });
    const next = await feedPage(viewer.accessToken, first.nextCursor);
    for (const item of next.items.flatMap((r) => r.items)) expect(item.video.maturity).toBe("kids");
  });

  it("needs a profile token", async () => {
    expect((await api("/api/v1/feed")).status).toBe(401);
    expect((await api("/api/v1/feed/subscriptions")).status).toBe(401);
  });
});
