import { useEffect, useState } from "react";
import { api, must } from "../../api/client";
import type { Comment, CommentsMode } from "../../lib/studio";
import { useAction } from "../../lib/useAction";
import { useVideoComments } from "../../lib/useVideoComments";
import { ListFooter } from "../ListFooter";
import { ProblemMessage } from "../ProblemMessage";

const MODES: { value: CommentsMode; label: string }[] = [
  { value: "open", label: "Open: comments publish at once" },
  { value: "hold", label: "Hold: I approve each comment" },
  { value: "off", label: "Off: no comments" },
];

/** The creator's side of a video's comments: who may comment, approving held ones, pin, remove. */
export function CommentModeration({ videoId }: { videoId: string }) {
  const comments = useVideoComments(videoId, { sort: "newest", limit: 50 });
  const [mode, setMode] = useState<CommentsMode | null>(null);
  const pageMode = comments.last?.commentsMode;
  useEffect(() => {
    if (pageMode) setMode(pageMode);
  }, [pageMode]);
  // Every change reloads the list: a comment's status and the pinned one move between sections.
  const act = useAction(async (work: () => Promise<unknown>) => {
    await work();
    comments.reload();
  });
  const path = { videoId };

  const setSettings = (m: CommentsMode) =>
    act.run(async () =>
      setMode(
        (
          await must(
            api.PUT("/api/v1/videos/{videoId}/comment-settings", { params: { path }, body: { mode: m } }),
          )
        ).mode,
      ),
    );
  const approve = (commentId: string) =>
    act.run(() =>
      must(api.POST("/api/v1/comments/{commentId}/approve", { params: { path: { commentId } } })),
    );
  const remove = (commentId: string) =>
    act.run(() => must(api.DELETE("/api/v1/comments/{commentId}", { params: { path: { commentId } } })));
  const pin = (commentId: string | null) =>
    act.run(() =>
      must(api.PUT("/api/v1/videos/{videoId}/pinned-comment", { params: { path }, body: { commentId } })),
    );

  const held = comments.items.filter((c) => c.status === "held");
  const published = comments.items.filter((c) => c.status !== "held");
  return (
    <section className="studio-card" aria-labelledby="comments-heading">
      <h2 id="comments-heading">Comments</h2>
      <fieldset>
        <legend>Who may comment</legend>
        {MODES.map((m) => (
          <label key={m.value} className="studio-radio">
            <input
              type="radio"
              name="comments-mode"
              value={m.value}
              checked={mode === m.value}
              onChange={() => void setSettings(m.value)}
            />
            {m.label}
          </label>
        ))}
      </fieldset>
      <ProblemMessage error={act.error} />
      <h3>Held for review ({held.length})</h3>
      {held.length === 0 ? <p className="studio-sub">Nothing waiting.</p> : null}
      <ul className="studio-comments">
        {held.map((c) => (
          <li key={c.id} data-testid="held-comment">
            <CommentText comment={c} />
            {c.heldReason ? <span className="studio-sub"> ({c.heldReason})</span> : null}
            <div className="studio-row">
              <button type="button" onClick={() => void approve(c.id)}>
                Approve
              </button>
              <button type="button" onClick={() => void remove(c.id)}>
                Remove
              </button>
            </div>
          </li>
        ))}
      </ul>
      <h3>Published</h3>
      {published.length === 0 ? <p className="studio-sub">No comments yet.</p> : null}
      <ul className="studio-comments">
        {published.map((c) => (
          <li key={c.id} data-testid="studio-comment">
            <CommentText comment={c} />
            {c.status === "published" ? (
              <div className="studio-row">
                {c.parentId === null ? (
                  <button
                    type="button"
                    aria-pressed={c.pinned}
                    onClick={() => void pin(c.pinned ? null : c.id)}
                  >
                    {c.pinned ? "Unpin" : "Pin"}
                  </button>
                ) : null}
                <button type="button" onClick={() => void remove(c.id)}>
                  Remove
                </button>
              </div>
            ) : null}
          </li>
        ))}
      </ul>
      <ListFooter list={comments} more="More comments" />
    </section>
  );
}

function CommentText({ comment }: { comment: Comment }) {
  return (
    <p>
      {comment.pinned ? <strong>📌 Pinned · </strong> : null}
      <strong>{comment.author?.name ?? "removed"}</strong>{" "}
      <span className="studio-sub">{new Date(comment.createdAt).toLocaleString()}</span>
      <br />
      {comment.body ?? <em>removed</em>}
    </p>
  );
}
