/** The scale seed's videos and their reactions (scale-seed.ts runs it after the accounts). */
import * as t from "../../apps/edge/src/db/schema";
import type { Maturity } from "../../packages/shared/src/roles";
import { progressBar } from "./progress-bar";
import { BATCH, type Counter, insertRows, type SeedDb } from "./seed-db";
import { LEVEL, type People, type ProfileRow, type VideoMeta } from "./seed-history";
import { capital, DAY, dayOf, type Random, seedId } from "./seed-random";
import { CATEGORIES, COMMON_WORDS, FILLER } from "./seed-vocab";

const RENDITIONS = [
  { name: "720p", width: 1280, height: 720, bandwidth: 2_800_000, codecs: "avc1.64001f,mp4a.40.2" },
  { name: "360p", width: 640, height: 360, bandwidth: 800_000, codecs: "avc1.64001e,mp4a.40.2" },
];

export interface Catalogue {
  /** Listed videos per category (index; CATEGORIES.length = none) per viewer level, for history. */
  listedFor: string[][][];
  videoMeta: Map<string, VideoMeta>;
  sampleVideos: Record<Maturity, string[]>;
  wordCounts: Map<string, number>;
  /** Likes by history profiles, for their affinities. */
  likedBy: Map<string, string[]>;
  /** Reactions of the last 30 days per `videoId|day` (creator stats, trending's like velocity). */
  reactionDays: Map<string, { likes: number; dislikes: number }>;
}

const visibilityOf = (v: number) =>
  v < 0.86 ? "public" : v < 0.9 ? "unlisted" : v < 0.94 ? "private" : v < 0.97 ? "premium" : "public";

const durationOf = (r: Random) => {
  const d = r.next();
  return d < 0.4
    ? r.int(30_000, 239_000)
    : d < 0.85
      ? r.int(240_000, 1_200_000)
      : r.int(1_201_000, 5_400_000);
};

/** Videos (mixed rating, visibility, age and length) with their reactions from profiles allowed to see them. */
export function seedVideos(
  db: SeedDb,
  o: { videos: number; reactionsPerVideo: number },
  r: Random,
  now: number,
  people: People,
  categoryIds: string[],
  add: Counter,
): Catalogue {
  const { profiles, channelCategory } = people;
  const channelCount = channelCategory.length;
  // Reactors by level: a video rated `m` gets reactions from profiles at or above `m`.
  const reactors: Record<Maturity, ProfileRow[]> = {
    kids: profiles,
    teen: profiles.filter((p) => p.maturity !== "kids"),
    adult: profiles.filter((p) => p.maturity === "adult"),
  };
  const c: Catalogue = {
    listedFor: Array.from({ length: CATEGORIES.length + 1 }, () => [[], [], []]),
    videoMeta: new Map(),
    sampleVideos: { kids: [], teen: [], adult: [] },
    wordCounts: new Map(),
    likedBy: new Map(),
    reactionDays: new Map(),
  };
  const historyProfiles = new Set(profiles.filter((p) => p.withHistory).map((p) => p.id));
  const bar = progressBar("videos  ");
  let videoCount = 0;
  let reactionCount = 0;
  for (let start = 0; start < o.videos; start += BATCH) {
    const videos: (typeof t.videos.$inferInsert)[] = [];
    const reactions: (typeof t.videoReactionIndex.$inferInsert)[] = [];
    for (let i = start; i < Math.min(o.videos, start + BATCH); i++) {
      const id = seedId("vid", "", i);
      const channel = r.int(0, channelCount - 1);
      const chCat = channelCategory[channel] as number;
      const cat = r.next() < 0.03 ? null : r.next() < 0.85 ? chCat : r.int(0, CATEGORIES.length - 1);
      const vocab = CATEGORIES[cat ?? chCat] as (typeof CATEGORIES)[number];
      const words = [...r.sample(vocab.words, r.int(1, 3)), ...r.sample(COMMON_WORDS, r.int(1, 2))];
      for (const w of words) c.wordCounts.set(w, (c.wordCounts.get(w) ?? 0) + 1);
      const title = words
        .sort(() => r.next() - 0.5)
        .map(capital)
        .join(" ");
      const description = `${capital(r.pick(FILLER))} ${r.sample(vocab.words, 3).join(", ")}. ${capital(r.pick(FILLER))} ${r.pick(COMMON_WORDS)} ${r.pick(vocab.words)}.`;
      const tags = r.sample(vocab.tags, r.int(1, 4));
      const maturity = r.weighted(vocab.maturity);
      const v = r.next();
      const deleted = v >= 0.97;
      const visibility = visibilityOf(v);
      const listed = !deleted && (visibility === "public" || visibility === "premium");
      // Skewed to recent: half of the catalogue is from the last ~3 months.
      const publishedAt = now - Math.floor(365 * DAY * r.next() ** 2) - r.int(60_000, 3_600_000);
      const durationMs = durationOf(r);
      // Reactions: 0 … 2× the mean, from distinct profiles allowed to see the video.
      let likes = 0;
      let dislikes = 0;
      for (const p of r.sample(reactors[maturity], r.int(0, 2 * o.reactionsPerVideo))) {
        const value = r.next() < 0.9 ? "like" : "dislike";
        if (value === "like") likes++;
        else dislikes++;
        const at = publishedAt + Math.floor((now - publishedAt) * r.next() ** 2);
        reactions.push({ profileId: p.id, videoId: id, value, reactedAt: at });
        if (at >= now - 30 * DAY) {
          const key = `${id}|${dayOf(at)}`;
          const day = c.reactionDays.get(key) ?? { likes: 0, dislikes: 0 };
          if (value === "like") day.likes++;
          else day.dislikes++;
          c.reactionDays.set(key, day);
        }
        if (value === "like" && historyProfiles.has(p.id)) {
          const list = c.likedBy.get(p.id) ?? [];
          list.push(id);
          c.likedBy.set(p.id, list);
        }
      }
      const views = likes * r.int(8, 40) + r.int(0, 50);
      const updatedAt = deleted ? now - r.int(0, 30) * DAY : publishedAt;
      videos.push({
        id,
        channelId: seedId("chn", "", channel),
        accountId: seedId("acc", "c", channel),
        title: title.slice(0, 100),
        description,
        tags,
        categoryId: cat === null ? null : (categoryIds[cat] as string),
        visibility,
        status: deleted ? "deleted" : "ready",
        playable: true,
        progress: 100,
        durationMs,
        width: 1920,
        height: 1080,
        renditions: RENDITIONS,
        sourceKey: `videos/${id}/source`,
        sourceSize: r.int(5_000_000, 2_000_000_000),
        sourceType: "video/mp4",
        uploadedAt: publishedAt - 300_000,
        publishedAt,
        createdAt: publishedAt - 600_000,
        updatedAt,
        deletedAt: deleted ? now - r.int(0, 30) * DAY : null,
        likeCount: likes,
        dislikeCount: dislikes,
        maturity,
        viewCount: views,
      });
      c.videoMeta.set(id, {
        id,
        channel,
        category: cat,
        tags,
        maturity,
        listed,
        publishedAt,
        durationMs,
        title,
      });
      if (listed) {
        const bucket = c.listedFor[cat ?? CATEGORIES.length] as string[][];
        for (let level = LEVEL[maturity]; level < 3; level++) (bucket[level] as string[]).push(id);
        if (c.sampleVideos[maturity].length < 50) c.sampleVideos[maturity].push(id);
      }
    }
    db.transaction(() => {
      videoCount += insertRows(db, t.videos, videos);
      reactionCount += insertRows(db, t.videoReactionIndex, reactions);
    });
    const done = Math.min(o.videos, start + BATCH);
    bar.update(done / o.videos, `${done}/${o.videos} videos, ${reactionCount} reactions`);
  }
  add("videos", videoCount);
  add("video_reaction_index", reactionCount);
  bar.done(`${videoCount} videos, ${reactionCount} reactions`);
  return c;
}
