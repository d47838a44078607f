/**
 * Rows tests insert straight into D1, through drizzle, so a test depends only on the domain it
 * tests (not on the routes of the videos, comments or catalogue domains to set the scene). Every
 * function takes the row's columns as overrides of sensible defaults and returns the new id.
 * Accounts, profiles and channels are made through the real API instead: `seedAccount` (harness.ts).
 */
import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { createDb } from "../src/db/client";
import {
  billingInvoices,
  billingSubscriptions,
  categories,
  commentReactions,
  comments,
  subscriptions,
  videoReactionIndex,
  videos,
} from "../src/db/schema";
import type { SeededAccount } from "./harness/accounts";
import { unique } from "./harness/api";

export const DAY = 86_400_000;

/** The test's view of D1: the same drizzle client the app uses. */
export const testDb = () => createDb(env.DB);

/** A unique id in the app's own format (`prefix_base32`-like: lower case letters and digits). */
export const lowerId = (prefix: string, tag = "t") =>
  `${prefix}_${unique(tag)
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")}`;

type VideoRow = typeof videos.$inferInsert;

/**
 * A video row of `owner`'s channel: ready, public and playable unless `row` says otherwise (the
 * source key points at `videos/{id}/source`; nothing is stored there: see `storeSource`).
 */
export async function insertVideo(
  owner: Pick<SeededAccount, "channelId" | "accountId">,
  row: Partial<VideoRow> = {},
): Promise<string> {
  if (!owner.channelId)
    throw new Error("insertVideo: the owner has no channel (seedAccount({ channel: true }))");
  const id = row.id ?? lowerId("vid", "fx");
  await testDb()
    .insert(videos)
    .values({
      id,
      channelId: owner.channelId as string,
      accountId: owner.accountId,
      title: `Video ${id}`,
      status: "ready",
      visibility: "public",
      playable: true,
      sourceKey: `videos/${id}/source`,
      sourceSize: 10,
      sourceType: "video/mp4",
      ...row,
    });
  return id;
}

/** Stores a small object at the video's source key (for tests of the media pipeline). */
export async function storeSource(
  videoId: string,
  bytes = new TextEncoder().encode(`not a video: ${videoId}`),
) {
  await env.MEDIA.put(`videos/${videoId}/source`, bytes, { httpMetadata: { contentType: "video/mp4" } });
  await testDb().update(videos).set({ sourceSize: bytes.length }).where(eq(videos.id, videoId));
  return bytes;
}

/** An admin-managed category. */
export async function insertCategory(
  name = "Category",
  row: Partial<typeof categories.$inferInsert> = {},
): Promise<{ id: string; slug: string; name: string }> {
  const id = row.id ?? lowerId("cat", "fx");
  const slug = row.slug ?? id.replace("cat_", "c-");
  await testDb()
    .insert(categories)
    .values({ id, slug, name, ...row });
  return { id, slug, name };
}

/** A comment on `videoId` by `author`'s first profile: published unless `row` says otherwise. */
export async function insertComment(
  videoId: string,
  author: Pick<SeededAccount, "profileId" | "accountId">,
  row: Partial<typeof comments.$inferInsert> = {},
): Promise<string> {
  const id = row.id ?? lowerId("cmt", "fx");
  await testDb()
    .insert(comments)
    .values({
      id,
      videoId,
      profileId: author.profileId,
      accountId: author.accountId,
      body: `comment ${id}`,
      status: "published",
      ...(row.createdAt !== undefined ? { updatedAt: row.createdAt } : {}),
      ...row,
    });
  return id;
}

/** What the reactions flush writes to D1 for a profile's reaction to a video. */
export async function indexReaction(
  profileId: string,
  videoId: string,
  value: "like" | "dislike" = "like",
  reactedAt = Date.now(),
): Promise<void> {
  await testDb()
    .insert(videoReactionIndex)
    .values({ profileId, videoId, value, reactedAt })
    .onConflictDoUpdate({
      target: [videoReactionIndex.profileId, videoReactionIndex.videoId],
      set: { value, reactedAt },
    });
}

/** A comment reaction row as the comment-reactions service writes it (no counters touched). */
export async function insertCommentReaction(
  profileId: string,
  commentId: string,
  value: "like" | "dislike" = "like",
): Promise<void> {
  await testDb().insert(commentReactions).values({ profileId, commentId, value });
}

/** A subscription row (no channel count touched: the D1 trigger does that). */
export async function insertSubscription(
  profileId: string,
  channelId: string,
  row: Partial<typeof subscriptions.$inferInsert> = {},
): Promise<void> {
  await testDb()
    .insert(subscriptions)
    .values({ profileId, channelId, level: "all", ...row });
}

type BillingSubscriptionRow = typeof billingSubscriptions.$inferInsert;

/**
 * A mirrored provider subscription of `accountId` (active standard/premium unless `row` says
 * otherwise), for tests of what entitlements decide; billing's own tests drive the sandbox instead.
 */
export async function insertBillingSubscription(
  accountId: string,
  row: Partial<BillingSubscriptionRow> = {},
): Promise<string> {
  const id = row.id ?? lowerId("bsub", "fx");
  const now = Date.now();
  await testDb()
    .insert(billingSubscriptions)
    .values({
      id,
      accountId,
      provider: "stripe",
      providerSubscriptionId: `sub_${id}`,
      planId: "premium",
      interval: "month",
      status: "active",
      currentPeriodEnd: now + 30 * DAY,
      createdAt: now,
      updatedAt: now,
      ...row,
    });
  return id;
}

/** A mirrored invoice of `accountId` (paid, $17.99, now unless `row` says otherwise). */
export async function insertBillingInvoice(
  accountId: string,
  row: Partial<typeof billingInvoices.$inferInsert> = {},
): Promise<string> {
  const id = row.id ?? lowerId("binv", "fx");
  await testDb()
    .insert(billingInvoices)
    .values({
      id,
      accountId,
      provider: "stripe",
      providerInvoiceId: `in_${id}`,
      amountCents: 1799,
      currency: "usd",
      status: "paid",
      createdAt: Date.now(),
      ...row,
    });
  return id;
}
