/**
 * A legitimate request of every list operation, made against a world where every list has more
 * than one item, so a first page of one item hands out a real cursor. A new list route needs an
 * entry here (pagination.test.ts fails without one).
 */
import { env } from "cloudflare:test";
import { auditInsert, SYSTEM } from "../../src/audit/log";
import {
  adCampaigns,
  adImpressions,
  payoutAccounts,
  playlistItems,
  playlists,
  videoViewDays,
  watchHistory,
  webhookDeliveries,
  webhookEndpoints,
} from "../../src/db/schema";
import { recomputeTrending } from "../../src/feed/trending-task";
import { newId } from "../../src/lib/ids";
import { seedModerationPaging } from "../../src/moderation/queue-fixtures";
import { fileReportAs } from "../../src/moderation/test-utils";
import { insertEarning, insertPayout, insertRun } from "../../src/payouts/test-utils";
import { CLOSED_PERIOD } from "../authorization/payouts";
import { insertBillingInvoice, insertComment, insertSubscription, insertVideo, testDb } from "../fixtures";
import { apiJson, eventually, type SeededAccount, seedAccount, unique } from "../harness";

export interface ListWorld {
  /** Owns the channel, its videos and the notifications of comments on them. */
  creator: SeededAccount;
  /** Subscribed to two channels, watched and commented on the videos. */
  viewer: SeededAccount;
  videoId: string;
  /** A top-level comment with replies. */
  commentId: string;
  /** A tag and a title word only this world's videos carry. */
  tag: string;
  word: string;
  /** Owns campaigns waiting for review, which `moderator` sees in the review queue. */
  advertiser: SeededAccount;
  moderator: SeededAccount;
  admin: SeededAccount;
  /** A webhook of the creator's channel with a few deliveries in its log. */
  webhookId: string;
  /** One of the creator's public playlists (ITEMS of them), holding ITEMS videos. */
  playlistId: string;
}

export interface ListRequest {
  path: string;
  token?: string;
}

const ITEMS = 3;

/** A webhook endpoint of the creator's channel and ITEMS deliveries in its log (straight in D1). */
async function seedWebhookLog(creator: SeededAccount, now: number): Promise<string> {
  const id = newId("whe");
  await testDb()
    .insert(webhookEndpoints)
    .values({
      id,
      channelId: creator.channelId as string,
      url: "https://hooks.public.example/in",
      events: ["video.ready"],
      secret: "whsec_paging",
    });
  await testDb()
    .insert(webhookDeliveries)
    .values(
      Array.from({ length: ITEMS }, (_, i) => ({
        id: `whd_paging${i}_${id}`,
        endpointId: id,
        eventId: `evt_paging${i}`,
        eventType: "video.ready",
        body: "{}",
        status: "succeeded" as const,
        attempts: 1,
        createdAt: now - i * 1000,
      })),
    );
  return id;
}

/** ITEMS public playlists of the creator's first profile, the first holding `videoIds` (straight in D1). */
async function seedPlaylists(creator: SeededAccount, videoIds: string[], now: number): Promise<string> {
  const ids = Array.from({ length: ITEMS }, () => newId("pl"));
  await testDb()
    .insert(playlists)
    .values(
      ids.map((id, i) => ({
        id,
        profileId: creator.profileId,
        accountId: creator.accountId,
        title: `Paging ${i}`,
        visibility: "public" as const,
        createdAt: now - i * 1000,
      })),
    );
  await testDb()
    .insert(playlistItems)
    .values(videoIds.map((videoId, position) => ({ playlistId: ids[0] as string, videoId, position })));
  return ids[0] as string;
}

export async function seedListWorld(): Promise<ListWorld> {
  const [creator, other, viewer] = await Promise.all([
    seedAccount({ tag: "pgcreator", channel: true }),
    seedAccount({ tag: "pgother", channel: true }),
    seedAccount({ tag: "pgviewer" }),
  ]);
  const [advertiser, moderator, admin] = await Promise.all([
    seedAccount({ tag: "pgads", roles: ["advertiser"] }),
    seedAccount({ tag: "pgmod", roles: ["moderator"] }),
    seedAccount({ tag: "pgadmin", roles: ["admin"] }),
  ]);
  const word = unique("pgw")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
  const tag = word.slice(0, 20);
  const now = Date.now();
  // Enough videos for the home feed to fill more than one page of rows: the watched ones continue,
  // the others fill "new from subscriptions", "because you watched", trending, popular and new.
  const videoIds: string[] = [];
  for (const [owner, count] of [
    [creator, 3 * ITEMS],
    [other, 2 * ITEMS],
  ] as const) {
    for (let i = 0; i < count; i++) {
      const publishedAt = now - videoIds.length * 1000;
      videoIds.push(await insertVideo(owner, { title: `Paging ${word} ${i}`, tags: [tag], publishedAt }));
    }
  }
  const videoId = videoIds[0] as string;
  // Invoices: two share a time, so the id breaks the tie.
  for (let i = 0; i < ITEMS; i++)
    await insertBillingInvoice(viewer.accountId, { createdAt: now - (i >> 1) * 1000 });
  // Campaigns waiting for review: two share a time, so the id breaks the tie.
  for (let i = 0; i < ITEMS; i++) {
    const at = now - (i >> 1) * 1000;
    await testDb()
      .insert(adCampaigns)
      .values({
        id: newId("cmp"),
        accountId: advertiser.accountId,
        name: `Paging campaign ${i}`,
        status: "in_review",
        clickThroughUrl: "https://advertiser.example/",
        totalBudgetCents: 10_000,
        dailyBudgetCents: 1_000,
        cpmBidCents: 500,
        startsAt: now,
        targeting: {
          categories: [],
          countries: [],
          languages: [],
          devices: [],
          maxMaturity: "adult",
          excludedChannels: [],
        },
        frequencyCapPerDay: 3,
        createdAt: at,
        updatedAt: at,
      });
  }
  const commentId = await insertComment(videoId, viewer, { createdAt: now });
  for (let i = 1; i < ITEMS; i++) await insertComment(videoId, viewer, { createdAt: now - i * 1000 });
  for (let i = 0; i < ITEMS; i++) {
    await insertComment(videoId, viewer, { parentId: commentId, createdAt: now + (i + 1) * 1000 });
  }
  await insertSubscription(viewer.profileId, creator.channelId as string);
  await insertSubscription(viewer.profileId, other.channelId as string);
  const db = testDb();
  for (const [i, id] of videoIds.entries()) {
    const at = now - i * 1000;
    if (i < ITEMS) {
      await db.insert(watchHistory).values({
        profileId: viewer.profileId,
        videoId: id,
        positionMs: 1000,
        watchedMs: 1000,
        firstWatchedAt: at,
        lastWatchedAt: at,
      });
    }
    await db
      .insert(videoViewDays)
      .values({ videoId: id, day: new Date(now).toISOString().slice(0, 10), views: 50, watchedMs: 50_000 });
  }
  await seedPayouts([creator, other], now);
  // Trust and safety: one report each on three of the other channel's videos (none hidden: one
  // reporter), cases, strikes and appeals, and two audit rows.
  for (const id of videoIds.slice(3 * ITEMS, 4 * ITEMS)) {
    await fileReportAs(viewer, { targetType: "video", targetId: id });
  }
  await seedModerationPaging(creator, moderator);
  await testDb().batch([
    auditInsert({ db: testDb() }, SYSTEM, {
      action: "config.update",
      targetType: "settings",
      targetId: "pg1",
    }),
    auditInsert({ db: testDb() }, SYSTEM, {
      action: "config.update",
      targetType: "settings",
      targetId: "pg2",
    }),
  ]);
  // Two versions of the dynamic settings (each saves the defaults back).
  for (let i = 0; i < 2; i++) {
    const { version } = await apiJson<{ version: number }>("/api/v1/admin/config", 200, {
      token: admin.accessToken,
    });
    await apiJson("/api/v1/admin/config", 200, {
      method: "PUT",
      token: admin.accessToken,
      json: { value: {}, ifVersion: version, reason: "pagination" },
    });
  }
  await recomputeTrending(env, now);
  // Comments on the creator's video notify the creator (through the event queue).
  for (let i = 0; i < 2; i++) {
    await apiJson(`/api/v1/videos/${videoId}/comments`, 201, {
      method: "POST",
      token: viewer.accessToken,
      json: { body: `Notify me ${i}` },
    });
  }
  await eventually(async () => {
    const page = await apiJson<{ items: unknown[] }>("/api/v1/me/notifications", 200, {
      token: creator.accessToken,
    });
    return page.items.length >= 2;
  }, 20_000);
  const webhookId = await seedWebhookLog(creator, now);
  const playlistId = await seedPlaylists(creator, videoIds.slice(0, ITEMS), now);
  return {
    creator,
    viewer,
    videoId,
    commentId,
    tag,
    word,
    advertiser,
    moderator,
    admin,
    webhookId,
    playlistId,
  };
}

/**
 * The payouts lists: the creator's earnings and payouts (two share a period, so the id breaks the
 * tie), two runs, and for the origin's lists two channels with facts in a closed period and two
 * payout accounts.
 */
async function seedPayouts(channels: SeededAccount[], now: number) {
  const [creator] = channels;
  const mine = creator?.channelId as string;
  for (const period of ["2026-01", "2026-02", "2026-03"]) await insertEarning(mine, period, 1000, 500);
  for (const period of ["2026-01", "2026-02", "2026-02"]) await insertPayout(mine, period, 1500, "paid");
  for (let i = 0; i < ITEMS; i++) await insertRun({ startedAt: now - (i >> 1) * 1000 });
  const closed = Date.parse(`${CLOSED_PERIOD}-15T12:00:00Z`);
  for (const account of channels) {
    const channelId = account.channelId as string;
    await testDb()
      .insert(adImpressions)
      .values({
        sessionId: newId("ads"),
        campaignId: "cmp_paging",
        advertiserAccountId: account.accountId,
        creativeVideoId: "vid_paging",
        videoId: "vid_paging",
        channelId,
        priceMillicents: 1000,
        servedAt: closed,
        day: `${CLOSED_PERIOD}-15`,
        recordedAt: closed,
      });
    await testDb()
      .insert(payoutAccounts)
      .values({ channelId, stripeAccountId: `acct_${channelId}`.slice(0, 255) });
  }
}

/** Per list operation ("GET /path" as in openapi.json), its legitimate request. */
export const LIST_REQUESTS: Record<string, (w: ListWorld) => ListRequest> = {
  "GET /api/v1/videos/{videoId}/comments": (w) => ({ path: `/api/v1/videos/${w.videoId}/comments` }),
  "GET /api/v1/comments/{commentId}/replies": (w) => ({ path: `/api/v1/comments/${w.commentId}/replies` }),
  "GET /api/v1/channels/{channelId}/webhooks/{webhookId}/deliveries": (w) => ({
    path: `/api/v1/channels/${w.creator.channelId}/webhooks/${w.webhookId}/deliveries`,
    token: w.creator.accessToken,
  }),
  "GET /api/v1/me/playlists": (w) => ({ path: "/api/v1/me/playlists", token: w.creator.accessToken }),
  "GET /api/v1/channels/{channelId}/playlists": (w) => ({
    path: `/api/v1/channels/${w.creator.channelId}/playlists`,
  }),
  "GET /api/v1/playlists/{playlistId}/items": (w) => ({ path: `/api/v1/playlists/${w.playlistId}/items` }),
  "GET /api/v1/me/subscriptions": (w) => ({ path: "/api/v1/me/subscriptions", token: w.viewer.accessToken }),
  "GET /api/v1/ads/campaigns": (w) => ({ path: "/api/v1/ads/campaigns", token: w.advertiser.accessToken }),
  "GET /api/v1/moderation/ad-reviews": (w) => ({
    path: "/api/v1/moderation/ad-reviews",
    token: w.moderator.accessToken,
  }),
  "GET /api/v1/me/billing/invoices": (w) => ({
    path: "/api/v1/me/billing/invoices",
    token: w.viewer.accessToken,
  }),
  "GET /api/v1/me/notifications": (w) => ({
    path: "/api/v1/me/notifications",
    token: w.creator.accessToken,
  }),
  "GET /api/v1/tags/{tag}/videos": (w) => ({ path: `/api/v1/tags/${w.tag}/videos` }),
  "GET /api/v1/channels/{channelId}/videos": (w) => ({
    path: `/api/v1/channels/${w.creator.channelId}/videos`,
  }),
  "GET /api/v1/me/videos": (w) => ({ path: "/api/v1/me/videos", token: w.creator.accessToken }),
  "GET /api/v1/search": (w) => ({ path: `/api/v1/search?q=${w.word}` }),
  "GET /api/v1/me/history": (w) => ({ path: "/api/v1/me/history", token: w.viewer.accessToken }),
  "GET /api/v1/feed": (w) => ({ path: "/api/v1/feed", token: w.viewer.accessToken }),
  "GET /api/v1/feed/subscriptions": (w) => ({
    path: "/api/v1/feed/subscriptions",
    token: w.viewer.accessToken,
  }),
  "GET /api/v1/trending": () => ({ path: "/api/v1/trending" }),
  "GET /api/v1/me/earnings": (w) => ({ path: "/api/v1/me/earnings", token: w.creator.accessToken }),
  "GET /api/v1/me/payouts": (w) => ({ path: "/api/v1/me/payouts", token: w.creator.accessToken }),
  "GET /api/v1/me/reports": (w) => ({ path: "/api/v1/me/reports", token: w.viewer.accessToken }),
  "GET /api/v1/moderation/cases": (w) => ({
    path: "/api/v1/moderation/cases",
    token: w.moderator.accessToken,
  }),
  "GET /api/v1/moderation/appeals": (w) => ({
    path: "/api/v1/moderation/appeals",
    token: w.moderator.accessToken,
  }),
  "GET /api/v1/me/strikes": (w) => ({ path: "/api/v1/me/strikes", token: w.creator.accessToken }),
  "GET /api/v1/admin/users": (w) => ({ path: "/api/v1/admin/users", token: w.admin.accessToken }),
  "GET /api/v1/admin/config/versions": (w) => ({
    path: "/api/v1/admin/config/versions",
    token: w.admin.accessToken,
  }),
  "GET /api/v1/admin/audit": (w) => ({ path: "/api/v1/admin/audit", token: w.admin.accessToken }),
  "GET /api/v1/admin/payouts/runs": (w) => ({
    path: "/api/v1/admin/payouts/runs",
    token: w.admin.accessToken,
  }),
  "GET /internal/payouts/periods/{period}/channels": () => ({
    path: `/internal/payouts/periods/${CLOSED_PERIOD}/channels`,
    token: env.PAYOUTS_TOKEN,
  }),
  "GET /internal/payouts/accounts": () => ({ path: "/internal/payouts/accounts", token: env.PAYOUTS_TOKEN }),
};
