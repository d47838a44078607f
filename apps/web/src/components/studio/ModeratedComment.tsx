import { Pin } from "lucide-react";
import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../lib/format";
import type { Comment } from "../../lib/studio";
import { Avatar, Badge } from "../../ui";

/** One comment in the studio's moderation list: author, when, why it is held, and its actions. */
export function ModeratedComment({
  comment,
  testId,
  children,
}: {
  comment: Comment;
  testId: string;
  children?: ReactNode;
}) {
  const { t } = useTranslation("studio");
  const f = useFormat();
  const author = comment.author?.name ?? t("comments.removedAuthor");
  return (
    <li className="studio-comment" data-testid={testId}>
      <Avatar id={comment.author?.profileId ?? comment.id} name={author} size="sm" />
      <div className="studio-comment-body">
        <p className="studio-comment-meta">
          <strong>{author}</strong>{" "}
          <time className="muted" dateTime={comment.createdAt} title={f.dateTime(comment.createdAt)}>
            {f.timeAgo(comment.createdAt)}
          </time>
          {comment.pinned ? (
            <Badge tone="info" icon={<Pin aria-hidden="true" />}>
              {t("comments.pinnedBadge")}
            </Badge>
          ) : null}
          {comment.heldReason ? <Badge tone="warning">{heldReason(comment.heldReason, t)}</Badge> : null}
        </p>
        <p className="studio-comment-text">{comment.body ?? <em>{t("comments.removedBody")}</em>}</p>
        {children ? <div className="studio-actions">{children}</div> : null}
      </div>
    </li>
  );
}

/** "video_hold" → "Held: you approve each comment", "watched_word:spoiler" → "Held: contains “spoiler”". */
function heldReason(reason: string, t: ReturnType<typeof useTranslation<"studio">>["t"]): string {
  if (reason === "video_hold") return t("comments.heldReason.hold");
  if (reason.startsWith("watched_word:"))
    return t("comments.heldReason.word", { word: reason.slice("watched_word:".length) });
  return reason;
}
