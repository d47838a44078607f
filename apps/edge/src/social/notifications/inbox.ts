import { DurableObject } from "cloudflare:workers";
import type { Maturity } from "@marquee/shared";
import { createDb } from "../../db/client";
import { markShownRead, type Sight, sees, shown, sightFor, unreadIn, videosParam } from "./inbox-sight";
import {
  closeSessionSockets,
  closeSocket,
  liveSockets,
  MAX_INBOUND_FRAME,
  MAX_SOCKETS,
  type SocketAttachment,
  sendAll,
} from "./inbox-sockets";
import { migrateInbox, type NotificationRow, storeNew, view } from "./inbox-storage";
import type { InboxPage, LiveFrame, NotificationInput } from "./types";

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
    ctx.blockConcurrencyWhile(async () => {
      migrateInbox(ctx.storage);
    });
    // Keep-alive pings are answered by the runtime without waking a hibernated object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair("ping", "pong"));
  }

  private erased(): boolean {
    return this.sql.exec("SELECT 1 FROM meta WHERE key = 'erased'").toArray().length > 0;
  }

  private unread(sight: Sight): number {
    return unreadIn(this.sql, sight);
  }

  private sightFor(
    level: Maturity,
    where: string,
    params: SqlStorageValue[] = [],
    extra: readonly NotificationRow[] = [],
  ) {
    return sightFor(this.sql, this.db, level, where, params, extra);
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
    const { sockets, level } = await liveSockets(this.ctx, this.db);
    if (sockets.length === 0) return;
    let sight: Sight;
    try {
      // The unread figure covers the unread rows; `fresh` may have been marked read meanwhile.
      sight = await this.sightFor(level, "read_at IS NULL", [], fresh);
    } catch {
      return; // Fails closed: nothing is pushed; the rows stay for the next list.
    }
    sendAll(
      sockets,
      frames(sight).map((f) => JSON.stringify(f)),
    );
  }

  // ---- RPC -----------------------------------------------------------------------------------

  /**
   * Stores the notifications not seen before and pushes each to the live sockets whose session
   * is live and whose profile may see its rating. Idempotent per id. Returns how many were new.
   */
  async deliver(items: NotificationInput[]): Promise<{ delivered: number }> {
    if (this.erased()) return { delivered: 0 };
    const fresh = storeNew(this.sql, items, Date.now());
    if (fresh.length === 0) return { delivered: 0 };
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

  /**
   * Newest first, only what `level` may see: the page before `beforeSeq` (null: the newest), and
   * the `seq` to pass next (null on the last page).
   */
  async list(beforeSeq: number | null, limit: number, level: Maturity): Promise<InboxPage> {
    const before = beforeSeq ?? Number.MAX_SAFE_INTEGER;
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
      nextSeq: rows.length > limit && last ? last.seq : null,
      unread: this.unread(sight),
    };
  }

  /** Marks the given ids (unknown or hidden from `level` are ignored) or everything visible read. */
  async markRead(ids: string[] | "all", level: Maturity): Promise<{ updated: number; unread: number }> {
    // Only unread rows are marked or counted.
    const sight = await this.sightFor(level, "read_at IS NULL");
    const updated = markShownRead(this.sql, sight, ids, Date.now());
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
    return closeSessionSockets(this.ctx, sessionIds, exceptSessionId);
  }

  /**
   * Erases the inbox (account deletion): closes the live sockets, drops all storage, and leaves
   * only the `erased` marker so late deliveries are ignored. Idempotent.
   */
  async deleteAll(): Promise<void> {
    for (const ws of this.ctx.getWebSockets()) closeSocket(ws, 4410, "inbox erased");
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    migrateInbox(this.ctx.storage);
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
    const { sockets, level } = await liveSockets(this.ctx, this.db);
    // A dead session's socket was closed by liveSockets: the client sees 4401 right away.
    const sight = sockets.includes(server)
      ? await this.sightFor(level, "read_at IS NULL").catch(() => null)
      : null;
    if (sight && server.readyState === WebSocket.OPEN) {
      server.send(JSON.stringify({ type: "hello", unread: this.unread(sight) } satisfies LiveFrame));
    } else if (server.readyState === WebSocket.OPEN) {
      // The session or the videos could not be checked (D1 failed): no frame without a check; the
      // client retries.
      closeSocket(server, 1011, "try again");
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
    closeSocket(ws, code === 1005 || code === 1006 ? 1000 : code, reason);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    closeSocket(ws, 1011, "socket error");
  }
}
