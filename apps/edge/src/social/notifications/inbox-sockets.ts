/**
 * The Inbox object's live WebSockets (hibernation API): what each carries, and which of them may
 * still hear anything — only those whose session is live in D1 right now.
 */
import type { Maturity } from "@marquee/shared";
import { and, eq, gt, inArray, isNull } from "drizzle-orm";
import type { Db } from "../../db/client";
import { accounts, profiles, sessions } from "../../db/schema";

/** Live sockets per inbox (tabs and devices of one profile); more are refused. */
export const MAX_SOCKETS = 32;
/** Inbound frames are tiny ("ping"); anything bigger closes the socket. */
export const MAX_INBOUND_FRAME = 1024;
/** Close code for a socket whose session ended (logout, revocation, deletion). */
export const SESSION_ENDED = 4401;

/** What a socket carries across hibernation: whose session it belongs to. */
export interface SocketAttachment {
  sessionId: string;
  /** The profile the edge authenticated the socket for (this inbox's name). */
  profileId: string;
  connectedAt: number;
}

export function attachmentOf(ws: WebSocket): SocketAttachment | null {
  try {
    return (ws.deserializeAttachment() as SocketAttachment | null) ?? null;
  } catch {
    return null;
  }
}

export function closeSocket(ws: WebSocket, code: number, reason: string): void {
  try {
    ws.close(code, reason);
  } catch {
    // Already closing.
  }
}

/** Sends each text to each socket still open (readyState is checked at send). */
export function sendAll(sockets: readonly WebSocket[], texts: readonly string[]): void {
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

/**
 * The open sockets whose session is still live, and the profile's current maturity level; the
 * others are closed (SESSION_ENDED). One D1 read for all sockets: the session exists (the
 * account's deletion cascades it away), is not revoked, not expired, and the socket's profile
 * still exists in the session's account. A failed read pushes nothing (fails closed); the
 * notifications stay in the inbox for the next list.
 */
export async function liveSockets(
  ctx: DurableObjectState,
  db: Db,
): Promise<{ sockets: WebSocket[]; level: Maturity }> {
  const open = ctx.getWebSockets().filter((ws) => ws.readyState === WebSocket.OPEN);
  const none = { sockets: [], level: "kids" as Maturity };
  if (open.length === 0) return none;
  const attached = open.map((ws) => ({ ws, a: attachmentOf(ws) }));
  // All sockets of an inbox are for its one profile; a socket without a session (accepted
  // before sockets recorded one) cannot be checked and is closed.
  const profileId = attached.find((s) => s.a?.profileId)?.a?.profileId;
  const sessionIds = [...new Set(attached.flatMap((s) => (s.a?.sessionId ? [s.a.sessionId] : [])))];
  let rows: { sessionId: string; maturity: Maturity }[] = [];
  if (profileId && sessionIds.length > 0) {
    try {
      rows = await db
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
    else closeSocket(ws, SESSION_ENDED, "session ended");
  }
  return { sockets, level };
}

/**
 * Closes the sockets of ended sessions (`sessionIds`, or all but `exceptSessionId`) with
 * SESSION_ENDED; answers how many were closed.
 */
export function closeSessionSockets(
  ctx: DurableObjectState,
  sessionIds: string[] | "all",
  exceptSessionId: string | null,
): number {
  const ended = sessionIds === "all" ? null : new Set(sessionIds);
  let closed = 0;
  for (const ws of ctx.getWebSockets()) {
    const sessionId = attachmentOf(ws)?.sessionId ?? "";
    const match = ended ? ended.has(sessionId) : sessionId !== exceptSessionId;
    if (!match) continue;
    closeSocket(ws, SESSION_ENDED, "session ended");
    closed++;
  }
  return closed;
}
