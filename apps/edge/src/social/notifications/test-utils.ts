/**
 * Helpers for the notifications tests (run in workerd): inbox stubs, live sockets, events, bulk
 * seeding of subscribers. Single rows (videos, subscriptions) come from test/fixtures.ts.
 */
import { env, SELF } from "cloudflare:test";
import type { VideoPublished } from "@marquee/shared";
import { and, count, eq, sql } from "drizzle-orm";
import { testDb } from "../../../test/fixtures";
import { apiJson, BASE, eventually, type SeededAccount, unique } from "../../../test/harness";
import { accounts, processedEvents, profiles, subscriptions } from "../../db/schema";
import { publishEvent } from "../../events/publish";
import { forEachLimited, inboxOf } from "./delivery";
import { notificationId } from "./ids";
import type { LiveFrame, NotificationInput, NotificationView } from "./types";

/** A page of GET /me/notifications. */
export interface NotificationPage {
  items: NotificationView[];
  nextCursor: string | null;
  unread: number;
}

export const inbox = (profileId: string) => inboxOf(env, profileId);

/** A profile's unread count as an adult reader sees it (no maturity filter in the way). */
export const unreadOf = (profileId: string) => inbox(profileId).unreadCount("adult");

/** Turns one notification type off for the profile the token names. */
export const turnOff = (token: string, type: string) =>
  apiJson("/api/v1/me/notification-preferences", 200, { method: "PUT", token, json: { [type]: false } });

/** A private inbox (unique name) for tests of the object itself. */
export const scratchInbox = () => inboxOf(env, unique("prf_scratch"));

export interface LiveSocket {
  ws: WebSocket;
  frames: LiveFrame[];
  /** "pong" answers received. */
  pongs: { count: number };
  /** Resolves with the first frame (already received or coming) that matches, or rejects after `timeoutMs`. */
  next(match: (f: LiveFrame) => boolean, timeoutMs?: number): Promise<LiveFrame>;
  close(): void;
  /** Resolves with the close code the server sent (or rejects after `timeoutMs`). */
  closed(timeoutMs?: number): Promise<number>;
}

export function liveRequest(headers: Record<string, string>, query = "") {
  return SELF.fetch(`${BASE}/api/v1/me/notifications/live${query}`, { headers });
}

/** Opens the live socket the way a browser does: the token as a subprotocol. */
export async function connectLive(token: string): Promise<LiveSocket> {
  const res = await liveRequest({
    upgrade: "websocket",
    "sec-websocket-protocol": `marquee.v1, bearer.${token}`,
  });
  const ws = res.webSocket;
  if (res.status !== 101 || !ws) throw new Error(`expected 101, got ${res.status}: ${await res.text()}`);
  if (res.headers.get("sec-websocket-protocol") !== "marquee.v1") {
    throw new Error(`selected subprotocol: ${res.headers.get("sec-websocket-protocol")}`);
  }
  const frames: LiveFrame[] = [];
  const pongs = { count: 0 };
  const waiters = new Set<() => void>();
  const closeCode = new Promise<number>((resolve) => ws.addEventListener("close", (e) => resolve(e.code)));
  ws.accept();
  ws.addEventListener("message", (e) => {
    const text = String(e.data);
    // "pong" answers "ping"; everything else is a JSON frame.
    if (text === "pong") pongs.count++;
    else frames.push(JSON.parse(text) as LiveFrame);
    for (const w of waiters) w();
  });
  return {
    ws,
    frames,
    pongs,
    next(match, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = frames.find(match);
          if (!found) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no matching frame in ${timeoutMs} ms; got ${JSON.stringify(frames)}`));
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    close: () => {
      try {
        ws.close(1000, "test done");
      } catch {
        // Already closed by the server.
      }
    },
    closed: (timeoutMs = 5000) =>
      Promise.race([
        closeCode,
        sleep(timeoutMs).then(() => {
          throw new Error(`socket still open after ${timeoutMs} ms`);
        }),
      ]),
  };
}

/**
 * `count` profiles (minimal rows, made-up ids, one account: the foreign keys want real rows) all
 * subscribed to `channelId` at `level`. The subscriptions trigger counts the rows. Returns the
 * profile ids in id order.
 */
export async function seedSubscribers(channelId: string, count: number, level: "all" | "none" = "all") {
  const tag = unique("fan")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
  const accountId = `acc_${tag}`;
  const db = testDb();
  // Ten thousand rows in one statement each, over a recursive counter: drizzle's insert cannot
  // express INSERT … SELECT from a recursive CTE, and row-by-row inserts take minutes in workerd.
  const counter = sql`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})`;
  const profileId = sql`printf('prf_%s_%06d', ${tag}, i)`;
  await db.insert(accounts).values({ id: accountId, email: `${tag}@example.test`, displayName: "Bulk fans" });
  await db.run(
    sql`${counter} INSERT INTO ${profiles} (id, account_id, name) SELECT ${profileId}, ${accountId}, 'Fan' FROM n`,
  );
  await db.run(
    sql`${counter} INSERT INTO ${subscriptions} (profile_id, channel_id, level) SELECT ${profileId}, ${channelId}, ${level} FROM n`,
  );
  return {
    accountId,
    profileIds: Array.from({ length: count }, (_, i) => `prf_${tag}_${String(i + 1).padStart(6, "0")}`),
  };
}

/** Each inbox's unread count, `concurrency` RPCs at a time. */
export async function unreadCounts(
  profileIds: readonly string[],
  concurrency = 64,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  await forEachLimited(profileIds, concurrency, async (id) => {
    out.set(id, await inbox(id).unreadCount("adult"));
  });
  return out;
}

/** How many `notification.batch` messages of `sourceEventId` the consumer has handled. */
export async function batchesHandled(sourceEventId: string): Promise<number> {
  const [row] = await testDb()
    .select({ n: count() })
    .from(processedEvents)
    .where(and(eq(processedEvents.type, "notification.batch"), eq(processedEvents.subject, sourceEventId)));
  return row?.n ?? 0;
}

/** Resolves once the consumer has handled the event (its id is in processed_events). */
export const handled = (eventId: string) =>
  eventually(
    async () =>
      (await testDb().select().from(processedEvents).where(eq(processedEvents.id, eventId)))[0] ?? null,
    15_000,
  );

/** Publishes `video.published` for a video of `owner`'s channel and waits until it was handled. */
export async function publishVideo(owner: SeededAccount, videoId: string, visibility = "public") {
  const event = await publishEvent<VideoPublished>(
    env,
    "video.published",
    { videoId, channelId: owner.channelId as string, accountId: owner.accountId, title: "t", visibility },
    { id: `evt_published_${videoId}` },
  );
  await handled(event.id);
  return event;
}

/** A notification input for `recipient`, made from `source` (an event id) as the fan-out makes it. */
export async function notificationFor(
  source: string,
  recipient: string,
  fields: Partial<NotificationInput> = {},
): Promise<NotificationInput> {
  return {
    id: await notificationId(source, recipient),
    type: "video.published",
    data: { title: `Video ${source}` },
    createdAt: Date.now(),
    maturity: "adult",
    ...fields,
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
