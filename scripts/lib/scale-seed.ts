/**
 * The synthetic catalogue behind `bun run seed:scale` (and the feed benchmark): categories, creators
 * with channels, viewers with adult, teen and kids profiles, videos with vocabulary-drawn titles,
 * descriptions and tags, reactions, subscriptions, watch history with its playback beacons, view days,
 * affinities and trending, written straight into the local D1 file through drizzle (seed-db.ts).
 *
 * Every seeded id has the form `<prefix>_lseed…` (seed-random.ts `seedId`), which is how
 * `--reset-seeded` finds them again.
 *
 * Synthetic likes live in D1 only (`video_reaction_index` and `videos.like_count/dislike_count`), not
 * in the videos' reaction Durable Objects: the first real reaction to a seeded video starts its object
 * from zero, and the object's next flush replaces the seeded totals with its own.
 */
import type { Database } from "bun:sqlite";
import { eq, sql } from "drizzle-orm";
import * as t from "../../apps/edge/src/db/schema";
import type { Maturity } from "../../packages/shared/src/roles";
import { progressBar } from "./progress-bar";
import { analyticsVideosOf, resetSeededAnalytics, seedAnalytics } from "./scale-seed-analytics";
import {
  BATCH,
  type Counter,
  countSeeded,
  countSeededTrending,
  insertRows,
  resetSeeded,
  type SeedDb,
} from "./seed-db";
import {
  addViewDay,
  type KnownViewer,
  type People,
  type ProfileRow,
  seedHistory,
  type VideoMeta,
  type ViewDays,
} from "./seed-history";
import { capital, DAY, dayOf, prng, type Random, seedId } from "./seed-random";
import { seedVideos } from "./seed-videos";
import { CATEGORIES, CHANNEL_WORDS, FILLER, FIRST_NAMES } from "./seed-vocab";

export { edgeTrending } from "./d1-shim";
export { openForSeeding, type SeedDb } from "./seed-db";
export type { KnownViewer } from "./seed-history";

export const SEED_EMAIL_DOMAIN = "seed.marquee.test";
export const DEFAULT_SEED_PASSWORD = "marquee-scale-seed";

export interface ScaleSeedOptions {
  videos: number;
  reactionsPerVideo: number;
  seed: number;
  /** Known sign-in accounts `scale-viewer-{n}@seed.marquee.test` (each with adult, teen and kids profiles). */
  viewers: number;
  password: string;
  /** The password hash every seeded account gets (packages/shared/src/passwords.ts, computed once). */
  passwordHash: string;
  /** Delete earlier seeded rows first instead of refusing. */
  resetSeeded: boolean;
  now?: number;
  /** Videos that get a year of analytics rollups (scale-seed-analytics.ts); 0 or absent: none. */
  analyticsVideos?: number;
  /** Fills `trending` with the edge's own recompute, over a D1-like binding of the file (edgeTrending). */
  recomputeTrending?: (db: Database, now: number) => Promise<void>;
  log?: (line: string) => void;
}

export interface ScaleSeedResult {
  counts: Record<string, number>;
  viewers: KnownViewer[];
  /** Ids of a few listed videos, per rating, for point reads. */
  sampleVideos: Record<Maturity, string[]>;
  /** A word that occurs in many titles (for a search check). */
  sampleWord: string;
  trendingSource: "recomputeTrending" | "none";
  seconds: number;
}

export class AlreadySeededError extends Error {}

/** Categories (existing slugs kept); returns their ids by CATEGORIES index. */
function seedCategories(db: SeedDb, now: number, add: Counter): string[] {
  return db.transaction(() =>
    CATEGORIES.map((c, i) => {
      const existing = db
        .select({ id: t.categories.id })
        .from(t.categories)
        .where(eq(t.categories.slug, c.slug))
        .get();
      if (existing) return existing.id;
      const id = seedId("cat", "", i);
      add(
        "categories",
        insertRows(db, t.categories, [
          { id, slug: c.slug, name: c.name, position: i, createdAt: now, updatedAt: now },
        ]),
      );
      return id;
    }),
  );
}

/** Creators with a channel each, viewers with 1–4 profiles, and the known sign-in viewers. */
function seedAccounts(
  db: SeedDb,
  o: ScaleSeedOptions,
  r: Random,
  now: number,
  channelCount: number,
  add: Counter,
): People {
  const viewerAccounts = Math.max(20, Math.ceil(o.videos / 100));
  const people: People = { profiles: [], viewers: [], channelCategory: [] };
  const favouritesFor = () => r.sample([...CATEGORIES.keys()], r.int(2, 3));
  const bar = progressBar("accounts");
  const total = channelCount + viewerAccounts + o.viewers;
  const createdAt = now - 400 * DAY;
  let done = 0;
  for (let start = 0; start < total; start += BATCH) {
    const accounts: (typeof t.accounts.$inferInsert)[] = [];
    const profiles: (typeof t.profiles.$inferInsert)[] = [];
    const channels: (typeof t.channels.$inferInsert)[] = [];
    const account = (id: string, email: string, displayName: string, roles: ("viewer" | "creator")[]) => {
      accounts.push({
        id,
        email,
        emailVerifiedAt: createdAt,
        displayName,
        roles,
        createdAt,
        updatedAt: createdAt,
      });
    };
    const profile = (
      p: Omit<ProfileRow, "favourites" | "withHistory"> & { name: string; at: number },
      history: boolean,
    ) => {
      const { id, accountId, name, maturity, at } = p;
      profiles.push({ id, accountId, name, maturity, createdAt: at, updatedAt: at });
      people.profiles.push({
        id,
        accountId,
        maturity,
        known: p.known,
        favourites: favouritesFor(),
        withHistory: history,
      });
    };
    for (let i = start; i < Math.min(total, start + BATCH); i++) {
      if (i < channelCount) {
        const accountId = seedId("acc", "c", i);
        const cat = i % CATEGORIES.length;
        const catVocab = CATEGORIES[cat] as (typeof CATEGORIES)[number];
        const name = `${capital(r.pick(catVocab.words))} ${r.pick(CHANNEL_WORDS)} ${i + 1}`;
        account(accountId, `creator-${i + 1}@${SEED_EMAIL_DOMAIN}`, name, ["viewer", "creator"]);
        profile(
          { id: seedId("prf", "c", i), accountId, name, maturity: "adult", known: false, at: createdAt },
          false,
        );
        channels.push({
          id: seedId("chn", "", i),
          accountId,
          handle: `seed_${catVocab.slug}_${i + 1}`,
          name,
          description: `${capital(r.pick(FILLER))} ${catVocab.name.toLowerCase()}.`,
          createdAt,
          updatedAt: createdAt,
        });
        people.channelCategory.push(cat);
      } else if (i < channelCount + viewerAccounts) {
        const n = i - channelCount;
        const accountId = seedId("acc", "v", n);
        const first = r.pick(FIRST_NAMES);
        account(accountId, `viewer-${n + 1}@${SEED_EMAIL_DOMAIN}`, `${first} ${n + 1}`, ["viewer"]);
        const extra = r.int(0, 3);
        for (let j = 0; j <= extra; j++) {
          const maturity: Maturity = j === 0 ? "adult" : r.weighted({ kids: 4, teen: 3, adult: 3 });
          const name = j === 0 ? first : `${r.pick(FIRST_NAMES)} (${maturity})`;
          profile(
            { id: seedId("prf", `v${j}`, n), accountId, name, maturity, known: false, at: createdAt + j },
            r.next() < 0.2,
          );
        }
      } else {
        const n = i - channelCount - viewerAccounts;
        const accountId = seedId("acc", "k", n);
        const email = `scale-viewer-${n + 1}@${SEED_EMAIL_DOMAIN}`;
        account(accountId, email, `Scale viewer ${n + 1}`, ["viewer"]);
        const mine: KnownViewer["profiles"] = [];
        for (const [j, maturity] of (["adult", "teen", "kids"] as const).entries()) {
          const p = { id: seedId("prf", `k${j}`, n), name: `Viewer ${n + 1} (${maturity})`, maturity };
          profile({ ...p, accountId, known: true, at: createdAt + j }, true);
          mine.push(p);
        }
        people.viewers.push({ email, password: o.password, accountId, profiles: mine });
      }
      done++;
    }
    db.transaction(() => {
      add("accounts", insertRows(db, t.accounts, accounts));
      insertRows(
        db,
        t.credentials,
        accounts.map((a) => ({ accountId: a.id, passwordHash: o.passwordHash, updatedAt: createdAt })),
      );
      add("profiles", insertRows(db, t.profiles, profiles));
      add("channels", insertRows(db, t.channels, channels));
    });
    bar.update(done / total, `${done}/${total} accounts`);
  }
  bar.done(`${done} accounts, ${people.profiles.length} profiles, ${channelCount} channels`);
  return people;
}

/** Subscriptions, mostly to channels of the profile's favourite categories; returns channel indexes per profile. */
function seedSubscriptions(
  db: SeedDb,
  r: Random,
  now: number,
  people: People,
  add: Counter,
): Map<string, number[]> {
  const { profiles, channelCategory } = people;
  const channelCount = channelCategory.length;
  const subscribed = new Map<string, number[]>();
  const rows: (typeof t.subscriptions.$inferInsert)[] = [];
  for (const p of profiles) {
    const n = p.known ? Math.min(channelCount, 25) : r.int(0, 6);
    const pool = [...Array(channelCount).keys()].filter(
      (c) => p.known || p.favourites.includes(channelCategory[c] as number) || r.next() < 0.05,
    );
    const chosen = r.sample(pool.length >= n ? pool : [...Array(channelCount).keys()], n);
    subscribed.set(p.id, chosen);
    for (const c of chosen) {
      const level = r.next() < 0.8 ? "all" : "none";
      rows.push({
        profileId: p.id,
        channelId: seedId("chn", "", c),
        level,
        createdAt: now - r.int(1, 300) * DAY,
      });
    }
  }
  db.transaction(() => add("subscriptions", insertRows(db, t.subscriptions, rows)));
  return subscribed;
}

/** Daily views of the last two weeks for videos published in the last month (trending velocity). */
function addRecentViews(r: Random, now: number, videoMeta: Map<string, VideoMeta>, viewDays: ViewDays): void {
  for (const m of videoMeta.values()) {
    if (!m.listed || m.publishedAt < now - 30 * DAY) continue;
    const heat = r.next() ** 3 * 400;
    for (let d = 0; d < 14; d++) {
      const at = now - d * DAY;
      if (at < m.publishedAt) break;
      const views = Math.floor(heat * (0.5 + r.next()));
      if (views > 0) addViewDay(viewDays, m.id, dayOf(at), views, views * Math.floor(m.durationMs * 0.4));
    }
  }
}

/** `videoId|day` keys split back into rows. */
function dayRows<V extends object>(days: Map<string, V>): ({ videoId: string; day: string } & V)[] {
  return [...days].map(([key, v]) => {
    const [videoId, day] = key.split("|") as [string, string];
    return { videoId, day, ...v };
  });
}

export async function seedScale(db: SeedDb, o: ScaleSeedOptions): Promise<ScaleSeedResult> {
  const started = performance.now();
  const log = o.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const now = o.now ?? Date.now();
  const r = prng(o.seed);

  if (countSeeded(db) > 0) {
    if (!o.resetSeeded) {
      throw new AlreadySeededError(
        "this D1 database already holds seeded data (accounts acc_lseed…); run with --reset-seeded to replace it",
      );
    }
    const bar = progressBar("reset   ");
    resetSeededAnalytics(db);
    resetSeeded(db, (done, total, what) => bar.update(done / total, what));
    bar.done("removed the earlier seeded rows");
  }

  const counts: Record<string, number> = {};
  const add: Counter = (table, n = 1) => {
    counts[table] = (counts[table] ?? 0) + n;
  };
  const categoryIds = seedCategories(db, now, add);
  const channelCount = Math.max(1, Math.ceil(o.videos / 50));
  const people = seedAccounts(db, o, r, now, channelCount, add);
  const catalogue = seedVideos(db, o, r, now, people, categoryIds, add);

  db.transaction(() =>
    add("video_reaction_days", insertRows(db, t.videoReactionDays, dayRows(catalogue.reactionDays))),
  );
  log(`video_reaction_days ${counts.video_reaction_days ?? 0}`);
  const subscribed = seedSubscriptions(db, r, now, people, add);
  log(`subscriptions ${counts.subscriptions ?? 0}`);

  const viewDays: ViewDays = new Map();
  const withHistory = seedHistory(db, {
    r,
    now,
    profiles: people.profiles,
    categoryIds,
    subscribed,
    viewDays,
    add,
    ...catalogue,
  });
  log(
    `${withHistory} profiles with history: ${counts.watch_history ?? 0} entries, ${counts.playback_events ?? 0} beacons, ${counts.profile_affinities ?? 0} affinities`,
  );
  addRecentViews(r, now, catalogue.videoMeta, viewDays);
  db.transaction(() => add("video_view_days", insertRows(db, t.videoViewDays, dayRows(viewDays))));
  log(`video_view_days ${counts.video_view_days ?? 0}`);

  if (o.analyticsVideos) {
    // The busiest first: listed videos, in catalogue order, get a Zipf-like share of the sessions.
    const listed = [...catalogue.videoMeta.values()]
      .filter((v) => v.listed)
      .map((v) => ({ id: v.id, channelId: seedId("chn", "", v.channel), durationMs: v.durationMs }));
    const chosen = analyticsVideosOf(listed, o.analyticsVideos, r);
    const sessions = seedAnalytics(db, chosen, { r, now, days: 365, hourlyDays: 7, audience: 20_000 }, add);
    log(
      `analytics for ${chosen.length} videos: ${sessions} sessions, ${counts.analytics_periods ?? 0} periods, ${counts.analytics_dims ?? 0} dims, ${counts.analytics_startup ?? 0} startup rows`,
    );
  }

  // Trending comes from the edge's own recompute (what the cron writes), never a second formula.
  let trendingSource: ScaleSeedResult["trendingSource"] = "none";
  if (o.recomputeTrending) {
    await o.recomputeTrending(db.$client, now);
    trendingSource = "recomputeTrending";
  }
  counts.trending = countSeededTrending(db);
  log(`trending ${counts.trending} rows (${trendingSource})`);

  // A checkpoint so wrangler opens a compact file: drizzle has no API for PRAGMAs.
  db.run(sql`PRAGMA wal_checkpoint(TRUNCATE)`);
  const sampleWord = [...catalogue.wordCounts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "guide";
  return {
    counts,
    viewers: people.viewers,
    sampleVideos: catalogue.sampleVideos,
    sampleWord,
    trendingSource,
    seconds: (performance.now() - started) / 1000,
  };
}
