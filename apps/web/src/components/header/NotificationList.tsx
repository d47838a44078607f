import {
  AtSign,
  BellOff,
  Flag,
  MessageSquare,
  MessageSquareReply,
  Scale,
  ShieldAlert,
  Video,
} from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useFormat } from "../../lib/format";
import type { Notification } from "../../lib/live";
import { Button, EmptyState, ErrorState, Skeleton } from "../../ui";

const ICONS = {
  "video.published": Video,
  "comment.created": MessageSquare,
  "comment.replied": MessageSquareReply,
  mention: AtSign,
  "report.resolved": Flag,
  "strike.issued": ShieldAlert,
  "appeal.decided": Scale,
} as const;

const TARGETS = ["video", "comment", "channel"] as const;

/**
 * Where a notification leads: its video, or for trust and safety (which never names a video: the
 * content may be gone) the reporter's list of reports or the creator's strikes and appeals.
 */
function hrefOf(n: Notification): string | null {
  if (n.data.videoId) return `/watch/${n.data.videoId}`;
  if (n.type === "report.resolved") return "/me/reports";
  if (n.type === "strike.issued" || n.type === "appeal.decided") return "/studio/strikes";
  return null;
}

/** One notification in words ("Kitchen Table published “Ramen”"), and the video it is about. */
function useDescribe() {
  const { t } = useTranslation("notifications");
  const f = useFormat();
  return (n: Notification): string => {
    const d = n.data;
    const someone = d.authorName ?? t("someone");
    switch (n.type) {
      case "video.published":
        return t("text.published", {
          channel: d.channelName ?? t("aChannel"),
          title: d.title ?? t("aVideo"),
        });
      case "comment.created":
        return t("text.commented", {
          author: someone,
          title: d.videoTitle ?? t("yourVideo"),
          excerpt: d.excerpt ?? "",
        });
      case "comment.replied":
        return t("text.replied", { author: someone, excerpt: d.excerpt ?? "" });
      case "mention":
        return t("text.mentioned", { author: someone, excerpt: d.excerpt ?? "" });
      case "report.resolved": {
        const target = TARGETS.find((x) => x === d.targetType) ?? "other";
        const words = { target: t(`target.${target}`) };
        return d.outcome === "dismissed" || d.decision === "dismiss"
          ? t("text.reportDismissed", words)
          : t("text.reportUpheld", words);
      }
      case "strike.issued":
        if (d.kind === "warning") return t("text.warning");
        return d.frozenUntil ? t("text.strikeFrozen", { date: f.date(d.frozenUntil) }) : t("text.strike");
      case "appeal.decided":
        // `granted` ("true"/"false") or `outcome` ("granted"/"denied"): either says it.
        return d.granted === "true" || d.outcome === "granted"
          ? t("text.appealGranted")
          : t("text.appealDenied");
      default:
        return t("text.other");
    }
  };
}

/** The bell panel's body: skeleton lines while loading, the error with Retry, "all caught up", or the list. */
export function NotificationList({
  items,
  error,
  onRetry,
  onOpen,
  onMarkRead,
}: {
  items: Notification[] | null;
  error: unknown;
  onRetry: () => void;
  onOpen: (n: Notification) => void;
  onMarkRead: (n: Notification) => void;
}) {
  const { t } = useTranslation("notifications");
  const f = useFormat();
  const describe = useDescribe();
  if (error && !items) return <ErrorState compact error={error} onRetry={onRetry} />;
  if (!items)
    return (
      <div className="notif-loading" role="status">
        <span className="visually-hidden">{t("loading")}</span>
        {[0, 1, 2].map((i) => (
          <div key={i} className="notif-loading-item">
            <Skeleton width="2rem" height="2rem" radius="full" />
            <Skeleton />
          </div>
        ))}
      </div>
    );
  if (items.length === 0)
    return <EmptyState compact icon={<BellOff />} title={t("empty.title")} description={t("empty.hint")} />;
  return (
    <ul className="notif-list">
      {items.map((n) => {
        const Icon = ICONS[n.type] ?? MessageSquare;
        const text = describe(n);
        const href = hrefOf(n);
        return (
          <li
            key={n.id}
            className={n.read ? "notif-item" : "notif-item notif-item--unread"}
            data-testid="notification"
          >
            <span className="notif-icon" aria-hidden="true">
              <Icon />
            </span>
            <div className="notif-body">
              {href ? (
                <Link to={href} className="notif-link" onClick={() => onOpen(n)}>
                  {text}
                </Link>
              ) : (
                <span>{text}</span>
              )}
              <span className="notif-time">
                {n.read ? null : <span className="visually-hidden">{t("unread")} · </span>}
                {f.timeAgo(n.createdAt)}
              </span>
            </div>
            {n.read ? null : (
              <Button size="sm" variant="ghost" className="notif-mark" onClick={() => onMarkRead(n)}>
                {t("markRead")}
              </Button>
            )}
          </li>
        );
      })}
    </ul>
  );
}
