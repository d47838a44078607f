import { env } from "cloudflare:test";
import type { DomainEvent, NotificationBatch, VideoPublished } from "@marquee/shared";
import { beforeAll, describe, expect, it } from "vitest";
import { DAY, insertBillingSubscription, insertVideo } from "../../../test/fixtures";
import { eventually, type SeededAccount, seedAccount } from "../../../test/harness";
import { publishEvent } from "../../events/publish";
import { internal, leaseOverRpc, queuedVideo } from "../../jobs/test-utils";
import { globalQueue } from "../../transcode-queue/test-utils";
import { subscribe } from "../subscriptions/test-utils";
import { forEachLimited, RECIPIENTS_PER_MESSAGE } from "./delivery";
import { notificationsEventHandlers } from "./events";
import { batchEventId } from "./ids";
import {
  batchesHandled,
  connectLive,
  handled,
  inbox,
  type LiveSocket,
  publishVideo,
  seedSubscribers,
  sleep,
  turnOff,
  unreadCounts,
  unreadOf,
} from "./test-utils";

describe("video.published → subscribers' inboxes", () => {
  let creator: SeededAccount;
  let fans: SeededAccount;
  const sockets: LiveSocket[] = [];

  beforeAll(async () => {
    [creator, fans] = await Promise.all([
      seedAccount({ tag: "fancreator", channel: true }),
      // profiles: [0] follows with level all, [1] turned video.published off, [2] follows with level none.
      seedAccount({ tag: "fans", profiles: [{ name: "NoVideos" }, { name: "Quiet" }] }),
    ]);
    const [all, off, quiet] = fans.profiles.map((p) => p.token) as [string, string, string];
    await subscribe(all, creator.channelId as string);
    await subscribe(off, creator.channelId as string);
    await subscribe(quiet, creator.channelId as string, "none");
    await turnOff(off, "video.published");
  });

  it("a live subscriber hears of a video within 2 s of it becoming playable (heartbeat → queue → inbox → socket)", async ({
    annotate,
  }) => {
    const [all, off, quiet] = fans.profiles as [
      SeededAccount["profiles"][0],
      SeededAccount["profiles"][0],
      SeededAccount["profiles"][0],
    ];
    const live = await connectLive(all.token);
    const liveOff = await connectLive(off.token);
    sockets.push(live, liveOff);
    await live.next((f) => f.type === "hello");

    const videoId = await queuedVideo(creator);
    const lease = await leaseOverRpc(videoId);
    const started = Date.now();
    const beat = await internal(`/jobs/${lease.job.id}/heartbeat`, {
      leaseToken: lease.leaseToken,
      progress: 12,
      playable: true,
      stage: "transcoding",
    });
    expect(beat.status).toBe(200);
    const frame = await live.next(
      (f) => f.type === "notification" && f.notification.data.videoId === videoId,
      2000,
    );
    const elapsed = Date.now() - started;
    await annotate(`playable heartbeat → live notification: ${elapsed} ms`);
    expect(elapsed).toBeLessThan(2000);
    expect(frame).toMatchObject({
      type: "notification",
      notification: {
        type: "video.published",
        read: false,
        data: { videoId, channelId: creator.channelId, title: `Video ${videoId}` },
      },
    });

    // The one that turned the type off and the one following with level none get nothing, then or later.
    await handled(`evt_published_${videoId}`);
    await sleep(500);
    expect(liveOff.frames.filter((f) => f.type === "notification")).toEqual([]);
    expect(await unreadOf(off.id)).toBe(0);
    expect(await unreadOf(quiet.id)).toBe(0);
    expect(await unreadOf(all.id)).toBe(1);
    await globalQueue().cancel(videoId);
    for (const s of sockets) s.close();
  });

  it("a redelivered or repeated event leaves exactly one copy", async () => {
    const [all] = fans.profiles as [SeededAccount["profiles"][0]];
    const before = await unreadOf(all.id);
    const videoId = await insertVideo(creator);
    const event = await publishVideo(creator, videoId);
    expect(await unreadOf(all.id)).toBe(before + 1);
    // The consumer drops a repeated id; the handler run again (a batch that died after it ran) is idempotent.
    await publishEvent(env, "video.published", event.payload, { id: event.id });
    const handler = notificationsEventHandlers["video.published"]?.[0];
    await handler?.(event as Extract<DomainEvent, { type: "video.published" }>, env);
    await handler?.(event as Extract<DomainEvent, { type: "video.published" }>, env);
    await sleep(1500);
    expect(await unreadOf(all.id)).toBe(before + 1);
  });

  it("visibility: unlisted, private and deleted videos announce nothing; premium only to accounts entitled to premium videos", async () => {
    const owner = await seedAccount({ tag: "fanvis", channel: true });
    const [free, premium, standard, lapsed, paidThrough] = await Promise.all([
      seedAccount({ tag: "fanfree" }),
      seedAccount({ tag: "fanprem" }),
      seedAccount({ tag: "fanstd" }),
      seedAccount({ tag: "fanlapsed" }),
      seedAccount({ tag: "fanpaid" }),
    ]);
    await insertBillingSubscription(premium.accountId, { planId: "premium" });
    await insertBillingSubscription(standard.accountId, { planId: "standard" });
    // Past due for longer than the grace period (3 days by default): free again.
    await insertBillingSubscription(lapsed.accountId, {
      status: "past_due",
      pastDueSince: Date.now() - 4 * DAY,
    });
    // Canceled but paid through next week: still premium.
    await insertBillingSubscription(paidThrough.accountId, {
      status: "canceled",
      currentPeriodEnd: Date.now() + 7 * DAY,
    });
    const viewers = [free, premium, standard, lapsed, paidThrough];
    for (const v of viewers) await subscribe(v.accessToken, owner.channelId as string);
    const unread = () => Promise.all(viewers.map((v) => unreadOf(v.profileId)));

    for (const visibility of ["unlisted", "private"] as const) {
      await publishVideo(owner, await insertVideo(owner, { visibility }), visibility);
    }
    // Deleted since it was announced: the current row decides.
    await publishVideo(owner, await insertVideo(owner, { status: "deleted" }));
    expect(await unread()).toEqual([0, 0, 0, 0, 0]);

    await publishVideo(owner, await insertVideo(owner, { visibility: "premium" }), "premium");
    expect(await unread()).toEqual([0, 1, 0, 0, 1]);
    await publishVideo(owner, await insertVideo(owner), "public");
    expect(await unread()).toEqual([1, 2, 1, 1, 2]);
  });
});

describe("fan-out at scale", () => {
  const SUBSCRIBERS = 10_000;

  /**
   * Local workerd keeps each live Durable Object's SQLite file open (3 descriptors) until ~10 s
   * after its last call, and the process has a descriptor limit (often 20,000: ~6,600 live objects).
   * So the inboxes are checked *behind the fan-out's frontier*: each checker waits on one inbox
   * until its copy arrives, in profile-id order (the fan-out's order), a few dozen at a time. The
   * test then never opens inboxes much faster than the fan-out itself, and it measures when each
   * inbox really got its notification. Inboxes never get a second copy later: every batch is
   * handled once all are (processed_events), and a sample is re-checked after that.
   */
  it(`${SUBSCRIBERS.toLocaleString("en")} subscribers: the fan-out completes and every inbox has exactly one copy`, {
    timeout: 400_000,
  }, async ({ annotate }) => {
    const creator = await seedAccount({ tag: "bigcreator", channel: true });
    const channelId = creator.channelId as string;
    const t = Date.now();
    const { profileIds } = await seedSubscribers(channelId, SUBSCRIBERS);
    // Followers without notifications are paged over but never messaged.
    await seedSubscribers(channelId, 500, "none");
    const seeding = Date.now() - t;

    const videoId = await insertVideo(creator, { title: "Big premiere" });
    const started = Date.now();
    const event = await publishEvent<VideoPublished>(
      env,
      "video.published",
      { videoId, channelId, accountId: creator.accountId, title: "Big premiere", visibility: "public" },
      { id: `evt_published_${videoId}` },
    );

    // The handler has delivered the inline group and queued every other message once it is done.
    await handled(event.id);
    const counts = new Map<string, number>();
    let lastArrival = 0;
    await forEachLimited(profileIds, 24, async (id) => {
      const box = inbox(id);
      const deadline = Date.now() + 350_000;
      let n = await box.unreadCount("adult");
      while (n === 0 && Date.now() < deadline) {
        await sleep(250);
        n = await box.unreadCount("adult");
      }
      lastArrival = Math.max(lastArrival, Date.now());
      counts.set(id, n);
    });
    const fanOut = lastArrival - started;
    expect(counts.size).toBe(SUBSCRIBERS);
    expect([...counts].filter(([, n]) => n !== 1).slice(0, 5)).toEqual([]);

    // One group went inline with the video.published handler; the rest were queued messages.
    const messages = Math.ceil(SUBSCRIBERS / RECIPIENTS_PER_MESSAGE) - 1;
    await eventually(async () => (await batchesHandled(event.id)) === messages, 30_000);

    // A batch delivered again under another envelope id, and the source event re-published: still one copy.
    const group = profileIds.slice(0, RECIPIENTS_PER_MESSAGE);
    const again: NotificationBatch = {
      id: `${await batchEventId(event.id, group)}_again`,
      type: "notification.batch",
      occurredAt: event.occurredAt,
      payload: {
        notificationType: "video.published",
        sourceEventId: event.id,
        recipientProfileIds: group,
        data: {},
      },
    };
    await env.EVENTS.send(again, { contentType: "json" });
    await publishEvent(env, "video.published", event.payload, { id: event.id });
    await handled(again.id);
    const sample = [...group, ...profileIds.filter((_, i) => i % 50 === 7)];
    expect([...(await unreadCounts(sample, 16)).values()].every((n) => n === 1)).toBe(true);

    const last = await inbox(profileIds[SUBSCRIBERS - 1] as string).list(null, 5, "adult");
    expect(last.items).toHaveLength(1);
    expect(last.items[0]?.data).toMatchObject({ videoId, title: "Big premiere", channelId });
    await annotate(
      `seeded ${SUBSCRIBERS + 500} subscriptions in ${seeding} ms; publish → all ${SUBSCRIBERS} inboxes ` +
        `hold their copy: ${fanOut} ms (${Math.round((SUBSCRIBERS / fanOut) * 1000)} inboxes/s; ` +
        `1 inline group + ${messages} notification.batch messages)`,
    );
  });
});
