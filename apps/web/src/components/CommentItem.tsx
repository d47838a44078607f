import { useState } from "react";
import { api, must } from "../api/client";
import type { Comment } from "../api/types";
import { timeAgo } from "../lib/format";
import { useSession } from "../lib/session";
import { useAction } from "../lib/useAction";
import { cursorQuery, usePagedList } from "../lib/usePagedList";
import { CommentForm } from "./CommentForm";
import { ListFooter } from "./ListFooter";
import { ProblemMessage } from "./ProblemMessage";

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
  const remove = useAction(async () => {
    if (!window.confirm("Delete this comment?")) return;
    await must(api.DELETE("/api/v1/comments/{commentId}", { params: { path } }));
    onDeleted(comment.id);
  });

  return (
    <li className={isReply ? "comment reply" : "comment"} data-testid="comment" data-comment-id={comment.id}>
      <p className="comment-meta">
        <strong>{comment.author?.name ?? "Removed"}</strong>{" "}
        <span className="muted">
          {timeAgo(comment.createdAt)}
          {comment.edited ? " (edited)" : ""}
        </span>
        {comment.pinned ? <span className="badge">Pinned</span> : null}
        {comment.status === "held" ? <span className="badge held">Held for review</span> : null}
      </p>
      {editing ? (
        <CommentForm
          label="Edit comment"
          submitLabel="Save"
          initial={comment.body ?? ""}
          onCancel={() => setEditing(false)}
          onSubmit={async (body) => {
            onChanged(
              await must(api.PATCH("/api/v1/comments/{commentId}", { params: { path }, body: { body } })),
            );
            setEditing(false);
          }}
        />
      ) : (
        <p className="comment-body">{comment.body ?? <em className="muted">This comment was removed.</em>}</p>
      )}
      <div className="row comment-actions">
        {comment.likeCount > 0 ? <span className="muted">{comment.likeCount} likes</span> : null}
        {canReply && !isReply && comment.status === "published" ? (
          <button type="button" onClick={() => setReplying((r) => !r)} aria-expanded={replying}>
            Reply
          </button>
        ) : null}
        {own && !editing && comment.body !== null ? (
          <>
            <button type="button" onClick={() => setEditing(true)} aria-label="Edit comment">
              Edit
            </button>
            <button
              type="button"
              className="danger"
              onClick={() => void remove.run()}
              aria-label="Delete comment"
            >
              Delete
            </button>
          </>
        ) : null}
        {!isReply && comment.replyCount > 0 && !showReplies ? (
          <button type="button" onClick={() => setShowReplies(true)}>
            {comment.replyCount === 1 ? "Show 1 reply" : `Show ${comment.replyCount} replies`}
          </button>
        ) : null}
      </div>
      <ProblemMessage error={remove.error} />
      {replying ? (
        <CommentForm
          label="Add a reply"
          submitLabel="Reply"
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
            if (created.status === "published") onChanged({ ...comment, replyCount: comment.replyCount + 1 });
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
      {showReplies ? <ListFooter list={replies} more="More replies" /> : null}
      {replies.items.some((r) => r.status === "held") ? (
        <p role="status" className="notice">
          Your reply is held for review.
        </p>
      ) : null}
    </li>
  );
}
