/**
 * API helpers for the comments tests (run in workerd). Videos and bulk comments are inserted
 * straight into D1 (test/fixtures.ts), so these tests do not depend on uploads and transcoding.
 */
import { and, eq } from "drizzle-orm";
import { insertVideo, lowerId, testDb } from "../../../test/fixtures";
import { api, apiJson, type SeededAccount, type SeedOptions, seedCast } from "../../../test/harness";
import { comments, processedEvents, videos } from "../../db/schema";
import type { CommentView } from "./schemas";

export type CommentJson = CommentView;

export interface CommentPageJson {
  items: CommentJson[];
  nextCursor: string | null;
  commentsMode: string;
  commentCount: number;
}

/** The token of the account's `profile`-th profile (0: the first). */
export const token = (a: SeededAccount, profile = 0) => a.profiles[profile]?.token ?? a.accessToken;
export const ids = (items: { id: string }[]) => items.map((c) => c.id);

/** A ready video of `owner`'s channel, public unless told otherwise, rated kids so a kids profile may see it (and be refused by rules, not by maturity). */
export const readyVideo = (
  owner: SeededAccount,
  setup: { visibility?: "public" | "unlisted" | "private"; mode?: "open" | "hold" | "off" } = {},
): Promise<string> =>
  insertVideo(owner, {
    title: "Clip",
    visibility: setup.visibility ?? "public",
    commentsMode: setup.mode ?? "open",
    maturity: "kids",
  });

/** A seedCast whose `owner` has a channel and a ready video (`video`) the others comment on. */
export async function castWithVideo<Part extends string>(
  tag: string,
  parts: Record<Part, SeedOptions> & { owner?: SeedOptions },
  setup: Parameters<typeof readyVideo>[1] = {},
) {
  const all = { ...parts, owner: { ...parts.owner, channel: true } } as Record<Part | "owner", SeedOptions>;
  const cast = await seedCast(tag, all);
  return { ...cast, video: await readyVideo(cast.owner, setup) };
}

export const commentsPath = (videoId: string, query = "") => `/api/v1/videos/${videoId}/comments${query}`;

export function post(token: string, videoId: string, body: string, parentId?: string) {
  return apiJson<CommentJson>(commentsPath(videoId), 201, {
    method: "POST",
    token,
    json: { body, ...(parentId ? { parentId } : {}) },
  });
}

/** A POST of a comment whose status the test checks itself. */
export const send = (token: string | undefined, videoId: string, json: unknown) =>
  api(commentsPath(videoId), { method: "POST", token, json });

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

export const approve = (commentId: string, token: string | undefined) =>
  api(`/api/v1/comments/${commentId}/approve`, { method: "POST", token });

export async function videoCounts(videoId: string) {
  return testDb()
    .select({
      commentCount: videos.commentCount,
      pinnedCommentId: videos.pinnedCommentId,
      commentsMode: videos.commentsMode,
    })
    .from(videos)
    .where(eq(videos.id, videoId))
    .get();
}

/** The stored comment, or null once it is gone. */
export async function commentRow(commentId: string) {
  return (await testDb().select().from(comments).where(eq(comments.id, commentId)).get()) ?? null;
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
  const row = await testDb()
    .select({ id: processedEvents.id, type: processedEvents.type })
    .from(processedEvents)
    .where(and(eq(processedEvents.type, type), eq(processedEvents.subject, subject)))
    .get();
  return row ?? null;
}

/** A watched word no other test (or the fuzz test) will ever write. */
export const uniqueWord = (tag: string) => `${tag}${lowerId("w").slice(2)}`;

export const putChannelWords = (channelId: string, token: string | undefined, words: unknown) =>
  api(`/api/v1/channels/${channelId}/watched-words`, { method: "PUT", token, json: { words } });
