import { MessageSquareReply, Pencil, Pin, Trash2 } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { api, must } from "../api/client";
import type { Comment } from "../api/types";
import { useFormat } from "../lib/format";
import { useSession } from "../lib/session";
import { cursorQuery, usePagedList } from "../lib/usePagedList";
import { Avatar, Badge, Button, ConfirmDialog, toast } from "../ui";
import { CommentForm } from "./CommentForm";
import { ListFooter } from "./ListFooter";
import { ReportButton } from "./reports/ReportButton";

/** One comment: its author and text, reply/edit/delete for who may, and its replies on demand. */
export function CommentItem({
  comment,
  canReply,
  onChanged,
  onDeleted,
  isReply = false,
}: {
  comment: Comment;
  canReply: boolean;
  onChanged: (c: Comment) => void;
  onDeleted: (id: string) => void;
  isReply?: boolean;
}) {
  const { t } = useTranslation(["comments", "common"]);
  const f = useFormat();
  const s = useSession();
  const [editing, setEditing] = useState(false);
  const [replying, setReplying] = useState(false);
  const [showReplies, setShowReplies] = useState(false);
  const own = Boolean(s?.profileId && comment.author?.profileId === s.profileId);
  const path = { commentId: comment.id };
  const replies = usePagedList(
    (cursor) =>
      must(
        api.GET("/api/v1/comments/{commentId}/replies", {
          params: { path, query: { limit: 20, ...cursorQuery(cursor) } },
        }),
      ),
    [comment.id],
    { enabled: showReplies },
  );
  async function remove() {
    await must(api.DELETE("/api/v1/comments/{commentId}", { params: { path } }));
    onDeleted(comment.id);
    toast({ title: t("toast.deleted") });
  }
  const author = comment.author?.name ?? t("removedAuthor");

  return (
    <li className={isReply ? "comment reply" : "comment"} data-testid="comment" data-comment-id={comment.id}>
      <Avatar id={comment.author?.profileId ?? comment.id} name={author} size={isReply ? "xs" : "sm"} />
      <div className="comment-main">
        <p className="comment-meta">
          <strong>{author}</strong>
          <span className="muted">
            {f.timeAgo(comment.createdAt)}
            {comment.edited ? ` ${t("edited")}` : ""}
          </span>
          {comment.pinned ? (
            <Badge tone="info" icon={<Pin />}>
              {t("pinned")}
            </Badge>
          ) : null}
          {comment.status === "held" ? <Badge tone="warning">{t("heldBadge")}</Badge> : null}
        </p>
        {editing ? (
          <CommentForm
            label={t("edit")}
            submitLabel={t("common:actions.save")}
            initial={comment.body ?? ""}
            onCancel={() => setEditing(false)}
            onSubmit={async (body) => {
              onChanged(
                await must(api.PATCH("/api/v1/comments/{commentId}", { params: { path }, body: { body } })),
              );
              setEditing(false);
              toast({ title: t("toast.edited") });
            }}
          />
        ) : (
          <p className="comment-body">{comment.body ?? <em className="muted">{t("removed")}</em>}</p>
        )}
        <div className="comment-actions">
          {comment.likeCount > 0 ? (
            <span className="muted">{t("common:count.likes", { count: comment.likeCount })}</span>
          ) : null}
          {canReply && !isReply && comment.status === "published" ? (
            <Button
              variant="ghost"
              size="sm"
              icon={<MessageSquareReply />}
              onClick={() => setReplying((r) => !r)}
              aria-expanded={replying}
            >
              {t("reply")}
            </Button>
          ) : null}
          {own && !editing && comment.body !== null ? (
            <>
              <Button
                variant="ghost"
                size="sm"
                icon={<Pencil />}
                onClick={() => setEditing(true)}
                aria-label={t("edit")}
              >
                {t("common:actions.edit")}
              </Button>
              <ConfirmDialog
                title={t("confirmDelete.title")}
                description={t("confirmDelete.description")}
                confirmLabel={t("common:actions.delete")}
                onConfirm={remove}
                trigger={
                  <Button variant="ghost" size="sm" icon={<Trash2 />} aria-label={t("delete")}>
                    {t("common:actions.delete")}
                  </Button>
                }
              />
            </>
          ) : null}
          {/* Report someone else's comment (signed in only); the dialog loads on use. */}
          {!own && comment.body !== null && comment.status === "published" ? (
            <ReportButton targetType="comment" targetId={comment.id} size="sm" />
          ) : null}
          {!isReply && comment.replyCount > 0 && !showReplies ? (
            <Button variant="ghost" size="sm" onClick={() => setShowReplies(true)}>
              {t("showReplies", { count: comment.replyCount })}
            </Button>
          ) : null}
        </div>
        {replying ? (
          <CommentForm
            label={t("addReply")}
            submitLabel={t("reply")}
            onCancel={() => setReplying(false)}
            onSubmit={async (body) => {
              const created = await must(
                api.POST("/api/v1/videos/{videoId}/comments", {
                  params: { path: { videoId: comment.videoId } },
                  body: { body, parentId: comment.id },
                }),
              );
              replies.setItems((prev) => [...prev, created]);
              setReplying(false);
              toast({ title: created.status === "held" ? t("toast.held") : t("toast.replied") });
              if (created.status === "published")
                onChanged({ ...comment, replyCount: comment.replyCount + 1 });
            }}
          />
        ) : null}
        {replies.items.length ? (
          <ol className="replies">
            {replies.items.map((r) => (
              <CommentItem
                key={r.id}
                comment={r}
                canReply={false}
                isReply
                onChanged={(u) => replies.setItems((prev) => prev.map((x) => (x.id === u.id ? u : x)))}
                onDeleted={(id) => replies.setItems((prev) => prev.filter((x) => x.id !== id))}
              />
            ))}
          </ol>
        ) : null}
        {showReplies ? <ListFooter list={replies} more={t("moreReplies")} /> : null}
        {replies.items.some((r) => r.status === "held") ? (
          <p role="status" className="notice">
            {t("replyHeld")}
          </p>
        ) : null}
      </div>
    </li>
  );
}
