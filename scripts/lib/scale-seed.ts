/**
 * The synthetic catalogue behind `bun run seed:scale` (and the feed benchmark): categories, creators
 * with channels, viewers with adult, teen and kids profiles, videos with vocabulary-drawn titles,
 * descriptions and tags, reactions, subscriptions, watch history with its playback beacons, view days,
 * affinities and trending, written straight into the local D1 file with bun:sqlite.
 *
 * Every seeded id has the form `<prefix>_lseed…`. `newId` never makes an id whose body starts with
 * "l" (its alphabet has no l), so the seeded rows are exactly the id range `<prefix>_lseed` …
 * `<prefix>_lseee`, which is how `--reset-seeded` finds them again.
 *
 * Synthetic likes live in D1 only (`video_reaction_index` and `videos.like_count/dislike_count`), not
 * in the videos' reaction Durable Objects: the first real reaction to a seeded video starts its object
 * from zero, and the object's next flush replaces the seeded totals with its own.
 */
import { Database, type Statement } from "bun:sqlite";
import { resolve } from "node:path";
import type { Maturity } from "../../packages/shared/src/roles";
import { progressBar } from "./progress-bar";
import { CATEGORIES, CHANNEL_WORDS, COMMON_WORDS, FILLER, FIRST_NAMES } from "./seed-vocab";

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
  /** Fills `trending` with the edge's own recompute, over a D1-like binding of the file (edgeTrending). */
  recomputeTrending?: (db: Database, now: number) => Promise<void>;
  log?: (line: string) => void;
}

export interface KnownViewer {
  email: string;
  password: string;
  accountId: string;
  profiles: { id: string; name: string; maturity: Maturity }[];
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

const DAY = 86_400_000;
const LEVEL: Record<Maturity, number> = { kids: 0, teen: 1, adult: 2 };
const RENDITIONS = JSON.stringify([
  { name: "720p", width: 1280, height: 720, bandwidth: 2_800_000, codecs: "avc1.64001f,mp4a.40.2" },
  { name: "360p", width: 640, height: 360, bandwidth: 800_000, codecs: "avc1.64001e,mp4a.40.2" },
]);
const BATCH = 2000;

/** The id range of seeded rows of one kind, as SQL (`col` between `<prefix>_lseed` and `<prefix>_lseee`). */
export function seededRange(column: string, prefix: string): string {
  return `(${column} >= '${prefix}_lseed' AND ${column} < '${prefix}_lseee')`;
}

const seedId = (prefix: string, kind: string, n: number) =>
  `${prefix}_lseed${kind}${n.toString(36).padStart(6, "0")}`;

/** mulberry32: small, fast, deterministic for a given seed. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const weighted = <K extends string>(w: Record<K, number>): K => {
    const entries = Object.entries(w) as [K, number][];
    let r = next() * entries.reduce((s, [, x]) => s + x, 0);
    for (const [k, x] of entries) {
      r -= x;
      if (r < 0) return k;
    }
    return (entries.find(([, x]) => x > 0) as [K, number])[0];
  };
  /** `k` distinct items of `xs` (all of them if k ≥ length). */
  const sample = <T>(xs: readonly T[], k: number): T[] => {
    if (k >= xs.length) return [...xs];
    const seen = new Set<number>();
    while (seen.size < k) seen.add(Math.floor(next() * xs.length));
    return [...seen].map((i) => xs[i] as T);
  };
  return { next, int, pick, weighted, sample };
}

const capital = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Rows that mention seeded ids, children first; `--reset-seeded` runs these in one transaction. */
function resetStatements(): string[] {
  const vid = (c: string) => seededRange(c, "vid");
  const acc = (c: string) => seededRange(c, "acc");
  const seededProfiles = `(SELECT id FROM profiles WHERE ${acc("account_id")})`;
  const seededChannels = `(SELECT id FROM channels WHERE ${acc("account_id")})`;
  const seededVideos = `(SELECT id FROM videos WHERE ${vid("id")} OR channel_id IN ${seededChannels})`;
  return [
    `DELETE FROM trending WHERE video_id IN ${seededVideos}`,
    `DELETE FROM video_view_days WHERE video_id IN ${seededVideos}`,
    `DELETE FROM video_reaction_days WHERE video_id IN ${seededVideos}`,
    `DELETE FROM playback_events WHERE profile_id IN ${seededProfiles} OR video_id IN ${seededVideos}`,
    `DELETE FROM watch_history WHERE profile_id IN ${seededProfiles} OR video_id IN ${seededVideos}`,
    `DELETE FROM profile_affinities WHERE profile_id IN ${seededProfiles}`,
    `DELETE FROM video_reaction_index WHERE profile_id IN ${seededProfiles} OR video_id IN ${seededVideos}`,
    `DELETE FROM subscriptions WHERE profile_id IN ${seededProfiles} OR channel_id IN ${seededChannels}`,
    `DELETE FROM notification_preferences WHERE profile_id IN ${seededProfiles}`,
    `DELETE FROM comment_reactions WHERE comment_id IN (SELECT id FROM comments WHERE video_id IN ${seededVideos})`,
    `DELETE FROM comments WHERE video_id IN ${seededVideos}`,
    `DELETE FROM video_upload_parts WHERE video_id IN ${seededVideos}`,
    `DELETE FROM video_tags WHERE video_id IN ${seededVideos}`,
    `DELETE FROM videos WHERE id IN ${seededVideos}`,
    `UPDATE videos SET category_id = NULL WHERE ${seededRange("category_id", "cat")}`,
    `DELETE FROM refresh_tokens WHERE session_id IN (SELECT id FROM sessions WHERE ${acc("account_id")})`,
    `DELETE FROM sessions WHERE ${acc("account_id")}`,
    `DELETE FROM one_time_codes WHERE ${acc("account_id")}`,
    `DELETE FROM channels WHERE ${acc("account_id")}`,
    `DELETE FROM profiles WHERE ${acc("account_id")}`,
    `DELETE FROM credentials WHERE ${acc("account_id")}`,
    `DELETE FROM accounts WHERE ${acc("id")}`,
    `DELETE FROM categories WHERE ${seededRange("id", "cat")}`,
  ];
}

/** Opens the D1 file for bulk writing: waits for locks, no fsync per commit (a seed can be redone). */
export function openForSeeding(file: string): Database {
  const db = new Database(file);
  db.run("PRAGMA busy_timeout = 30000");
  db.run("PRAGMA synchronous = OFF");
  db.run("PRAGMA cache_size = -262144"); // 256 MiB
  db.run("PRAGMA temp_store = MEMORY");
  const cols = db.query<{ name: string }, []>("SELECT name FROM pragma_table_info('videos')").all();
  if (!cols.some((c) => c.name === "maturity")) {
    throw new Error("the D1 file has no discovery schema (videos.maturity): apply the migrations first");
  }
  return db;
}

export function countSeeded(db: Database): number {
  return (
    db.query<{ n: number }, []>(`SELECT COUNT(*) AS n FROM accounts WHERE ${seededRange("id", "acc")}`).get()
      ?.n ?? 0
  );
}

interface ProfileRow {
  id: string;
  accountId: string;
  maturity: Maturity;
  known: boolean;
  /** Favourite category indexes (history is drawn mostly from these). */
  favourites: number[];
  withHistory: boolean;
}

interface VideoMeta {
  id: string;
  channel: number;
  category: number | null;
  tags: string[];
  maturity: Maturity;
  listed: boolean;
  publishedAt: number;
  durationMs: number;
  title: string;
}

export async function seedScale(db: Database, o: ScaleSeedOptions): Promise<ScaleSeedResult> {
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
    const stmts = resetStatements();
    db.transaction(() => {
      for (const [i, sql] of stmts.entries()) {
        db.run(sql);
        bar.update((i + 1) / stmts.length, sql.slice(12, 40));
      }
    })();
    bar.done("removed the earlier seeded rows");
  }

  const counts: Record<string, number> = {};
  const add = (table: string, n = 1) => {
    counts[table] = (counts[table] ?? 0) + n;
  };
  const tx = (fn: () => void) => db.transaction(fn)();

  // ---- categories ----
  const categoryIds: string[] = [];
  tx(() => {
    const insert = db.prepare(
      "INSERT INTO categories (id, slug, name, position, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5) ON CONFLICT(slug) DO NOTHING",
    );
    const bySlug = db.prepare<{ id: string }, [string]>("SELECT id FROM categories WHERE slug = ?1");
    for (const [i, c] of CATEGORIES.entries()) {
      const res = insert.run(seedId("cat", "", i), c.slug, c.name, i, now);
      add("categories", res.changes);
      categoryIds.push((bySlug.get(c.slug) as { id: string }).id);
    }
  });

  // ---- accounts, profiles, channels, credentials ----
  const channelCount = Math.max(1, Math.ceil(o.videos / 50));
  const viewerAccounts = Math.max(20, Math.ceil(o.videos / 100));
  const profiles: ProfileRow[] = [];
  const viewers: KnownViewer[] = [];
  const channelCategory: number[] = [];
  const favouritesFor = () => r.sample([...CATEGORIES.keys()], r.int(2, 3));
  {
    const bar = progressBar("accounts");
    const total = channelCount + viewerAccounts + o.viewers;
    let done = 0;
    const insAccount = db.prepare(
      "INSERT INTO accounts (id, email, email_verified_at, display_name, roles, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?3, ?3)",
    );
    const insCredential = db.prepare(
      "INSERT INTO credentials (account_id, password_hash, updated_at) VALUES (?1, ?2, ?3)",
    );
    const insProfile = db.prepare(
      "INSERT INTO profiles (id, account_id, name, maturity, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
    );
    const insChannel = db.prepare(
      "INSERT INTO channels (id, account_id, handle, name, description, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
    );
    const account = (id: string, email: string, name: string, roles: string[], at: number) => {
      insAccount.run(id, email, at, name, JSON.stringify(roles));
      insCredential.run(id, o.passwordHash, at);
      add("accounts");
    };
    const profile = (
      p: Omit<ProfileRow, "favourites" | "withHistory"> & { name: string; at: number },
      history: boolean,
    ) => {
      insProfile.run(p.id, p.accountId, p.name, p.maturity, p.at);
      profiles.push({ ...p, favourites: favouritesFor(), withHistory: history });
      add("profiles");
    };
    const createdAt = now - 400 * DAY;
    for (let start = 0; start < total; start += BATCH) {
      tx(() => {
        for (let i = start; i < Math.min(total, start + BATCH); i++) {
          if (i < channelCount) {
            const accountId = seedId("acc", "c", i);
            const cat = i % CATEGORIES.length;
            const catVocab = CATEGORIES[cat] as (typeof CATEGORIES)[number];
            const name = `${capital(r.pick(catVocab.words))} ${r.pick(CHANNEL_WORDS)} ${i + 1}`;
            account(
              accountId,
              `creator-${i + 1}@${SEED_EMAIL_DOMAIN}`,
              name,
              ["viewer", "creator"],
              createdAt,
            );
            profile(
              { id: seedId("prf", "c", i), accountId, name, maturity: "adult", known: false, at: createdAt },
              false,
            );
            insChannel.run(
              seedId("chn", "", i),
              accountId,
              `seed_${catVocab.slug}_${i + 1}`,
              name,
              `${capital(r.pick(FILLER))} ${catVocab.name.toLowerCase()}.`,
              createdAt,
            );
            add("channels");
            channelCategory.push(cat);
          } else if (i < channelCount + viewerAccounts) {
            const n = i - channelCount;
            const accountId = seedId("acc", "v", n);
            const first = r.pick(FIRST_NAMES);
            account(
              accountId,
              `viewer-${n + 1}@${SEED_EMAIL_DOMAIN}`,
              `${first} ${n + 1}`,
              ["viewer"],
              createdAt,
            );
            const extra = r.int(0, 3);
            for (let j = 0; j <= extra; j++) {
              const maturity: Maturity = j === 0 ? "adult" : r.weighted({ kids: 4, teen: 3, adult: 3 });
              profile(
                {
                  id: seedId("prf", `v${j}`, n),
                  accountId,
                  name: j === 0 ? first : `${r.pick(FIRST_NAMES)} (${maturity})`,
                  maturity,
                  known: false,
                  at: createdAt + j,
                },
                r.next() < 0.2,
              );
            }
          } else {
            const n = i - channelCount - viewerAccounts;
            const accountId = seedId("acc", "k", n);
            const email = `scale-viewer-${n + 1}@${SEED_EMAIL_DOMAIN}`;
            account(accountId, email, `Scale viewer ${n + 1}`, ["viewer"], createdAt);
            const mine: KnownViewer["profiles"] = [];
            for (const [j, maturity] of (["adult", "teen", "kids"] as const).entries()) {
              const p = { id: seedId("prf", `k${j}`, n), name: `Viewer ${n + 1} (${maturity})`, maturity };
              profile({ ...p, accountId, known: true, at: createdAt + j }, true);
              mine.push(p);
            }
            viewers.push({ email, password: o.password, accountId, profiles: mine });
          }
          done++;
        }
      });
      bar.update(done / total, `${done}/${total} accounts`);
    }
    bar.done(`${counts.accounts} accounts, ${counts.profiles} profiles, ${counts.channels} channels`);
  }

  // Reactors by level: a video rated `m` gets reactions from profiles at or above `m`.
  const reactors: Record<Maturity, ProfileRow[]> = {
    kids: profiles,
    teen: profiles.filter((p) => p.maturity !== "kids"),
    adult: profiles.filter((p) => p.maturity === "adult"),
  };
  /** Listed videos per category (index; CATEGORIES.length = none) per viewer level, for history. */
  const listedFor: string[][][] = Array.from({ length: CATEGORIES.length + 1 }, () => [[], [], []]);
  const videoMeta = new Map<string, VideoMeta>();
  const sampleVideos: Record<Maturity, string[]> = { kids: [], teen: [], adult: [] };
  const wordCounts = new Map<string, number>();
  /** Likes by history profiles, for their affinities. */
  const historyProfiles = new Set(profiles.filter((p) => p.withHistory).map((p) => p.id));
  const likedBy = new Map<string, string[]>();
  /** Reactions of the last 30 days per video per day (creator stats, trending's like velocity). */
  const reactionDays = new Map<string, { likes: number; dislikes: number }>();

  // ---- videos and reactions ----
  {
    const bar = progressBar("videos  ");
    const insVideo = db.prepare(
      `INSERT INTO videos (id, channel_id, account_id, title, description, tags, category_id, visibility, status,
         playable, progress, duration_ms, width, height, renditions, source_key, source_size, source_type,
         uploaded_at, published_at, created_at, updated_at, deleted_at, like_count, dislike_count, maturity, view_count)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1, 100, ?10, 1920, 1080, ?11, ?12, ?13, 'video/mp4',
         ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)`,
    );
    const insReaction = db.prepare(
      "INSERT INTO video_reaction_index (profile_id, video_id, value, reacted_at) VALUES (?1, ?2, ?3, ?4)",
    );
    for (let start = 0; start < o.videos; start += BATCH) {
      tx(() => {
        for (let i = start; i < Math.min(o.videos, start + BATCH); i++) {
          const id = seedId("vid", "", i);
          const channel = r.int(0, channelCount - 1);
          const chCat = channelCategory[channel] as number;
          const cat = r.next() < 0.03 ? null : r.next() < 0.85 ? chCat : r.int(0, CATEGORIES.length - 1);
          const vocab = CATEGORIES[cat ?? chCat] as (typeof CATEGORIES)[number];
          const words = [...r.sample(vocab.words, r.int(1, 3)), ...r.sample(COMMON_WORDS, r.int(1, 2))];
          for (const w of words) wordCounts.set(w, (wordCounts.get(w) ?? 0) + 1);
          const title = words
            .sort(() => r.next() - 0.5)
            .map(capital)
            .join(" ");
          const description = `${capital(r.pick(FILLER))} ${r.sample(vocab.words, 3).join(", ")}. ${capital(r.pick(FILLER))} ${r.pick(COMMON_WORDS)} ${r.pick(vocab.words)}.`;
          const tags = r.sample(vocab.tags, r.int(1, 4));
          const maturity = r.weighted(vocab.maturity);
          const v = r.next();
          const deleted = v >= 0.97;
          const visibility =
            v < 0.86
              ? "public"
              : v < 0.9
                ? "unlisted"
                : v < 0.94
                  ? "private"
                  : v < 0.97
                    ? "premium"
                    : "public";
          const listed = !deleted && (visibility === "public" || visibility === "premium");
          // Skewed to recent: half of the catalogue is from the last ~3 months.
          const publishedAt = now - Math.floor(365 * DAY * r.next() ** 2) - r.int(60_000, 3_600_000);
          const d = r.next();
          const durationMs =
            d < 0.4
              ? r.int(30_000, 239_000)
              : d < 0.85
                ? r.int(240_000, 1_200_000)
                : r.int(1_201_000, 5_400_000);
          // Reactions: 0 … 2× the mean, from distinct profiles allowed to see the video.
          const reacting = r.sample(reactors[maturity], r.int(0, 2 * o.reactionsPerVideo));
          let likes = 0;
          let dislikes = 0;
          const reactionRows: [string, string, number][] = [];
          for (const p of reacting) {
            const value = r.next() < 0.9 ? "like" : "dislike";
            if (value === "like") likes++;
            else dislikes++;
            const at = publishedAt + Math.floor((now - publishedAt) * r.next() ** 2);
            reactionRows.push([p.id, value, at]);
            if (at >= now - 30 * DAY) {
              const key = `${id}|${dayOf(at)}`;
              const day = reactionDays.get(key) ?? { likes: 0, dislikes: 0 };
              if (value === "like") day.likes++;
              else day.dislikes++;
              reactionDays.set(key, day);
            }
            if (value === "like" && historyProfiles.has(p.id)) {
              const list = likedBy.get(p.id) ?? [];
              list.push(id);
              likedBy.set(p.id, list);
            }
          }
          const views = likes * r.int(8, 40) + r.int(0, 50);
          insVideo.run(
            id,
            seedId("chn", "", channel),
            seedId("acc", "c", channel),
            title.slice(0, 100),
            description,
            JSON.stringify(tags),
            cat === null ? null : (categoryIds[cat] as string),
            visibility,
            deleted ? "deleted" : "ready",
            durationMs,
            RENDITIONS,
            `videos/${id}/source`,
            r.int(5_000_000, 2_000_000_000),
            publishedAt - 300_000,
            publishedAt,
            publishedAt - 600_000,
            deleted ? now - r.int(0, 30) * DAY : publishedAt,
            deleted ? now - r.int(0, 30) * DAY : null,
            likes,
            dislikes,
            maturity,
            views,
          );
          add("videos");
          for (const [profileId, value, at] of reactionRows) insReaction.run(profileId, id, value, at);
          add("video_reaction_index", reactionRows.length);
          const meta: VideoMeta = {
            id,
            channel,
            category: cat,
            tags,
            maturity,
            listed,
            publishedAt,
            durationMs,
            title,
          };
          videoMeta.set(id, meta);
          if (listed) {
            const bucket = listedFor[cat ?? CATEGORIES.length] as string[][];
            for (let level = LEVEL[maturity]; level < 3; level++) (bucket[level] as string[]).push(id);
            if (sampleVideos[maturity].length < 50) sampleVideos[maturity].push(id);
          }
        }
      });
      const done = Math.min(o.videos, start + BATCH);
      bar.update(
        done / o.videos,
        `${done}/${o.videos} videos, ${counts.video_reaction_index ?? 0} reactions`,
      );
    }
    bar.done(`${counts.videos} videos, ${counts.video_reaction_index ?? 0} reactions`);
  }

  tx(() => {
    const ins = db.prepare(
      "INSERT INTO video_reaction_days (video_id, day, likes, dislikes) VALUES (?1, ?2, ?3, ?4)",
    );
    for (const [key, d] of reactionDays) {
      const [videoId, day] = key.split("|") as [string, string];
      ins.run(videoId, day, d.likes, d.dislikes);
    }
    add("video_reaction_days", reactionDays.size);
  });
  log(`video_reaction_days ${counts.video_reaction_days ?? 0}`);

  // ---- subscriptions ----
  const subscribed = new Map<string, number[]>();
  tx(() => {
    const ins = db.prepare(
      "INSERT INTO subscriptions (profile_id, channel_id, level, created_at) VALUES (?1, ?2, ?3, ?4)",
    );
    for (const p of profiles) {
      const n = p.known ? Math.min(channelCount, 25) : r.int(0, 6);
      // Mostly channels of the profile's favourite categories.
      const pool = [...Array(channelCount).keys()].filter(
        (c) => p.known || p.favourites.includes(channelCategory[c] as number) || r.next() < 0.05,
      );
      const chosen = r.sample(pool.length >= n ? pool : [...Array(channelCount).keys()], n);
      subscribed.set(p.id, chosen);
      for (const c of chosen)
        ins.run(p.id, seedId("chn", "", c), r.next() < 0.8 ? "all" : "none", now - r.int(1, 300) * DAY);
      add("subscriptions", chosen.length);
    }
  });
  log(`subscriptions ${counts.subscriptions ?? 0}`);

  // ---- watch history, playback beacons, view days, affinities ----
  const viewDays = new Map<string, { views: number; watchedMs: number }>();
  const addViewDay = (videoId: string, day: string, views: number, watchedMs: number) => {
    const key = `${videoId}|${day}`;
    const cur = viewDays.get(key) ?? { views: 0, watchedMs: 0 };
    cur.views += views;
    cur.watchedMs += watchedMs;
    viewDays.set(key, cur);
  };
  {
    const withHistory = profiles.filter((p) => p.withHistory);
    const bar = progressBar("history ");
    const insHistory = db.prepare(
      `INSERT INTO watch_history (profile_id, video_id, position_ms, watched_ms, completed, first_watched_at, last_watched_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)`,
    );
    const insEvent = db.prepare(
      `INSERT INTO playback_events (profile_id, beacon_id, account_id, video_id, session_id, kind, position_ms, played_ms, occurred_at, received_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)`,
    );
    const insAffinity = db.prepare(
      "INSERT INTO profile_affinities (profile_id, kind, key, score, last_video_id, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    );
    for (let start = 0; start < withHistory.length; start += 200) {
      tx(() => {
        for (const p of withHistory.slice(start, start + 200)) {
          const level = LEVEL[p.maturity];
          const entries = p.known ? 80 : r.int(10, 50);
          const watched = new Set<string>();
          const affinity = new Map<string, { score: number; lastVideoId: string; at: number }>();
          const bump = (kind: string, key: string, score: number, videoId: string, at: number) => {
            const k = `${kind}|${key}`;
            const cur = affinity.get(k);
            if (!cur) affinity.set(k, { score, lastVideoId: videoId, at });
            else {
              cur.score += score;
              if (at >= cur.at) {
                cur.at = at;
                cur.lastVideoId = videoId;
              }
            }
          };
          const credit = (m: VideoMeta, weight: number, at: number) => {
            if (m.category !== null) bump("category", categoryIds[m.category] as string, weight, m.id, at);
            for (const t of m.tags) bump("tag", t, weight * 0.5, m.id, at);
            bump("channel", seedId("chn", "", m.channel), weight * 0.7, m.id, at);
          };
          let beacon = 0;
          for (let e = 0; e < entries; e++) {
            const cat = r.next() < 0.8 ? r.pick(p.favourites) : r.int(0, CATEGORIES.length - 1);
            const pool = (listedFor[cat] as string[][])[level] as string[];
            if (pool.length === 0) continue;
            const videoId = r.pick(pool);
            if (watched.has(videoId)) continue;
            watched.add(videoId);
            const m = videoMeta.get(videoId) as VideoMeta;
            const lastAt = Math.max(m.publishedAt + 60_000, now - Math.floor(90 * DAY * r.next() ** 2));
            const completed = r.next() < 0.4;
            const positionMs = completed ? m.durationMs : Math.floor(m.durationMs * (0.05 + 0.85 * r.next()));
            const watchedMs = completed ? m.durationMs : positionMs;
            insHistory.run(
              p.id,
              videoId,
              positionMs,
              watchedMs,
              completed ? 1 : 0,
              lastAt - watchedMs,
              lastAt,
            );
            add("watch_history");
            const session = `ses${p.id.slice(-8)}${e}`;
            const beats: [string, number, number][] = [["start", 0, 0]];
            const hb = r.int(1, 3);
            for (let h = 1; h <= hb; h++)
              beats.push([
                "heartbeat",
                Math.floor((positionMs * h) / (hb + 1)),
                Math.floor(watchedMs / (hb + 1)),
              ]);
            beats.push([
              completed ? "end" : "heartbeat",
              positionMs,
              watchedMs - Math.floor(watchedMs / (hb + 1)) * hb,
            ]);
            for (const [k, [kind, pos, played]] of beats.entries()) {
              insEvent.run(
                p.id,
                `seedbeacon${(beacon++).toString(36)}`,
                p.accountId,
                videoId,
                session,
                kind,
                pos,
                played,
                lastAt - watchedMs + Math.floor((watchedMs * k) / beats.length),
              );
            }
            add("playback_events", beats.length);
            addViewDay(videoId, dayOf(lastAt), 1, watchedMs);
            credit(m, completed ? 1 : 0.5, lastAt);
          }
          for (const videoId of (likedBy.get(p.id) ?? []).slice(-40)) {
            credit(videoMeta.get(videoId) as VideoMeta, 0.3, now - r.int(0, 60) * DAY);
          }
          for (const c of subscribed.get(p.id) ?? [])
            bump("channel", seedId("chn", "", c), 1, "", now - 30 * DAY);
          for (const [k, a] of affinity) {
            const [kind, key] = k.split("|") as [string, string];
            insAffinity.run(p.id, kind, key, Math.round(a.score * 1000) / 1000, a.lastVideoId || null, a.at);
          }
          add("profile_affinities", affinity.size);
        }
      });
      bar.update(
        Math.min(1, (start + 200) / withHistory.length),
        `${counts.watch_history ?? 0} history entries`,
      );
    }
    bar.done(
      `${withHistory.length} profiles with history: ${counts.watch_history ?? 0} entries, ${counts.playback_events ?? 0} beacons, ${counts.profile_affinities ?? 0} affinities`,
    );
  }

  // Daily views of the last two weeks for videos published in the last month (trending velocity).
  for (const m of videoMeta.values()) {
    if (!m.listed || m.publishedAt < now - 30 * DAY) continue;
    const heat = r.next() ** 3 * 400;
    for (let d = 0; d < 14; d++) {
      const at = now - d * DAY;
      if (at < m.publishedAt) break;
      const views = Math.floor(heat * (0.5 + r.next()));
      if (views > 0) addViewDay(m.id, dayOf(at), views, views * Math.floor(m.durationMs * 0.4));
    }
  }
  tx(() => {
    const ins = db.prepare(
      "INSERT INTO video_view_days (video_id, day, views, watched_ms) VALUES (?1, ?2, ?3, ?4)",
    );
    for (const [key, v] of viewDays) {
      const [videoId, day] = key.split("|") as [string, string];
      ins.run(videoId, day, v.views, v.watchedMs);
    }
    add("video_view_days", viewDays.size);
  });
  log(`video_view_days ${counts.video_view_days ?? 0}`);

  // ---- trending ----
  // Trending comes from the edge's own recompute (what the cron writes), never a second formula.
  let trendingSource: ScaleSeedResult["trendingSource"] = "none";
  if (o.recomputeTrending) {
    await o.recomputeTrending(db, now);
    trendingSource = "recomputeTrending";
  }
  counts.trending =
    db
      .query<{ n: number }, []>(`SELECT COUNT(*) AS n FROM trending WHERE ${seededRange("video_id", "vid")}`)
      .get()?.n ?? 0;
  log(`trending ${counts.trending} rows (${trendingSource})`);

  db.run("PRAGMA wal_checkpoint(TRUNCATE)");
  const sampleWord = [...wordCounts.entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "guide";
  return {
    counts,
    viewers,
    sampleVideos,
    sampleWord,
    trendingSource,
    seconds: (performance.now() - started) / 1000,
  };
}

/**
 * The edge's own trending recompute (apps/edge/src/feed/trending-task.ts), run over the file through a
 * D1-like binding, so the seeded trending table is what the cron writes.
 */
export async function edgeTrending(db: Database, now: number): Promise<void> {
  const modulePath = resolve(import.meta.dir, "../../apps/edge/src/feed/trending-task.ts");
  const mod = (await import(modulePath)) as {
    recomputeTrending: (env: unknown, now: number) => Promise<void>;
  };
  await mod.recomputeTrending({ DB: d1Shim(db) }, now);
}

/**
 * A D1-like binding over a bun:sqlite database (prepare/bind/first/all/run/raw/batch, exec), enough
 * for the edge's own SQL and drizzle's D1 driver, so the seed can call the edge's trending recompute.
 */
export function d1Shim(db: Database) {
  const wrap = (sql: string, args: unknown[] = []) => {
    let stmt: Statement | undefined;
    const get = () => {
      stmt ??= db.prepare(sql);
      return stmt;
    };
    const params = () => args as never[];
    const meta = () => ({ changes: 0, last_row_id: 0, duration: 0, rows_read: 0, rows_written: 0 });
    const api = {
      bind: (...values: unknown[]) =>
        wrap(
          sql,
          values.map((v) => (typeof v === "boolean" ? Number(v) : v)),
        ),
      first: async (column?: string) => {
        const row = get().get(...params()) as Record<string, unknown> | null;
        if (!row) return null;
        return column ? row[column] : row;
      },
      all: async () => ({ success: true, results: get().all(...params()), meta: meta() }),
      run: async () => {
        const res = get().run(...params());
        return {
          success: true,
          results: [],
          meta: { ...meta(), changes: res.changes, last_row_id: Number(res.lastInsertRowid) },
        };
      },
      raw: async (options?: { columnNames?: boolean }) => {
        const rows = get().values(...params()) as unknown[][];
        return options?.columnNames ? [get().columnNames, ...rows] : rows;
      },
    };
    return api;
  };
  return {
    prepare: (sql: string) => wrap(sql),
    batch: async (stmts: { all: () => Promise<unknown> }[]) => {
      db.run("BEGIN");
      try {
        const out: unknown[] = [];
        for (const s of stmts) out.push(await s.all());
        db.run("COMMIT");
        return out;
      } catch (err) {
        db.run("ROLLBACK");
        throw err;
      }
    },
    exec: async (sql: string) => {
      db.run(sql);
      return { count: 1, duration: 0 };
    },
  };
}
