/**
 * Helpers for the reactions tests (run in workerd). Videos and comments are inserted straight into
 * D1, so these tests depend on neither the videos nor the comments domain's routes.
 */
import { env, runDurableObjectAlarm } from "cloudflare:test";
import { type SeededAccount, seedAccount, unique } from "../../../test/harness";
import type { ShardAddress, VideoReactions } from "./video-reactions";

const lowerId = (prefix: string, tag: string) =>
  `${prefix}_${unique(tag)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")}`;

/** A video row owned by `owner` (ready and public unless told otherwise). */
export async function insertVideo(
  owner: SeededAccount,
  setup: { status?: string; visibility?: string } = {},
): Promise<string> {
  const id = lowerId("vid", "rx");
  await env.DB.prepare(
    `INSERT INTO videos (id, channel_id, account_id, title, visibility, status, playable, source_key, source_size, source_type)
     VALUES (?, ?, ?, 'Reaction test', ?, ?, 1, ?, 10, 'video/mp4')`,
  )
    .bind(
      id,
      owner.channelId,
      owner.accountId,
      setup.visibility ?? "public",
      setup.status ?? "ready",
      `videos/${id}/source`,
    )
    .run();
  return id;
}

/** A comment row on `videoId` by `author`'s first profile. */
export async function insertComment(
  videoId: string,
  author: SeededAccount,
  status = "published",
): Promise<string> {
  const id = lowerId("cmt", "rx");
  await env.DB.prepare(
    "INSERT INTO comments (id, video_id, profile_id, account_id, body, status) VALUES (?, ?, ?, ?, 'A comment', ?)",
  )
    .bind(id, videoId, author.profileId, author.accountId, status)
    .run();
  return id;
}

export function shard(
  videoId: string,
  index = 0,
  shards = 1,
): { at: ShardAddress; stub: DurableObjectStub<VideoReactions> } {
  const ns = env.VIDEO_REACTIONS;
  return { at: { videoId, shard: index, shards }, stub: ns.get(ns.idFromName(`${videoId}:${index}`)) };
}

/** Runs the pending alarms now: shards 1..N-1 report to shard 0 first, then shard 0 flushes to D1. */
export async function flushNow(videoId: string, shards = 1): Promise<void> {
  for (let i = shards - 1; i >= 0; i--) await runDurableObjectAlarm(shard(videoId, i, shards).stub);
}

export async function d1Counts(videoId: string) {
  return env.DB.prepare("SELECT like_count AS likes, dislike_count AS dislikes FROM videos WHERE id = ?")
    .bind(videoId)
    .first<{ likes: number; dislikes: number }>();
}

export async function d1Days(videoId: string) {
  const rows = await env.DB.prepare(
    "SELECT day, likes, dislikes FROM video_reaction_days WHERE video_id = ? ORDER BY day",
  )
    .bind(videoId)
    .all<{ day: string; likes: number; dislikes: number }>();
  return rows.results;
}

/** `n` signed-in profiles (5 per account: the default one plus four more), each with its own token. */
export async function seedProfiles(n: number, tag = "rxfan"): Promise<{ id: string; token: string }[]> {
  const accounts = await Promise.all(
    Array.from({ length: Math.ceil(n / 5) }, () =>
      seedAccount({ tag, profiles: Array.from({ length: 4 }, () => ({})) }),
    ),
  );
  return accounts.flatMap((a) => a.profiles.map((p) => ({ id: p.id, token: p.token }))).slice(0, n);
}

/**
 * `n` profile rows of one new account, inserted straight into D1 (minimal rows, no tokens) for tests
 * of the object over RPC: shards forget reactions of profiles that do not exist, so the profiles
 * must be real rows. One INSERT … SELECT over a recursive counter; returns the ids in order.
 */
export async function insertProfiles(n: number, tag = "rxp"): Promise<string[]> {
  const stamp = lowerId("x", tag).slice(2);
  const accountId = `acc_${stamp}`;
  await env.DB.batch([
    env.DB.prepare("INSERT INTO accounts (id, email, display_name) VALUES (?1, ?2, 'Reacting fans')").bind(
      accountId,
      `${stamp}@example.test`,
    ),
    env.DB.prepare(
      `WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i + 1 < ?2)
       INSERT INTO profiles (id, account_id, name) SELECT printf('prf_%s_%05d', ?3, i), ?1, 'Fan' FROM k`,
    ).bind(accountId, n, stamp),
  ]);
  return Array.from({ length: n }, (_, i) => `prf_${stamp}_${String(i).padStart(5, "0")}`);
}

/** The video's index rows (profile → value), as the shards mirrored them. */
export async function indexRows(videoId: string): Promise<Record<string, string>> {
  const { results } = await env.DB.prepare(
    "SELECT profile_id, value FROM video_reaction_index WHERE video_id = ? ORDER BY profile_id",
  )
    .bind(videoId)
    .all<{ profile_id: string; value: string }>();
  return Object.fromEntries(results.map((r) => [r.profile_id, r.value]));
}

export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
