/**
 * The scale seed's watch history: per profile with history, entries drawn mostly from its favourite
 * categories, each with its playback beacons, plus the view days they add and the affinities that
 * history, likes and subscriptions give the profile (what the feed ranks by).
 */
import { playbackEvents, profileAffinities, watchHistory } from "../../apps/edge/src/db/schema";
import type { Maturity } from "../../packages/shared/src/roles";
import { progressBar } from "./progress-bar";
import { insertRows, type SeedDb } from "./seed-db";
import { DAY, dayOf, type Random, seedId } from "./seed-random";
import { CATEGORIES } from "./seed-vocab";

export const LEVEL: Record<Maturity, number> = { kids: 0, teen: 1, adult: 2 };

export interface ProfileRow {
  id: string;
  accountId: string;
  maturity: Maturity;
  known: boolean;
  /** Favourite category indexes (history is drawn mostly from these). */
  favourites: number[];
  withHistory: boolean;
}

export interface VideoMeta {
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

export interface KnownViewer {
  email: string;
  password: string;
  accountId: string;
  profiles: { id: string; name: string; maturity: Maturity }[];
}

export interface People {
  profiles: ProfileRow[];
  viewers: KnownViewer[];
  /** Each channel's category index. */
  channelCategory: number[];
}

/** Views and watched time per `videoId|day`. */
export type ViewDays = Map<string, { views: number; watchedMs: number }>;

export function addViewDay(
  viewDays: ViewDays,
  videoId: string,
  day: string,
  views: number,
  watchedMs: number,
) {
  const key = `${videoId}|${day}`;
  const cur = viewDays.get(key) ?? { views: 0, watchedMs: 0 };
  cur.views += views;
  cur.watchedMs += watchedMs;
  viewDays.set(key, cur);
}

export interface HistoryInput {
  r: Random;
  now: number;
  profiles: ProfileRow[];
  categoryIds: string[];
  /** Listed videos per category (index; CATEGORIES.length = none) per viewer level. */
  listedFor: string[][][];
  videoMeta: Map<string, VideoMeta>;
  likedBy: Map<string, string[]>;
  subscribed: Map<string, number[]>;
  viewDays: ViewDays;
  add: (table: string, n?: number) => void;
}

type Affinities = Map<string, { score: number; lastVideoId: string; at: number }>;

function bump(affinity: Affinities, kind: string, key: string, score: number, videoId: string, at: number) {
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
}

/** A start, 1–3 heartbeats and an end (or a last heartbeat): kind, position, played since the last. */
function beatsOf(
  r: Random,
  positionMs: number,
  watchedMs: number,
  completed: boolean,
): [string, number, number][] {
  const beats: [string, number, number][] = [["start", 0, 0]];
  const hb = r.int(1, 3);
  for (let h = 1; h <= hb; h++)
    beats.push(["heartbeat", Math.floor((positionMs * h) / (hb + 1)), Math.floor(watchedMs / (hb + 1))]);
  beats.push([
    completed ? "end" : "heartbeat",
    positionMs,
    watchedMs - Math.floor(watchedMs / (hb + 1)) * hb,
  ]);
  return beats;
}

export function seedHistory(db: SeedDb, h: HistoryInput): number {
  const { r, now, add } = h;
  const withHistory = h.profiles.filter((p) => p.withHistory);
  const bar = progressBar("history ");
  let entriesWritten = 0;
  for (let start = 0; start < withHistory.length; start += 200) {
    const history: (typeof watchHistory.$inferInsert)[] = [];
    const events: (typeof playbackEvents.$inferInsert)[] = [];
    const affinities: (typeof profileAffinities.$inferInsert)[] = [];
    for (const p of withHistory.slice(start, start + 200)) {
      const level = LEVEL[p.maturity];
      const entries = p.known ? 80 : r.int(10, 50);
      const watched = new Set<string>();
      const affinity: Affinities = new Map();
      const credit = (m: VideoMeta, weight: number, at: number) => {
        if (m.category !== null)
          bump(affinity, "category", h.categoryIds[m.category] as string, weight, m.id, at);
        for (const tag of m.tags) bump(affinity, "tag", tag, weight * 0.5, m.id, at);
        bump(affinity, "channel", seedId("chn", "", m.channel), weight * 0.7, m.id, at);
      };
      let beacon = 0;
      for (let e = 0; e < entries; e++) {
        const cat = r.next() < 0.8 ? r.pick(p.favourites) : r.int(0, CATEGORIES.length - 1);
        const pool = (h.listedFor[cat] as string[][])[level] as string[];
        if (pool.length === 0) continue;
        const videoId = r.pick(pool);
        if (watched.has(videoId)) continue;
        watched.add(videoId);
        const m = h.videoMeta.get(videoId) as VideoMeta;
        const lastAt = Math.max(m.publishedAt + 60_000, now - Math.floor(90 * DAY * r.next() ** 2));
        const completed = r.next() < 0.4;
        const positionMs = completed ? m.durationMs : Math.floor(m.durationMs * (0.05 + 0.85 * r.next()));
        const watchedMs = completed ? m.durationMs : positionMs;
        history.push({
          profileId: p.id,
          videoId,
          positionMs,
          watchedMs,
          completed,
          firstWatchedAt: lastAt - watchedMs,
          lastWatchedAt: lastAt,
        });
        const session = `ses${p.id.slice(-8)}${e}`;
        const beats = beatsOf(r, positionMs, watchedMs, completed);
        for (const [k, [kind, pos, played]] of beats.entries()) {
          const at = lastAt - watchedMs + Math.floor((watchedMs * k) / beats.length);
          events.push({
            profileId: p.id,
            beaconId: `seedbeacon${(beacon++).toString(36)}`,
            accountId: p.accountId,
            videoId,
            sessionId: session,
            kind: kind as "start" | "heartbeat" | "end",
            positionMs: pos,
            playedMs: played,
            occurredAt: at,
            receivedAt: at,
          });
        }
        addViewDay(h.viewDays, videoId, dayOf(lastAt), 1, watchedMs);
        credit(m, completed ? 1 : 0.5, lastAt);
      }
      for (const videoId of (h.likedBy.get(p.id) ?? []).slice(-40)) {
        credit(h.videoMeta.get(videoId) as VideoMeta, 0.3, now - r.int(0, 60) * DAY);
      }
      for (const c of h.subscribed.get(p.id) ?? [])
        bump(affinity, "channel", seedId("chn", "", c), 1, "", now - 30 * DAY);
      for (const [k, a] of affinity) {
        const [kind, key] = k.split("|") as ["category" | "tag" | "channel", string];
        affinities.push({
          profileId: p.id,
          kind,
          key,
          score: Math.round(a.score * 1000) / 1000,
          lastVideoId: a.lastVideoId || null,
          updatedAt: a.at,
        });
      }
    }
    db.transaction(() => {
      add("watch_history", insertRows(db, watchHistory, history));
      add("playback_events", insertRows(db, playbackEvents, events));
      add("profile_affinities", insertRows(db, profileAffinities, affinities));
    });
    entriesWritten += history.length;
    bar.update(Math.min(1, (start + 200) / withHistory.length), `${entriesWritten} history entries`);
  }
  return withHistory.length;
}
