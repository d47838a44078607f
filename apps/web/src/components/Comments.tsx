import { useEffect, useState } from "react";
import { api, must } from "../api/client";
import type { Comment } from "../api/types";
import { useSession } from "../lib/session";
import { type CommentSort, useVideoComments } from "../lib/useVideoComments";
import { CommentForm } from "./CommentForm";
import { CommentItem } from "./CommentItem";
import { SelectField } from "./form/Field";
import { ListFooter } from "./ListFooter";
import { SignInPrompt } from "./SignInPrompt";

const SORTS = [
  { value: "top", label: "Top" },
  { value: "newest", label: "Newest" },
] as const;

/**
 * The comments of a video: top or newest first, post, reply (one level), edit and delete one's
 * own ("(edited)" after an edit), and a notice when a comment is held for review.
 */
export function Comments({ videoId }: { videoId: string }) {
  const profileId = useSession()?.profileId ?? null;
  const [sort, setSort] = useState<CommentSort>("top");
  const comments = useVideoComments(videoId, { sort, limit: 20, viewer: profileId });
  const mode = comments.last?.commentsMode ?? "open";
  // The page's count, then kept current as this reader posts and deletes.
  const [count, setCount] = useState(0);
  const pageCount = comments.last?.commentCount;
  useEffect(() => {
    if (pageCount !== undefined) setCount(pageCount);
  }, [pageCount]);
  const [held, setHeld] = useState(false);

  async function post(body: string) {
    const created = await must(
      api.POST("/api/v1/videos/{videoId}/comments", { params: { path: { videoId } }, body: { body } }),
    );
    comments.setItems((prev) => [created, ...prev]);
    setHeld(created.status === "held");
    if (created.status === "published") setCount((c) => c + 1);
  }

  return (
    <section className="comments" aria-labelledby="comments-title">
      <div className="row">
        <h2 id="comments-title">
          {count} {count === 1 ? "comment" : "comments"}
        </h2>
        <SelectField label="Sort by " value={sort} options={SORTS} onChange={setSort} />
      </div>
      {mode === "off" ? (
        <p className="muted">Comments are turned off for this video.</p>
      ) : profileId ? (
        <CommentForm label="Add a comment" submitLabel="Comment" onSubmit={post} />
      ) : (
        <SignInPrompt next={`/watch/${videoId}`} to="to comment." />
      )}
      {held ? (
        <p role="status" className="notice">
          Your comment is held for review: the channel will see it before anyone else does.
        </p>
      ) : null}
      <ol className="comment-list">
        {comments.items.map((c) => (
          <CommentItem
            key={c.id}
            comment={c}
            canReply={profileId !== null && mode !== "off"}
            onChanged={(updated: Comment) =>
              comments.setItems((prev) => prev.map((x) => (x.id === updated.id ? updated : x)))
            }
            onDeleted={(id) => {
              comments.setItems((prev) => prev.filter((x) => x.id !== id));
              setCount((n) => Math.max(0, n - 1));
            }}
          />
        ))}
      </ol>
      <ListFooter list={comments} more="More comments" />
    </section>
  );
}
