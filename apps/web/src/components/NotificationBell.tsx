import { useEffect, useId, useRef, useState } from "react";
import { Link } from "react-router";
import { api, must } from "../api/client";
import { connectLive, type Notification } from "../lib/live";
import { useSession } from "../lib/session";
import { useAction } from "../lib/useAction";
import { useLoad } from "../lib/useLoad";
import { ProblemMessage } from "./ProblemMessage";
import "../studio.css";

function describe(n: Notification): { text: string; videoId?: string } {
  const d = n.data;
  switch (n.type) {
    case "video.published":
      return {
        text: `${d.channelName ?? "A channel"} published “${d.title ?? "a video"}”`,
        videoId: d.videoId,
      };
    case "comment.created":
      return {
        text: `${d.authorName ?? "Someone"} commented on “${d.videoTitle ?? "your video"}”: ${d.excerpt ?? ""}`,
        videoId: d.videoId,
      };
    case "comment.replied":
      return { text: `${d.authorName ?? "Someone"} replied to you: ${d.excerpt ?? ""}`, videoId: d.videoId };
    case "mention":
      return { text: `${d.authorName ?? "Someone"} mentioned you: ${d.excerpt ?? ""}`, videoId: d.videoId };
    default:
      return { text: "New notification" };
  }
}

/**
 * The bell: the unread count (GET /me/notifications/unread-count, then live over the WebSocket) and
 * a dropdown of the latest notifications with mark-read. Shown only with a signed-in profile.
 */
export function NotificationBell() {
  const profileId = useSession()?.profileId ?? null;
  const active = profileId !== null;
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  // A profile switch changes the token's profile: start over for the new one.
  const unreadCount = useLoad(
    () => must(api.GET("/api/v1/me/notifications/unread-count")).then((r) => r.unread),
    [profileId],
    { enabled: active },
  );
  const unread = unreadCount.data ?? 0;
  const setUnread = unreadCount.setData;
  const list = useLoad(
    async () => {
      const page = await must(api.GET("/api/v1/me/notifications", { params: { query: { limit: 20 } } }));
      setUnread(page.unread);
      return page.items;
    },
    [open, profileId],
    { enabled: open },
  );
  const setItems = list.setData;

  useEffect(() => {
    if (!profileId) return;
    return connectLive((frame) => {
      if (frame.type === "error") return;
      setUnread(frame.unread);
      if (frame.type === "notification")
        setItems((old) =>
          old ? [frame.notification, ...old.filter((n) => n.id !== frame.notification.id)] : old,
        );
      if (frame.type === "read")
        setItems((old) =>
          old?.map((n) => (frame.ids === "all" || frame.ids.includes(n.id) ? { ...n, read: true } : n)),
        );
    });
  }, [profileId, setUnread, setItems]);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") {
        setOpen(false);
        button.current?.focus();
      }
    };
    const onClick = (e: MouseEvent) => {
      if (root.current && !root.current.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("mousedown", onClick);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("mousedown", onClick);
    };
  }, [open]);

  const markRead = useAction(async (body: { ids: string[] } | { all: true }) => {
    const r = await must(api.POST("/api/v1/me/notifications/read", { body }));
    setUnread(r.unread);
    setItems((old) => old?.map((n) => ("all" in body || body.ids.includes(n.id) ? { ...n, read: true } : n)));
  });
  const items = list.data ?? null;

  if (!active) return null;
  return (
    <div className="bell" ref={root}>
      <button
        ref={button}
        type="button"
        className="bell-button"
        aria-label={unread ? `Notifications (${unread} unread)` : "Notifications"}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
      >
        <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true" focusable="false">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
          />
        </svg>
        <span className={`bell-count${unread ? "" : " bell-count-zero"}`} data-testid="unread-count">
          {unread}
        </span>
      </button>
      {open ? (
        <section className="bell-panel" id={panelId} aria-label="Notifications list">
          <div className="bell-panel-head">
            <strong>Notifications</strong>
            <button type="button" onClick={() => void markRead.run({ all: true })} disabled={unread === 0}>
              Mark all read
            </button>
          </div>
          <ProblemMessage error={list.error ?? markRead.error} />
          {items === null ? <p>Loading…</p> : null}
          {items?.length === 0 ? <p>Nothing yet.</p> : null}
          <ul>
            {items?.map((n) => {
              const { text, videoId } = describe(n);
              return (
                <li key={n.id} className={n.read ? "bell-read" : "bell-unread"} data-testid="notification">
                  {videoId ? (
                    <Link
                      to={`/watch/${videoId}`}
                      onClick={() => {
                        setOpen(false);
                        if (!n.read) void markRead.run({ ids: [n.id] });
                      }}
                    >
                      {text}
                    </Link>
                  ) : (
                    <span>{text}</span>
                  )}
                  <span className="studio-sub"> {new Date(n.createdAt).toLocaleString()}</span>
                  {n.read ? null : (
                    <button
                      type="button"
                      className="bell-mark"
                      onClick={() => void markRead.run({ ids: [n.id] })}
                    >
                      Mark read
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        </section>
      ) : null}
    </div>
  );
}
