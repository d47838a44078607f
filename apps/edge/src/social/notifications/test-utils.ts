/**
 * Helpers for the notifications tests (run in workerd): inbox stubs, live sockets, bulk seeding of
 * subscribers straight into D1.
 */
import { env, SELF } from "cloudflare:test";
import { BASE, type SeededAccount, unique } from "../../../test/harness";
import { forEachLimited, inboxOf } from "./fanout";
import type { LiveFrame } from "./types";

export const inbox = (profileId: string) => inboxOf(env, profileId);

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
 * subscribed to `channelId` at `level`. Two INSERT … SELECT statements over a recursive counter:
 * no per-row round trips; the subscriptions trigger counts the rows. Returns the profile ids in id order.
 */
export async function seedSubscribers(channelId: string, count: number, level: "all" | "none" = "all") {
  const tag = unique("fan")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "");
  const accountId = `acc_${tag}`;
  const counter = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)`;
  await env.DB.batch([
    env.DB.prepare("INSERT INTO accounts (id, email, display_name) VALUES (?1, ?2, 'Bulk fans')").bind(
      accountId,
      `${tag}@example.test`,
    ),
    env.DB.prepare(
      `${counter} INSERT INTO profiles (id, account_id, name) SELECT printf('prf_%s_%06d', ?3, i), ?1, 'Fan' FROM n`,
    ).bind(accountId, count, tag),
    env.DB.prepare(
      `${counter} INSERT INTO subscriptions (profile_id, channel_id, level)
         SELECT printf('prf_%s_%06d', ?3, i), ?1, ?4 FROM n`,
    ).bind(channelId, count, tag, level),
  ]);
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

/** A video row of `owner`'s channel, as the media pipeline would have made it. */
export async function insertVideo(
  owner: SeededAccount,
  options: { visibility?: string; status?: string; title?: string; maturity?: string } = {},
): Promise<string> {
  const id = `vid_${unique("n")
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")}`;
  await env.DB.prepare(
    `INSERT INTO videos (id, channel_id, account_id, title, visibility, status, source_key, source_size, source_type, maturity)
     VALUES (?, ?, ?, ?, ?, ?, ?, 1, 'video/mp4', ?)`,
  )
    .bind(
      id,
      owner.channelId,
      owner.accountId,
      options.title ?? `Notified ${id}`,
      options.visibility ?? "public",
      options.status ?? "ready",
      `videos/${id}/source`,
      options.maturity ?? "adult",
    )
    .run();
  return id;
}

/** How many `notification.batch` messages of `sourceEventId` the consumer has handled. */
export async function batchesHandled(sourceEventId: string): Promise<number> {
  const row = await env.DB.prepare(
    "SELECT COUNT(*) AS n FROM processed_events WHERE type = 'notification.batch' AND subject = ?",
  )
    .bind(sourceEventId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
