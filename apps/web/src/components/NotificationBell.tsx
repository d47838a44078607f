import { Bell, CheckCheck } from "lucide-react";
import { lazy, Suspense, useEffect, useId, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, must } from "../api/client";
import { connectLive } from "../lib/live";
import { useSession } from "../lib/session";
import { useAction } from "../lib/useAction";
import { useLoad } from "../lib/useLoad";
import { Button, Spinner } from "../ui";
import "../styles/notifications.css";

// The panel's body (its icons, texts and states) loads when the bell is first opened.
const NotificationList = lazy(() =>
  import("./header/NotificationList").then((m) => ({ default: m.NotificationList })),
);

/**
 * The bell: the unread count (GET /me/notifications/unread-count, then live over the WebSocket) and
 * a panel of the latest notifications with mark-read. Shown only with a signed-in profile.
 */
export function NotificationBell() {
  const { t } = useTranslation("notifications");
  const profileId = useSession()?.profileId ?? null;
  const active = profileId !== null;
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const headingId = useId();
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

  if (!active) return null;
  return (
    <div className="notif" ref={root}>
      <Button
        ref={button}
        variant="ghost"
        className="ui-button--icon notif-button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
      >
        {/* Named by its content ("Notifications 2 unread"), so the visible count is part of the name. */}
        <Bell aria-hidden="true" />
        <span className="visually-hidden">{t("bell.label")}</span>
        <span className={unread ? "notif-count" : "notif-count notif-count--zero"} data-testid="unread-count">
          {unread}
        </span>
        {unread ? <span className="visually-hidden">{t("bell.unread")}</span> : null}
      </Button>
      {open ? (
        <section className="notif-panel" id={panelId} aria-labelledby={headingId}>
          <div className="notif-panel-head">
            <h2 id={headingId}>{t("title")}</h2>
            <Button
              size="sm"
              variant="ghost"
              icon={<CheckCheck />}
              onClick={() => void markRead.run({ all: true })}
              disabled={unread === 0}
              busy={markRead.busy}
            >
              {t("markAllRead")}
            </Button>
          </div>
          <Suspense fallback={<Spinner size="md" label={t("loading")} />}>
            <NotificationList
              items={list.data ?? null}
              error={list.error ?? markRead.error}
              onRetry={list.reload}
              onOpen={(n) => {
                setOpen(false);
                if (!n.read) void markRead.run({ ids: [n.id] });
              }}
              onMarkRead={(n) => void markRead.run({ ids: [n.id] })}
            />
          </Suspense>
        </section>
      ) : null}
    </div>
  );
}
