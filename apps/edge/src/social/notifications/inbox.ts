import { DurableObject } from "cloudflare:workers";
import { MATURITY_LEVELS, type Maturity } from "@marquee/shared";
import { and, eq, gt, inArray, isNull } from "drizzle-orm";
import { createDb } from "../../db/client";
import { accounts, profiles, sessions, videos } from "../../db/schema";
import { canSee, maturitySql } from "../../discovery/maturity";
import type { InboxPage, LiveFrame, NotificationInput, NotificationType, NotificationView } from "./types";

/** The newest notifications an inbox keeps; older ones are pruned as new ones arrive. */
export const INBOX_CAPACITY = 500;
/**
 * How long a delivered id is remembered after its notification was pruned, so a late redelivery
 * (queue retries last minutes; a message lives at most 14 days on a queue) is still recognised.
 */
const SEEN_TTL_MS = 14 * 24 * 3600 * 1000;
/** Hard bound on remembered ids, whatever their age (a profile flooded with notifications). */
const SEEN_MAX = 5000;
/** Live sockets per inbox (tabs and devices of one profile); more are refused. */
export const MAX_SOCKETS = 32;
/** Inbound frames are tiny ("ping"); anything bigger closes the socket. */
const MAX_INBOUND_FRAME = 1024;
/** Close code for a socket whose session ended (logout, revocation, deletion). */
export const SESSION_ENDED = 4401;
/**
 * A notification stored before ratings were recorded (schema version 0) has no maturity; it is
 * treated as the most restrictive rating, so a kids profile never sees an unrated one.
 */
const UNRATED: Maturity = "adult";
/** The stored rating of a row, with unrated rows counted as UNRATED (SQL expression). */
const RATING = `COALESCE(maturity, '${UNRATED}')`;
const visibleTo = (level: Maturity) => maturitySql(RATING, level);
/** D1 binds at most 100 parameters per statement; video ids are read in groups of this many. */
const IDS_PER_STATEMENT = 90;

/**
 * What a caller at `level` may see right now: the rows whose stored rating `level` may see and
 * that either name no video or name one of `videos` — the named videos that still exist (not
 * deleted) and whose CURRENT rating `level` may see (read from D1 by `sightFor`).
 */
interface Sight {
  level: Maturity;
  videos: ReadonlySet<string>;
}
/**
 * The SQL filter of a Sight; binds ONE parameter, `videosParam(sight)` (a JSON array read with
 * json_each, so 500 ids do not need 500 bound parameters).
 */
const shown = (sight: Sight) =>
  `${visibleTo(sight.level)} AND (video_id IS NULL OR video_id IN (SELECT value FROM json_each(?)))`;
const videosParam = (sight: Sight) => JSON.stringify([...sight.videos]);

interface NotificationRow extends Record<string, SqlStorageValue> {
  seq: number;
  id: string;
  type: string;
  data: string;
  created_at: number;
  read_at: number | null;
  maturity: string | null;
  /** The video the notification names (`data.videoId`); null when it names none. */
  video_id: string | null;
}

/** What a socket carries across hibernation: whose session it belongs to. */
interface SocketAttachment {
  sessionId: string;
  /** The profile the edge authenticated the socket for (this inbox's name). */
  profileId: string;
  connectedAt: number;
}

const isMaturity = (m: unknown): m is Maturity => (MATURITY_LEVELS as readonly unknown[]).includes(m);
const ratingOf = (r: NotificationRow): Maturity => (isMaturity(r.maturity) ? r.maturity : UNRATED);
/** The JS twin of `shown`, for rows already in hand (pushes). */
const sees = (sight: Sight, r: NotificationRow): boolean =>
  canSee(sight.level, ratingOf(r)) && (r.video_id === null || sight.videos.has(r.video_id));

const view = (r: NotificationRow): NotificationView => ({
  id: r.id,
  type: r.type as NotificationType,
  data: JSON.parse(r.data) as Record<string, string>,
  read: r.read_at !== null,
  createdAt: new Date(r.created_at).toISOString(),
});

/**
 * Schema steps after the version-0 tables, each run once per object (version kept in `meta`).
 * Append only: an object created before a step runs it on its next start.
 */
const MIGRATIONS: readonly string[] = [
  // 1: the rating of the video a notification names; list/unread/push filter by the profile's level.
  "ALTER TABLE notifications ADD COLUMN maturity TEXT",
  // 2: the video a notification names, so reads can apply the video's current rating and existence.
  // Every type has carried it in `data` since the start: copy it over for the rows already stored.
  `ALTER TABLE notifications ADD COLUMN video_id TEXT;
   UPDATE notifications SET video_id = json_extract(data, '$.videoId')
    WHERE json_valid(data) AND json_type(data, '$.videoId') = 'text';`,
];

/**
 * One profile's notification inbox (object name = profile id) and its live WebSockets.
 *
 * Invariants, and why they hold:
 * - **At most one copy of a notification.** Ids are derived from (source event, recipient)
 *   (ids.ts). `deliver` records each id in `seen` with a conditional insert and stores the
 *   notification only when that insert happened. Every method does its SQL synchronously (no
 *   `await` between the check and the write), so the object's single thread makes each call
 *   atomic: two concurrent deliveries of the same batch cannot both see an id as new.
 * - **`seen` outlives pruning.** The inbox keeps the newest INBOX_CAPACITY notifications, but
 *   remembers delivered ids far longer (SEEN_TTL_MS, at most SEEN_MAX), so a late redelivery of an
 *   id whose notification was already pruned does not bring it back as new.
 * - **Order is arrival order** (`seq`), which is also the cursor: pages never skip or repeat an
 *   item while new notifications arrive, because new ones only ever get larger `seq`s.
 * - **Erased stays erased.** `deleteAll` (account deletion) drops every row and leaves a marker;
 *   a fan-out batch still in flight for a deleted profile is then ignored instead of recreating
 *   personal data.
 * - **Maturity is applied on read, with current values on both sides.** Each row keeps the rating
 *   its video had when delivered, and the id of that video; `list`, `unreadCount` and `markRead`
 *   take the caller's CURRENT level (from the session read of the request), and pushes use the
 *   level read at push time, so lowering a profile to kids hides what was delivered before. Every
 *   one of them also reads the named videos' CURRENT rating and status from D1 (`sightFor`) and
 *   hides a row whose video was re-rated above the level, deleted or is gone: the effective
 *   rating is max(stored, current). The check is a positive list (videos found and visible), so a
 *   row whose video the read did not cover (it arrived during the read) is hidden, never shown.
 * - **Nothing reaches a socket after its session ended.** Every frame (hello, notification,
 *   read) goes only to sockets whose session was found live in D1 just before sending (one read
 *   for all of them, `liveSockets`); the dead ones are closed instead. The explicit
 *   `closeSessions` call (session-sockets.ts, at logout etc.) closes them at once; this check
 *   covers a missed or raced call.
 */
export class Inbox extends DurableObject<Env> {
  private readonly sql = this.ctx.storage.sql;
  private readonly db = createDb(this.env.DB);

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.migrate();
    // Keep-alive pings are answered by the runtime without waking a hibernated object.
    this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  private migrate(): void {
    // Version 0. Later columns are added by MIGRATIONS, never here, so old objects get them too.
    this.sql.exec(`
      CREATE TABLE IF NOT EXISTS notifications (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        data TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        read_at INTEGER
      );
      CREATE INDEX IF NOT EXISTS notifications_unread ON notifications (seq) WHERE read_at IS NULL;
      CREATE TABLE IF NOT EXISTS seen (id TEXT PRIMARY KEY, at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS seen_by_age ON seen (at);
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `);
    const version = Number(
      this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'version'").toArray()[0]?.value ??
        0,
    );
    // Runs in the constructor, inside the object's implicit transaction: a step and its version
    // bump are written together, and no request is served before they are.
    for (let v = version; v < MIGRATIONS.length; v++) {
      this.sql.exec(MIGRATIONS[v] as string);
      this.sql.exec(
        "INSERT INTO meta (key, value) VALUES ('version', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        String(v + 1),
      );
    }
  }

  private erased(): boolean {
    return this.sql.exec("SELECT 1 FROM meta WHERE key = 'erased'").toArray().length > 0;
  }

  private unread(sight: Sight): number {
    return this.sql
      .exec<{ n: number }>(
        `SELECT COUNT(*) AS n FROM notifications WHERE read_at IS NULL AND ${shown(sight)}`,
        videosParam(sight),
      )
      .one().n;
  }

  /**
   * What `level` may see now among the rows matching `where` (plus the videos of `extra` rows):
   * ONE D1 read of the current rating and status of the distinct videos those rows name — a batch
   * of statements of at most IDS_PER_STATEMENT ids each, one round trip; an inbox holds at most
   * INBOX_CAPACITY rows, so at most 6 statements. No D1 read when no candidate row names a video.
   * Throws when D1 fails: callers answer nothing rather than unfiltered rows.
   */
  private async sightFor(
    level: Maturity,
    where: string,
    params: SqlStorageValue[] = [],
    extra: readonly NotificationRow[] = [],
  ): Promise<Sight> {
    const named = this.sql
      .exec<{ video_id: string }>(
        `SELECT DISTINCT video_id FROM notifications
          WHERE video_id IS NOT NULL AND ${visibleTo(level)} AND (${where})`,
        ...params,
      )
      .toArray()
      .map((r) => r.video_id);
    const ids = [...new Set([...named, ...extra.flatMap((r) => (r.video_id === null ? [] : [r.video_id]))])];
    if (ids.length === 0) return { level, videos: new Set() };
    const reads = [];
    for (let i = 0; i < ids.length; i += IDS_PER_STATEMENT) {
      reads.push(
        this.db
          .select({ id: videos.id, maturity: videos.maturity, status: videos.status })
          .from(videos)
          .where(inArray(videos.id, ids.slice(i, i + IDS_PER_STATEMENT))),
      );
    }
    const results = await this.db.batch(reads as [(typeof reads)[number], ...typeof reads]);
    const visible = new Set<string>();
    for (const v of results.flat()) {
      if (v.status !== "deleted" && canSee(level, v.maturity)) visible.add(v.id);
    }
    return { level, videos: visible };
  }

  private static attachmentOf(ws: WebSocket): SocketAttachment | null {
    try {
      return (ws.deserializeAttachment() as SocketAttachment | null) ?? null;
    } catch {
      return null;
    }
  }

  private static close(ws: WebSocket, code: number, reason: string): void {
    try {
      ws.close(code, reason);
    } catch {
      // Already closing.
    }
  }

  /**
   * The open sockets whose session is still live, and the profile's current maturity level; the
   * others are closed (SESSION_ENDED). One D1 read for all sockets: the session exists (the
   * account's deletion cascades it away), is not revoked, not expired, and the socket's profile
   * still exists in the session's account. A failed read pushes nothing (fails closed); the
   * notifications stay in the inbox for the next list.
   */
  private async liveSockets(): Promise<{ sockets: WebSocket[]; level: Maturity }> {
    const open = this.ctx.getWebSockets().filter((ws) => ws.readyState === WebSocket.OPEN);
    const none = { sockets: [], level: "kids" as Maturity };
    if (open.length === 0) return none;
    const attached = open.map((ws) => ({ ws, a: Inbox.attachmentOf(ws) }));
    // All sockets of an inbox are for its one profile; a socket without a session (accepted
    // before sockets recorded one) cannot be checked and is closed.
    const profileId = attached.find((s) => s.a?.profileId)?.a?.profileId;
    const sessionIds = [...new Set(attached.flatMap((s) => (s.a?.sessionId ? [s.a.sessionId] : [])))];
    let rows: { sessionId: string; maturity: Maturity }[] = [];
    if (profileId && sessionIds.length > 0) {
      try {
        rows = await this.db
          .select({ sessionId: sessions.id, maturity: profiles.maturity })
          .from(sessions)
          .innerJoin(accounts, eq(accounts.id, sessions.accountId))
          .innerJoin(profiles, and(eq(profiles.id, profileId), eq(profiles.accountId, sessions.accountId)))
          .where(
            and(
              inArray(sessions.id, sessionIds),
              isNull(sessions.revokedAt),
              gt(sessions.expiresAt, Date.now()),
            ),
          );
      } catch {
        return none;
      }
    }
    const live = new Set(rows.map((r) => r.sessionId));
    const level = rows[0]?.maturity ?? "kids";
    const sockets: WebSocket[] = [];
    for (const { ws, a } of attached) {
      if (a && a.profileId === profileId && live.has(a.sessionId)) sockets.push(ws);
      else Inbox.close(ws, SESSION_ENDED, "session ended");
    }
    return { sockets, level };
  }

  /**
   * Sends to the live sockets the frames `frames` makes for what they may see now (the level read
   * with the session check, the videos' current ratings read after it; `fresh` rows' videos are
   * read too). Sockets closed while the checks were in flight (closeSessions, deleteAll) are
   * skipped: readyState is checked at send.
   */
  private async push(
    frames: (sight: Sight) => LiveFrame[],
    fresh: readonly NotificationRow[] = [],
  ): Promise<void> {
    const { sockets, level } = await this.liveSockets();
    if (sockets.length === 0) return;
    let sight: Sight;
    try {
      // The unread figure covers the unread rows; `fresh` may have been marked read meanwhile.
      sight = await this.sightFor(level, "read_at IS NULL", [], fresh);
    } catch {
      return; // Fails closed: nothing is pushed; the rows stay for the next list.
    }
    const texts = frames(sight).map((f) => JSON.stringify(f));
    for (const ws of sockets) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      for (const text of texts) {
        try {
          ws.send(text);
        } catch {
          // A socket that is closing: the runtime tells webSocketClose/webSocketError about it.
        }
      }
    }
  }

  // ---- RPC -----------------------------------------------------------------------------------

  /**
   * Stores the notifications not seen before and pushes each to the live sockets whose session
   * is live and whose profile may see its rating. Idempotent per id. Returns how many were new.
   */
  async deliver(items: NotificationInput[]): Promise<{ delivered: number }> {
    if (this.erased()) return { delivered: 0 };
    const now = Date.now();
    const fresh: NotificationRow[] = [];
    for (const item of items) {
      // The conditional insert is the duplicate check: no await between it and the store below.
      const isNew =
        this.sql
          .exec(
            "INSERT INTO seen (id, at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING RETURNING id",
            item.id,
            now,
          )
          .toArray().length > 0;
      if (!isNew) continue;
      const row = this.sql
        .exec<NotificationRow>(
          `INSERT INTO notifications (id, type, data, created_at, maturity, video_id) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (id) DO NOTHING RETURNING *`,
          item.id,
          item.type,
          JSON.stringify(item.data),
          item.createdAt,
          isMaturity(item.maturity) ? item.maturity : UNRATED,
          typeof item.data.videoId === "string" && item.data.videoId !== "" ? item.data.videoId : null,
        )
        .toArray()[0];
      if (row) fresh.push(row);
    }
    if (fresh.length === 0) return { delivered: 0 };
    // Keep the newest INBOX_CAPACITY; the ids stay in `seen`.
    this.sql.exec(
      `DELETE FROM notifications WHERE seq <= (SELECT seq FROM notifications ORDER BY seq DESC LIMIT 1 OFFSET ?)`,
      INBOX_CAPACITY,
    );
    this.sql.exec("DELETE FROM seen WHERE at < ?", now - SEEN_TTL_MS);
    this.sql.exec(
      "DELETE FROM seen WHERE rowid <= (SELECT rowid FROM seen ORDER BY rowid DESC LIMIT 1 OFFSET ?)",
      SEEN_MAX,
    );
    // Everything is stored before this await: a concurrent call sees the rows, and the push below
    // only decides who hears of them now.
    await this.push((sight) => {
      const unread = this.unread(sight);
      return fresh
        .filter((row) => sees(sight, row))
        .map((row) => ({ type: "notification", notification: view(row), unread }));
    }, fresh);
    return { delivered: fresh.length };
  }

  /** Newest first, only what `level` may see. `cursor` is the `nextCursor` of the previous page. */
  async list(cursor: string | null, limit: number, level: Maturity): Promise<InboxPage> {
    const before = cursor === null ? Number.MAX_SAFE_INTEGER : Number(cursor);
    // Candidates: this page and older (listed), and the unread ones (counted).
    const sight = await this.sightFor(level, "seq < ? OR read_at IS NULL", [before]);
    // No await from here on: the rows, the filter and the count are one consistent view.
    const rows = this.sql
      .exec<NotificationRow>(
        `SELECT * FROM notifications WHERE seq < ? AND ${shown(sight)} ORDER BY seq DESC LIMIT ?`,
        before,
        videosParam(sight),
        limit + 1,
      )
      .toArray();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(view),
      nextCursor: rows.length > limit && last ? String(last.seq) : null,
      unread: this.unread(sight),
    };
  }

  /** Marks the given ids (unknown or hidden from `level` are ignored) or everything visible read. */
  async markRead(ids: string[] | "all", level: Maturity): Promise<{ updated: number; unread: number }> {
    // Only unread rows are marked or counted.
    const sight = await this.sightFor(level, "read_at IS NULL");
    const now = Date.now();
    let updated = 0;
    if (ids === "all") {
      updated = this.sql.exec(
        `UPDATE notifications SET read_at = ? WHERE read_at IS NULL AND ${shown(sight)}`,
        now,
        videosParam(sight),
      ).rowsWritten;
    } else {
      for (const id of new Set(ids)) {
        updated += this.sql.exec(
          `UPDATE notifications SET read_at = ? WHERE id = ? AND read_at IS NULL AND ${shown(sight)}`,
          now,
          id,
          videosParam(sight),
        ).rowsWritten;
      }
    }
    const unread = this.unread(sight);
    // Other tabs and devices of the profile update their badge (the push reads its own sight: the
    // sockets' level, read at push time, may differ from this request's).
    if (updated > 0) await this.push((live) => [{ type: "read", ids, unread: this.unread(live) }]);
    return { updated, unread };
  }

  async unreadCount(level: Maturity): Promise<number> {
    return this.unread(await this.sightFor(level, "read_at IS NULL"));
  }

  /**
   * Closes the live sockets of ended sessions (`sessionIds`, or all but `exceptSessionId`) with
   * SESSION_ENDED. Once this returns, those sockets take no more frames (send on a closing socket
   * throws). Returns how many were closed.
   */
  async closeSessions(sessionIds: string[] | "all", exceptSessionId: string | null): Promise<number> {
    const ended = sessionIds === "all" ? null : new Set(sessionIds);
    let closed = 0;
    for (const ws of this.ctx.getWebSockets()) {
      const sessionId = Inbox.attachmentOf(ws)?.sessionId ?? "";
      const match = ended ? ended.has(sessionId) : sessionId !== exceptSessionId;
      if (!match) continue;
      Inbox.close(ws, SESSION_ENDED, "session ended");
      closed++;
    }
    return closed;
  }

  /**
   * Erases the inbox (account deletion): closes the live sockets, drops all storage, and leaves
   * only the `erased` marker so late deliveries are ignored. Idempotent.
   */
  async deleteAll(): Promise<void> {
    for (const ws of this.ctx.getWebSockets()) Inbox.close(ws, 4410, "inbox erased");
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    this.migrate();
    this.sql.exec(
      "INSERT INTO meta (key, value) VALUES ('erased', ?) ON CONFLICT (key) DO NOTHING",
      String(Date.now()),
    );
  }

  // ---- live socket (hibernation API) -----------------------------------------------------------

  /**
   * Accepts a WebSocket upgrade forwarded by the edge after it authenticated the caller as this
   * inbox's profile (the object is reachable only through the worker's binding). The edge passes
   * the session id, the profile id and the subprotocol to echo in headers.
   *
   * The socket is accepted BEFORE its session is checked again here: once accepted it is in
   * getWebSockets(), so a logout whose closeSessions runs from now on closes it; a logout that
   * revoked the row before this check is seen by the check. Checking first and accepting after the
   * await would leave a gap where both miss it (the edge's own check happened even earlier).
   */
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("expected a WebSocket upgrade", { status: 426 });
    }
    if (this.erased()) return new Response("inbox erased", { status: 410 });
    if (this.ctx.getWebSockets().length >= MAX_SOCKETS) {
      return new Response("too many live connections", { status: 429 });
    }
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    this.ctx.acceptWebSocket(server);
    const attachment: SocketAttachment = {
      sessionId: request.headers.get("x-marquee-session") ?? "",
      profileId: request.headers.get("x-marquee-profile") ?? "",
      connectedAt: Date.now(),
    };
    server.serializeAttachment(attachment);
    const { sockets, level } = await this.liveSockets();
    // A dead session's socket was closed by liveSockets: the client sees 4401 right away.
    const sight = sockets.includes(server)
      ? await this.sightFor(level, "read_at IS NULL").catch(() => null)
      : null;
    if (sight && server.readyState === WebSocket.OPEN) {
      server.send(JSON.stringify({ type: "hello", unread: this.unread(sight) } satisfies LiveFrame));
    } else if (server.readyState === WebSocket.OPEN) {
      // The session or the videos could not be checked (D1 failed): no frame without a check; the
      // client retries.
      Inbox.close(server, 1011, "try again");
    }
    const headers = new Headers();
    const protocol = request.headers.get("x-marquee-protocol");
    if (protocol) headers.set("sec-websocket-protocol", protocol);
    return new Response(null, { status: 101, webSocket: client, headers });
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const size = typeof message === "string" ? message.length : message.byteLength;
    if (size > MAX_INBOUND_FRAME) {
      ws.close(1009, "frame too large");
      return;
    }
    // "ping" is answered by the auto-response; the socket is otherwise push-only. The error frame
    // is a constant (no profile data), so it needs no session check.
    ws.send(
      JSON.stringify({
        type: "error",
        message: 'This socket only pushes notifications; send "ping" to keep it alive.',
      } satisfies LiveFrame),
    );
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    // Complete the closing handshake. 1005/1006 are reserved (no status / abnormal) and may not be sent.
    Inbox.close(ws, code === 1005 || code === 1006 ? 1000 : code, reason);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    Inbox.close(ws, 1011, "socket error");
  }
}
