/**
 * The live notification socket: GET /api/v1/me/notifications/live. Browsers cannot put an
 * Authorization header on a WebSocket, so the access token travels as a subprotocol next to
 * `marquee.v1` (the server answers `marquee.v1`, never echoing the token). The socket reconnects
 * with exponential backoff (1 s doubling to 30 s, with jitter); a socket that closes before its
 * `hello` most likely carried an expired token, so the token is refreshed before the next try.
 */
import type { components } from "../api/schema";
import { session } from "./session";

export type Notification = components["schemas"]["Notification"];

/** Frames the server sends (apps/edge/src/social/notifications/types.ts, LiveFrame). */
export type LiveFrame =
  | { type: "hello"; unread: number }
  | { type: "notification"; notification: Notification; unread: number }
  | { type: "read"; ids: string[] | "all"; unread: number }
  | { type: "error"; message: string };

const PROTOCOL = "marquee.v1";
const PING_MS = 25_000;
const MAX_BACKOFF_MS = 30_000;

/** Opens the socket for the signed-in profile and keeps it open until the returned stop() is called. */
export function connectLive(
  onFrame: (frame: LiveFrame) => void,
  onState?: (live: boolean) => void,
): () => void {
  let socket: WebSocket | null = null;
  let stopped = false;
  let attempt = 0;
  let retry: ReturnType<typeof setTimeout> | undefined;

  const open = () => {
    const token = session.accessToken();
    if (stopped || !token) return;
    const url = new URL("/api/v1/me/notifications/live", window.location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    let greeted = false;
    let ping: ReturnType<typeof setInterval> | undefined;
    const ws = new WebSocket(url, [PROTOCOL, `bearer.${token}`]);
    socket = ws;
    ws.onmessage = (e) => {
      if (typeof e.data !== "string" || e.data === "pong") return;
      try {
        const frame = JSON.parse(e.data) as LiveFrame;
        if (frame.type === "hello") {
          greeted = true;
          attempt = 0;
          onState?.(true);
        }
        onFrame(frame);
      } catch {
        // not a frame of ours
      }
    };
    ws.onopen = () => {
      ping = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send("ping"), PING_MS);
    };
    ws.onclose = async () => {
      clearInterval(ping);
      onState?.(false);
      if (stopped || socket !== ws) return;
      // Refused before hello: the token was probably stale; get a fresh one first.
      if (!greeted && session.accessToken() === token) await session.refresh();
      const delay = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** attempt) * (0.75 + Math.random() / 2);
      attempt += 1;
      retry = setTimeout(open, delay);
    };
  };

  // A new token for another profile (profile switch) or signing out: reopen for whoever is now active.
  let profile = session.get()?.profileId ?? null;
  const unsubscribe = session.subscribe(() => {
    const now = session.get()?.profileId ?? null;
    if (now === profile) return;
    profile = now;
    restart();
  });
  const restart = () => {
    clearTimeout(retry);
    const old = socket;
    socket = null;
    old?.close();
    attempt = 0;
    open();
  };

  open();
  return () => {
    stopped = true;
    unsubscribe();
    clearTimeout(retry);
    socket?.close();
  };
}
