import { type FormEvent, useEffect, useState } from "react";
import { Link } from "react-router";
import { api, must } from "../api/client";
import type { Comment } from "../api/types";
import { timeAgo } from "../lib/format";
import { useSession } from "../lib/session";
import { ProblemMessage } from "./ProblemMessage";

type Sort = "top" | "newest";

/**
 * The comments of a video: top or newest first, post, reply (one level), edit and delete one's
 * own ("(edited)" after an edit), and a notice when a comment is held for review.
 */
export function Comments({ videoId }: { videoId: string }) {
  const s = useSession();
  const [sort, setSort] = useState<Sort>("top");
  const [items, setItems] = useState<Comment[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [mode, setMode] = useState<"open" | "hold" | "off">("open");
  const [count, setCount] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const [held, setHeld] = useState(false);

  async function load(from: string | null, live: () => boolean = () => true) {
    setError(null);
    try {
      const page = await must(
        api.GET("/api/v1/videos/{videoId}/comments", {
          params: { path: { videoId }, query: { sort, limit: 20, ...(from ? { cursor: from } : {}) } },
        }),
      );
      if (!live()) return;
      setItems((prev) => (from ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
      setMode(page.commentsMode);
      setCount(page.commentCount);
    } catch (err) {
      if (live()) setError(err);
    }
  }

  // biome-ignore lint/correctness/useExhaustiveDependencies: reload on a new video, sort or profile
  useEffect(() => {
    let live = true;
    void load(null, () => live);
    return () => {
      live = false;
    };
  }, [videoId, sort, s?.profileId]);

  function replace(updated: Comment) {
    setItems((prev) => prev.map((c) => (c.id === updated.id ? updated : c)));
  }
  function removeLocal(id: string) {
    setItems((prev) => prev.filter((c) => c.id !== id));
  }

  return (
    <section className="comments" aria-labelledby="comments-title">
      <div className="row">
        <h2 id="comments-title">
          {count} {count === 1 ? "comment" : "comments"}
        </h2>
        <label>
          Sort by{" "}
          <select value={sort} onChange={(e) => setSort(e.target.value as Sort)}>
            <option value="top">Top</option>
            <option value="newest">Newest</option>
          </select>
        </label>
      </div>
      {mode === "off" ? (
        <p className="muted">Comments are turned off for this video.</p>
      ) : s?.profileId ? (
        <CommentForm
          label="Add a comment"
          submitLabel="Comment"
          onSubmit={async (body) => {
            const created = await must(
              api.POST("/api/v1/videos/{videoId}/comments", {
                params: { path: { videoId } },
                body: { body },
              }),
            );
            setItems((prev) => [created, ...prev]);
            setHeld(created.status === "held");
            if (created.status === "published") setCount((c) => c + 1);
          }}
        />
      ) : (
        <p>
          <Link to={`/signin?next=/watch/${videoId}`}>Sign in</Link> to comment.
        </p>
      )}
      {held ? (
        <p role="status" className="notice">
          Your comment is held for review: the channel will see it before anyone else does.
        </p>
      ) : null}
      <ProblemMessage error={error} />
      <ol className="comment-list">
        {items.map((c) => (
          <CommentItem
            key={c.id}
            comment={c}
            canReply={Boolean(s?.profileId) && mode !== "off"}
            onChanged={replace}
            onDeleted={(id) => {
              removeLocal(id);
              setCount((n) => Math.max(0, n - 1));
            }}
          />
        ))}
      </ol>
      {cursor ? (
        <button type="button" className="more" onClick={() => load(cursor)}>
          More comments
        </button>
      ) : null}
    </section>
  );
}

function CommentForm({
  label,
  submitLabel,
  initial = "",
  onSubmit,
  onCancel,
}: {
  label: string;
  submitLabel: string;
  initial?: string;
  onSubmit: (body: string) => Promise<void>;
  onCancel?: () => void;
}) {
  const [body, setBody] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!body.trim()) return;
    setBusy(true);
    setError(null);
    try {
      await onSubmit(body.trim());
      setBody("");
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="comment-form" onSubmit={submit}>
      <label>
        <span className="visually-hidden">{label}</span>
        <textarea
          aria-label={label}
          placeholder={`${label}…`}
          rows={2}
          maxLength={2000}
          value={body}
          onChange={(e) => setBody(e.target.value)}
        />
      </label>
      <ProblemMessage error={error} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy || !body.trim()}>
          {submitLabel}
        </button>
        {onCancel ? (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}

function CommentItem({
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
  const [replies, setReplies] = useState<Comment[] | null>(null);
  const [repliesCursor, setRepliesCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const own = Boolean(s?.profileId && comment.author?.profileId === s.profileId);
  const path = { commentId: comment.id };

  async function loadReplies(from: string | null) {
    setError(null);
    try {
      const page = await must(
        api.GET("/api/v1/comments/{commentId}/replies", {
          params: { path, query: { limit: 20, ...(from ? { cursor: from } : {}) } },
        }),
      );
      setReplies((prev) => (from && prev ? [...prev, ...page.items] : page.items));
      setRepliesCursor(page.nextCursor);
    } catch (err) {
      setError(err);
    }
  }

  async function remove() {
    if (!window.confirm("Delete this comment?")) return;
    setError(null);
    try {
      await must(api.DELETE("/api/v1/comments/{commentId}", { params: { path } }));
      onDeleted(comment.id);
    } catch (err) {
      setError(err);
    }
  }

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
            const updated = await must(
              api.PATCH("/api/v1/comments/{commentId}", { params: { path }, body: { body } }),
            );
            onChanged(updated);
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
            <button type="button" className="danger" onClick={remove} aria-label="Delete comment">
              Delete
            </button>
          </>
        ) : null}
        {!isReply && comment.replyCount > 0 && replies === null ? (
          <button type="button" onClick={() => loadReplies(null)}>
            {comment.replyCount === 1 ? "Show 1 reply" : `Show ${comment.replyCount} replies`}
          </button>
        ) : null}
      </div>
      <ProblemMessage error={error} />
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
            setReplies((prev) => [...(prev ?? []), created]);
            setReplying(false);
            if (created.status === "published") onChanged({ ...comment, replyCount: comment.replyCount + 1 });
          }}
        />
      ) : null}
      {replies?.length ? (
        <ol className="replies">
          {replies.map((r) => (
            <CommentItem
              key={r.id}
              comment={r}
              canReply={false}
              isReply
              onChanged={(u) => setReplies((prev) => prev?.map((x) => (x.id === u.id ? u : x)) ?? null)}
              onDeleted={(id) => setReplies((prev) => prev?.filter((x) => x.id !== id) ?? null)}
            />
          ))}
          {repliesCursor ? (
            <li>
              <button type="button" onClick={() => loadReplies(repliesCursor)}>
                More replies
              </button>
            </li>
          ) : null}
        </ol>
      ) : null}
      {replies?.some((r) => r.status === "held") ? (
        <p role="status" className="notice">
          Your reply is held for review.
        </p>
      ) : null}
    </li>
  );
}
