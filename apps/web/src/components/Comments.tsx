import { MessageSquare } from "lucide-react";
import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, must } from "../api/client";
import type { Comment } from "../api/types";
import { useSession } from "../lib/session";
import { type CommentSort, useVideoComments } from "../lib/useVideoComments";
import { EmptyState, ErrorState, Select, Skeleton, toast } from "../ui";
import { CommentForm } from "./CommentForm";
import { CommentItem } from "./CommentItem";
import { ListFooter } from "./ListFooter";
import { SignInPrompt } from "./SignInPrompt";

/** Three comment-shaped placeholders while the first page comes. */
function CommentsSkeleton({ label }: { label: string }) {
  return (
    <div className="comments-skeleton" role="status" aria-label={label}>
      {[0, 1, 2].map((i) => (
        <div key={i} className="comment-skeleton">
          <Skeleton width="2rem" height="2rem" radius="full" />
          <div className="comment-skeleton-text">
            <Skeleton width="9rem" height="0.8em" />
            <Skeleton width="85%" />
          </div>
        </div>
      ))}
    </div>
  );
}

/**
 * The comments of a video: top or newest first, post, reply (one level), edit and delete one's
 * own ("(edited)" after an edit), and a notice when a comment is held for review.
 */
export function Comments({ videoId }: { videoId: string }) {
  const { t } = useTranslation("comments");
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
  const sortId = useId();
  const firstLoad = comments.loading && comments.items.length === 0;
  const failed = Boolean(comments.error) && comments.items.length === 0;

  async function post(body: string) {
    const created = await must(
      api.POST("/api/v1/videos/{videoId}/comments", { params: { path: { videoId } }, body: { body } }),
    );
    comments.setItems((prev) => [created, ...prev]);
    setHeld(created.status === "held");
    if (created.status === "published") setCount((c) => c + 1);
    toast({ title: created.status === "held" ? t("toast.held") : t("toast.posted") });
  }

  return (
    <section className="comments" aria-labelledby="comments-title">
      <div className="comments-head">
        <h2 id="comments-title">{t("heading", { count })}</h2>
        <div className="comments-sort">
          <label htmlFor={sortId}>{t("sortBy")}</label>
          <Select id={sortId} value={sort} onChange={(e) => setSort(e.target.value as CommentSort)}>
            <option value="top">{t("sort.top")}</option>
            <option value="newest">{t("sort.newest")}</option>
          </Select>
        </div>
      </div>
      {mode === "off" ? (
        <p className="muted">{t("off")}</p>
      ) : profileId ? (
        <CommentForm label={t("add")} submitLabel={t("submit")} onSubmit={post} />
      ) : (
        <SignInPrompt next={`/watch/${videoId}`} message={t("signInToComment")} />
      )}
      {held ? (
        <p role="status" className="notice">
          {t("held")}
        </p>
      ) : null}
      {firstLoad ? <CommentsSkeleton label={t("loading")} /> : null}
      {failed ? <ErrorState compact error={comments.error} onRetry={comments.reload} /> : null}
      {!firstLoad && !failed && comments.items.length === 0 && mode !== "off" ? (
        <EmptyState compact icon={<MessageSquare />} title={t("empty.title")} description={t("empty.hint")} />
      ) : null}
      {comments.items.length > 0 ? (
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
      ) : null}
      {comments.items.length > 0 ? <ListFooter list={comments} more={t("more")} /> : null}
    </section>
  );
}
