/**
 * Who hears of a comment: the video owner's account holder (comment.created), the parent
 * comment's author (comment.replied), and each mentioned channel's account holder (mention).
 * Each is one or a few recipients, delivered inline (docs/social.md, "Notifications").
 */
import type { DomainEvent, Maturity } from "@marquee/shared";
import { and, asc, eq, inArray, ne, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { createDb, type Db } from "../../db/client";
import { channels, profiles, videos } from "../../db/schema";
import { deliverToInboxes, ratingOf, withPreferenceOn } from "./delivery";

/** At most this many mentioned handles are notified per comment. */
export const MAX_MENTIONS = 20;

type Event<T extends DomainEvent["type"]> = Extract<DomainEvent, { type: T }>;

/**
 * The profile that hears about an account's channel (comments on its videos, mentions of its
 * handle): the account's oldest grown-up profile — the account holder's, who made the channel.
 * Not every profile: the household's other members did not start a channel and should not get its
 * mail, and kids profiles cannot manage it.
 */
const accountHolder = (db: Db, accountId: string | SQLiteColumn | SQL) =>
  db
    .select({ id: profiles.id })
    .from(profiles)
    .where(and(eq(profiles.accountId, accountId), ne(profiles.maturity, "kids")))
    .orderBy(asc(profiles.createdAt), asc(profiles.id))
    .limit(1);

interface CommentContext {
  title: string;
  status: string;
  maturity: Maturity;
  authorName: string | null;
  authorAccountId: string | null;
}

/** The commented video and the comment's author (null name and account once the author is gone). */
async function commentContext(
  db: Db,
  videoId: string,
  authorProfileId: string,
): Promise<CommentContext | null> {
  const [video, author] = await db.batch([
    db
      .select({ title: videos.title, status: videos.status, maturity: videos.maturity })
      .from(videos)
      .where(eq(videos.id, videoId)),
    db
      .select({ name: profiles.name, accountId: profiles.accountId })
      .from(profiles)
      .where(eq(profiles.id, authorProfileId)),
  ]);
  const v = video[0];
  if (!v) return null;
  return { ...v, authorName: author[0]?.name ?? null, authorAccountId: author[0]?.accountId ?? null };
}

function commentData(
  payload: { commentId: string; videoId: string; authorProfileId: string; excerpt: string },
  ctx: CommentContext,
): Record<string, string> {
  return {
    commentId: payload.commentId,
    videoId: payload.videoId,
    videoTitle: ctx.title,
    maturity: ctx.maturity,
    authorProfileId: payload.authorProfileId,
    authorName: ctx.authorName ?? "deleted user",
    excerpt: payload.excerpt,
  };
}

async function deliverComment(
  env: Env,
  db: Db,
  event: Event<"comment.created" | "comment.replied" | "mention">,
  data: Record<string, string>,
  candidates: readonly string[],
): Promise<void> {
  const recipients = await withPreferenceOn(db, event.type, candidates, ratingOf(data));
  const createdAt = Date.parse(event.occurredAt) || Date.now();
  await deliverToInboxes(env, { sourceEventId: event.id, type: event.type, data, createdAt }, recipients);
}

/** A comment on a video → the video owner's account holder profile (unless they wrote it). */
export async function onCommentCreated(env: Env, event: Event<"comment.created">): Promise<void> {
  const { payload } = event;
  const db = createDb(env.DB);
  const ctx = await commentContext(db, payload.videoId, payload.authorProfileId);
  if (!ctx || ctx.status === "deleted") return;
  // Comments by any profile of the owning account are the owner's own.
  if (ctx.authorAccountId === payload.videoOwnerAccountId) return;
  const [holder] = await accountHolder(db, payload.videoOwnerAccountId);
  if (!holder) return;
  await deliverComment(env, db, event, commentData(payload, ctx), [holder.id]);
}

/** A reply → the author of the parent comment (not when replying to oneself). */
export async function onCommentReplied(env: Env, event: Event<"comment.replied">): Promise<void> {
  const { payload } = event;
  if (!payload.parentAuthorProfileId || payload.parentAuthorProfileId === payload.authorProfileId) return;
  const db = createDb(env.DB);
  const ctx = await commentContext(db, payload.videoId, payload.authorProfileId);
  if (!ctx || ctx.status === "deleted") return;
  await deliverComment(env, db, event, { ...commentData(payload, ctx), parentId: payload.parentId }, [
    payload.parentAuthorProfileId,
  ]);
}

/** @handle mentions → each mentioned channel's account holder profile (not the author's own account). */
export async function onMention(env: Env, event: Event<"mention">): Promise<void> {
  const { payload } = event;
  const handles = [...new Set(payload.handles.map((h) => h.replace(/^@/, "").toLowerCase()))].slice(
    0,
    MAX_MENTIONS,
  );
  if (handles.length === 0) return;
  const db = createDb(env.DB);
  const ctx = await commentContext(db, payload.videoId, payload.authorProfileId);
  if (!ctx || ctx.status === "deleted") return;
  const rows = await db
    .select({
      // A correlated subquery (one holder per channel), which drizzle's select cannot name otherwise.
      id: sql<string | null>`(${accountHolder(db, channels.accountId)})`,
    })
    .from(channels)
    .where(
      and(
        inArray(channels.handle, handles),
        ctx.authorAccountId === null ? undefined : ne(channels.accountId, ctx.authorAccountId),
      ),
    );
  const candidates = rows.flatMap((r) => (r.id ? [r.id] : []));
  await deliverComment(env, db, event, commentData(payload, ctx), candidates);
}
