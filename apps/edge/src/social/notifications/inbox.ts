import { DurableObject } from "cloudflare:workers";
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

interface NotificationRow extends Record<string, SqlStorageValue> {
  seq: number;
  id: string;
  type: string;
  data: string;
  created_at: number;
  read_at: number | null;
}

/** What a socket carries across hibernation. */
interface SocketAttachment {
  sessionId: string;
  connectedAt: number;
}

const view = (r: NotificationRow): NotificationView => ({
  id: r.id,
  type: r.type as NotificationType,
  data: JSON.parse(r.data) as Record<string, string>,
  read: r.read_at !== null,
  createdAt: new Date(r.created_at).toISOString(),
});

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
 * - **Live push.** Each newly stored notification is sent to every socket accepted with the
 *   hibernation API (`ctx.acceptWebSocket`); the object may be evicted between events and the
 *   sockets stay open (the runtime wakes it for `deliver` or a socket message).
 */
export class Inbox extends DurableObject<Env> {
  private readonly sql = this.ctx.storage.sql;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.migrate();
    // Keep-alive pings are answered by the runtime without waking a hibernated object.
    this.ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  private migrate(): void {
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
  }

  private erased(): boolean {
    return this.sql.exec("SELECT 1 FROM meta WHERE key = 'erased'").toArray().length > 0;
  }

  private unread(): number {
    return this.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM notifications WHERE read_at IS NULL").one()
      .n;
  }

  private broadcast(frame: LiveFrame): void {
    const text = JSON.stringify(frame);
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.send(text);
      } catch {
        // A socket that is closing: the runtime tells webSocketClose/webSocketError about it.
      }
    }
  }

  // ---- RPC -----------------------------------------------------------------------------------

  /**
   * Stores the notifications not seen before and pushes each to the live sockets. Idempotent per
   * id. Returns how many were new.
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
          `INSERT INTO notifications (id, type, data, created_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (id) DO NOTHING RETURNING *`,
          item.id,
          item.type,
          JSON.stringify(item.data),
          item.createdAt,
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
    const unread = this.unread();
    for (const row of fresh) this.broadcast({ type: "notification", notification: view(row), unread });
    return { delivered: fresh.length };
  }

  /** Newest first. `cursor` is the `nextCursor` of the previous page. */
  async list(cursor: string | null, limit: number): Promise<InboxPage> {
    const before = cursor === null ? Number.MAX_SAFE_INTEGER : Number(cursor);
    const rows = this.sql
      .exec<NotificationRow>(
        "SELECT * FROM notifications WHERE seq < ? ORDER BY seq DESC LIMIT ?",
        before,
        limit + 1,
      )
      .toArray();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(view),
      nextCursor: rows.length > limit && last ? String(last.seq) : null,
      unread: this.unread(),
    };
  }

  /** Marks the given ids (unknown ones are ignored) or everything read. */
  async markRead(ids: string[] | "all"): Promise<{ updated: number; unread: number }> {
    const now = Date.now();
    let updated = 0;
    if (ids === "all") {
      updated = this.sql.exec("UPDATE notifications SET read_at = ? WHERE read_at IS NULL", now).rowsWritten;
    } else {
      for (const id of new Set(ids)) {
        updated += this.sql.exec(
          "UPDATE notifications SET read_at = ? WHERE id = ? AND read_at IS NULL",
          now,
          id,
        ).rowsWritten;
      }
    }
    const unread = this.unread();
    // Other tabs and devices of the profile update their badge.
    if (updated > 0) this.broadcast({ type: "read", ids, unread });
    return { updated, unread };
  }

  async unreadCount(): Promise<number> {
    return this.unread();
  }

  /**
   * Erases the inbox (account deletion): closes the live sockets, drops all storage, and leaves
   * only the `erased` marker so late deliveries are ignored. Idempotent.
   */
  async deleteAll(): Promise<void> {
    for (const ws of this.ctx.getWebSockets()) {
      try {
        ws.close(4410, "inbox erased");
      } catch {
        // Already closing.
      }
    }
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
   * the session id and the subprotocol to echo in headers.
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
      connectedAt: Date.now(),
    };
    server.serializeAttachment(attachment);
    server.send(JSON.stringify({ type: "hello", unread: this.unread() } satisfies LiveFrame));
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
    // "ping" is answered by the auto-response; the socket is otherwise push-only.
    ws.send(
      JSON.stringify({
        type: "error",
        message: 'This socket only pushes notifications; send "ping" to keep it alive.',
      } satisfies LiveFrame),
    );
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    // Complete the closing handshake. 1005/1006 are reserved (no status / abnormal) and may not be sent.
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, reason);
    } catch {
      // Already closed.
    }
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    try {
      ws.close(1011, "socket error");
    } catch {
      // Already closed.
    }
  }
}
