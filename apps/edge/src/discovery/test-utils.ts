/**
 * Helpers for the history, feed and trending tests (run in workerd). Categories and videos are
 * inserted straight into D1, so these tests depend on neither the catalogue's nor the videos
 * domain's routes; likes are written to video_reaction_index as the reactions flush would.
 */
import { env } from "cloudflare:test";
import type { Maturity } from "@marquee/shared";
import { apiJson, type SeededAccount, unique } from "../../test/harness";

export const DAY = 86_400_000;

export const lowerId = (prefix: string, tag: string) =>
  `${prefix}_${unique(tag)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")}`;

export async function insertCategory(name: string): Promise<{ id: string; slug: string; name: string }> {
  const id = lowerId("cat", "fd");
  const slug = id.replace("cat_", "c-");
  await env.DB.prepare("INSERT INTO categories (id, slug, name) VALUES (?1, ?2, ?3)")
    .bind(id, slug, name)
    .run();
  return { id, slug, name };
}

export interface VideoSetup {
  title?: string;
  categoryId?: string | null;
  tags?: string[];
  maturity?: Maturity;
  durationMs?: number | null;
  /** ms; default: an hour ago. */
  publishedAt?: number;
  visibility?: string;
  status?: string;
  viewCount?: number;
  likeCount?: number;
}

/** A ready, public, published video of `owner`'s channel. */
export async function insertVideo(owner: SeededAccount, setup: VideoSetup = {}): Promise<string> {
  const id = lowerId("vid", "fd");
  await env.DB.prepare(
    `INSERT INTO videos (id, channel_id, account_id, title, tags, category_id, maturity, duration_ms, published_at,
                         visibility, status, playable, view_count, like_count, source_key, source_size, source_type)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 1, ?12, ?13, ?14, 10, 'video/mp4')`,
  )
    .bind(
      id,
      owner.channelId,
      owner.accountId,
      setup.title ?? `Video ${id}`,
      JSON.stringify(setup.tags ?? []),
      setup.categoryId ?? null,
      setup.maturity ?? "adult",
      setup.durationMs === undefined ? 600_000 : setup.durationMs,
      setup.publishedAt ?? Date.now() - 3_600_000,
      setup.visibility ?? "public",
      setup.status ?? "ready",
      setup.viewCount ?? 0,
      setup.likeCount ?? 0,
      `videos/${id}/source`,
    )
    .run();
  return id;
}

/** What the reactions flush writes for a like. */
export async function like(profileId: string, videoId: string, at = Date.now()): Promise<void> {
  await env.DB.prepare(
    "INSERT OR REPLACE INTO video_reaction_index (profile_id, video_id, value, reacted_at) VALUES (?1, ?2, 'like', ?3)",
  )
    .bind(profileId, videoId, at)
    .run();
}

export interface BeaconInput {
  id?: string;
  videoId: string;
  sessionId?: string;
  kind: "start" | "heartbeat" | "end";
  positionMs: number;
  playedMs?: number;
  /** ms; default now. */
  at?: number;
}

export function beacon(b: BeaconInput) {
  return {
    id: b.id ?? unique("bcn").replace(/[^A-Za-z0-9_-]/g, ""),
    videoId: b.videoId,
    sessionId: b.sessionId ?? "session1",
    kind: b.kind,
    positionMs: b.positionMs,
    ...(b.playedMs !== undefined ? { playedMs: b.playedMs } : {}),
    occurredAt: new Date(b.at ?? Date.now()).toISOString(),
  };
}

export interface Receipt {
  accepted: number;
  duplicates: number;
  rejected: { id: string; reason: string }[];
}

export function sendBeacons(token: string, beacons: ReturnType<typeof beacon>[]): Promise<Receipt> {
  return apiJson<Receipt>("/api/v1/events/playback", 202, { method: "POST", token, json: { beacons } });
}

/** A watch session: a start, then heartbeats every 30 s up to `untilMs`, played time matching. */
export function watchSession(videoId: string, untilMs: number, endAt = Date.now()) {
  const session = unique("s").replace(/[^A-Za-z0-9_-]/g, "");
  const steps = Math.max(1, Math.ceil(untilMs / 30_000));
  const start = endAt - steps * 30_000;
  const out = [beacon({ videoId, sessionId: session, kind: "start", positionMs: 0, at: start })];
  for (let i = 1; i <= steps; i++) {
    out.push(
      beacon({
        videoId,
        sessionId: session,
        kind: "heartbeat",
        positionMs: Math.min(i * 30_000, untilMs),
        playedMs: 30_000,
        at: start + i * 30_000,
      }),
    );
  }
  return out;
}

export async function videoCounters(videoId: string) {
  const today = new Date().toISOString().slice(0, 10);
  return env.DB.prepare(
    `SELECT v.view_count AS views,
            COALESCE((SELECT SUM(views) FROM video_view_days WHERE video_id = ?1), 0) AS dayViews,
            COALESCE((SELECT SUM(watched_ms) FROM video_view_days WHERE video_id = ?1), 0) AS dayWatched,
            (SELECT COUNT(*) FROM video_view_days WHERE video_id = ?1 AND day = ?2) AS todayRows
       FROM videos v WHERE v.id = ?1`,
  )
    .bind(videoId, today)
    .first<{ views: number; dayViews: number; dayWatched: number; todayRows: number }>();
}
