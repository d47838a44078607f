/**
 * Helpers for the comments tests (run in workerd). Videos are inserted straight into D1 as ready
 * (as playback.test.ts does), so these tests do not depend on uploads and transcoding.
 */
import { env } from "cloudflare:test";
import { api, apiJson, type SeededAccount, unique } from "../../../test/harness";

export interface CommentJson {
  id: string;
  videoId: string;
  parentId: string | null;
  author: { profileId: string | null; name: string; avatarUrl: string | null } | null;
  body: string | null;
  status: "published" | "held" | "removed";
  heldReason: string | null;
  likeCount: number;
  dislikeCount: number | null;
  replyCount: number;
  edited: boolean;
  editedAt: string | null;
  pinned: boolean;
  createdAt: string;
}

export interface CommentPageJson {
  items: CommentJson[];
  nextCursor: string | null;
  commentsMode: string;
  commentCount: number;
}

/** A ready video of `owner`'s channel, public unless told otherwise, rated kids so a kids profile may see it (and be refused by rules, not by maturity). */
export async function readyVideo(
  owner: SeededAccount,
  setup: { visibility?: string; mode?: "open" | "hold" | "off" } = {},
): Promise<string> {
  const id = `vid_${unique("c")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")}`;
  await env.DB.prepare(
    `INSERT INTO videos (id, channel_id, account_id, title, visibility, status, playable, source_key, source_size,
                         source_type, comments_mode, maturity)
     VALUES (?, ?, ?, 'Clip', ?, 'ready', 1, ?, 10, 'video/mp4', ?, 'kids')`,
  )
    .bind(
      id,
      owner.channelId,
      owner.accountId,
      setup.visibility ?? "public",
      `videos/${id}/source`,
      setup.mode ?? "open",
    )
    .run();
  return id;
}

export const commentsPath = (videoId: string, query = "") => `/api/v1/videos/${videoId}/comments${query}`;

export function post(token: string, videoId: string, body: string, parentId?: string) {
  return apiJson<CommentJson>(commentsPath(videoId), 201, {
    method: "POST",
    token,
    json: { body, ...(parentId ? { parentId } : {}) },
  });
}

export function list(videoId: string, token?: string, query = "") {
  return apiJson<CommentPageJson>(commentsPath(videoId, query), 200, { token });
}

export function replies(commentId: string, token?: string, query = "") {
  return apiJson<{ items: CommentJson[]; nextCursor: string | null }>(
    `/api/v1/comments/${commentId}/replies${query}`,
    200,
    { token },
  );
}

export const commentApi = (commentId: string, token: string | undefined, method: string, json?: unknown) =>
  api(`/api/v1/comments/${commentId}`, { method, token, ...(json !== undefined ? { json } : {}) });

export async function videoCounts(videoId: string) {
  return env.DB.prepare("SELECT comment_count, pinned_comment_id, comments_mode FROM videos WHERE id = ?")
    .bind(videoId)
    .first<{ comment_count: number; pinned_comment_id: string | null; comments_mode: string }>();
}

export async function commentRow(commentId: string) {
  return env.DB.prepare("SELECT * FROM comments WHERE id = ?").bind(commentId).first<{
    status: string;
    body: string;
    profile_id: string | null;
    account_id: string | null;
    reply_count: number;
    held_reason: string | null;
  }>();
}

/** Every item of a list, following nextCursor page by page. */
export async function allPages(
  fetchPage: (cursor: string | null) => Promise<{ items: CommentJson[]; nextCursor: string | null }>,
): Promise<CommentJson[][]> {
  const pages: CommentJson[][] = [];
  let cursor: string | null = null;
  for (let i = 0; i < 100; i++) {
    const page = await fetchPage(cursor);
    pages.push(page.items);
    cursor = page.nextCursor;
    if (!cursor) return pages;
  }
  throw new Error("too many pages");
}

/** The handled-event row of `type` about `subject`, once the queue consumer got to it. */
export async function handledEvent(type: string, subject: string) {
  return env.DB.prepare("SELECT id, type FROM processed_events WHERE type = ? AND subject = ?")
    .bind(type, subject)
    .first<{ id: string; type: string }>();
}

/** A published comment written straight into D1 (no counts, no events): for bulk list tests. */
export async function insertComment(
  videoId: string,
  author: SeededAccount,
  fields: { createdAt: number; likeCount?: number; parentId?: string; body?: string },
): Promise<string> {
  const id = `cmt_${unique("x")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")}`;
  await env.DB.prepare(
    `INSERT INTO comments (id, video_id, parent_id, profile_id, account_id, body, status, like_count, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 'published', ?, ?, ?)`,
  )
    .bind(
      id,
      videoId,
      fields.parentId ?? null,
      author.profileId,
      author.accountId,
      fields.body ?? `comment ${id}`,
      fields.likeCount ?? 0,
      fields.createdAt,
      fields.createdAt,
    )
    .run();
  return id;
}

/**
 * The stored counters of a video's comments against a recount from the rows, and replies whose
 * parent is gone: after any sequence of requests, `drift` and `orphans` must be 0.
 */
export async function countIntegrity(videoId: string) {
  const row = await env.DB.prepare(
    `SELECT
       (SELECT comment_count FROM videos WHERE id = ?1)
         - (SELECT COUNT(*) FROM comments WHERE video_id = ?1 AND status = 'published') AS videoDrift,
       (SELECT COUNT(*) FROM comments p WHERE p.video_id = ?1 AND p.reply_count !=
         (SELECT COUNT(*) FROM comments r WHERE r.parent_id = p.id AND r.status = 'published')) AS replyDrift,
       (SELECT COUNT(*) FROM comments r WHERE r.video_id = ?1 AND r.parent_id IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM comments p WHERE p.id = r.parent_id)) AS orphans`,
  )
    .bind(videoId)
    .first<{ videoDrift: number; replyDrift: number; orphans: number }>();
  return row;
}
