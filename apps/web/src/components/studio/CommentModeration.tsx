import { Check, MessageSquare, Pin, PinOff, Trash2 } from "lucide-react";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { api, must } from "../../api/client";
import { COMMENT_MODES, type Comment, type CommentsMode } from "../../lib/studio";
import { useAction } from "../../lib/useAction";
import { useVideoComments } from "../../lib/useVideoComments";
import { Badge, Button, EmptyState, ErrorState, SkeletonText, toast } from "../../ui";
import { ListFooter } from "../ListFooter";
import { ProblemMessage } from "../ProblemMessage";
import { ModeratedComment } from "./ModeratedComment";

/** The creator's side of a video's comments: who may comment, approving held ones, pin, remove. */
export function CommentModeration({ videoId }: { videoId: string }) {
  const { t } = useTranslation("studio");
  const comments = useVideoComments(videoId, { sort: "newest", limit: 50 });
  const [mode, setMode] = useState<CommentsMode | null>(null);
  const pageMode = comments.last?.commentsMode;
  useEffect(() => {
    if (pageMode) setMode(pageMode);
  }, [pageMode]);
  // Every change reloads the list: a comment's status and the pinned one move between sections.
  const act = useAction(async (work: () => Promise<unknown>, done: string) => {
    await work();
    comments.reload();
    toast({ title: done });
  });
  const path = { videoId };

  const setSettings = (m: CommentsMode) =>
    act.run(async () => {
      const saved = await must(
        api.PUT("/api/v1/videos/{videoId}/comment-settings", { params: { path }, body: { mode: m } }),
      );
      setMode(saved.mode);
    }, t("comments.modeSaved"));
  const approve = (commentId: string) =>
    act.run(
      () => must(api.POST("/api/v1/comments/{commentId}/approve", { params: { path: { commentId } } })),
      t("comments.approved"),
    );
  const remove = (commentId: string) =>
    act.run(
      () => must(api.DELETE("/api/v1/comments/{commentId}", { params: { path: { commentId } } })),
      t("comments.removed"),
    );
  const pin = (commentId: string | null) =>
    act.run(
      () =>
        must(api.PUT("/api/v1/videos/{videoId}/pinned-comment", { params: { path }, body: { commentId } })),
      commentId ? t("comments.pinned") : t("comments.unpinned"),
    );

  const held = comments.items.filter((c) => c.status === "held");
  const published = comments.items.filter((c) => c.status !== "held");
  const firstLoad = comments.loading && comments.items.length === 0;
  return (
    <section className="studio-card" aria-labelledby="comments-heading">
      <h2 id="comments-heading">{t("comments.heading")}</h2>
      <fieldset className="studio-modes" disabled={mode === null || act.busy}>
        <legend>{t("comments.whoMayComment")}</legend>
        {COMMENT_MODES.map((m) => (
          <label key={m} className="studio-mode">
            <input
              type="radio"
              name="comments-mode"
              value={m}
              checked={mode === m}
              onChange={() => void setSettings(m)}
            />
            <span>
              <strong>{t(`comments.mode.${m}`)}</strong>
              <small className="muted">{t(`comments.modeHint.${m}`)}</small>
            </span>
          </label>
        ))}
      </fieldset>
      <ProblemMessage error={act.error} />
      {firstLoad ? (
        <SkeletonText lines={4} />
      ) : comments.error && comments.items.length === 0 ? (
        <ErrorState compact error={comments.error} onRetry={comments.reload} />
      ) : (
        <>
          <h3 className="studio-subheading">
            {t("comments.held")} <Badge tone={held.length ? "warning" : "neutral"}>{held.length}</Badge>
          </h3>
          {held.length === 0 ? <p className="muted">{t("comments.nothingHeld")}</p> : null}
          <ul className="studio-comments">
            {held.map((c) => (
              <ModeratedComment key={c.id} comment={c} testId="held-comment">
                <Button size="sm" variant="primary" icon={<Check />} onClick={() => void approve(c.id)}>
                  {t("comments.approve")}
                </Button>
                <Button size="sm" variant="ghost" icon={<Trash2 />} onClick={() => void remove(c.id)}>
                  {t("comments.remove")}
                </Button>
              </ModeratedComment>
            ))}
          </ul>
          <h3 className="studio-subheading">{t("comments.published")}</h3>
          {published.length === 0 ? (
            <EmptyState
              compact
              icon={<MessageSquare />}
              title={t("comments.noneTitle")}
              description={t("comments.noneDescription")}
            />
          ) : null}
          <ul className="studio-comments">
            {published.map((c) => (
              <ModeratedComment key={c.id} comment={c} testId="studio-comment">
                {c.status === "published" ? <PublishedActions comment={c} pin={pin} remove={remove} /> : null}
              </ModeratedComment>
            ))}
          </ul>
          <ListFooter list={comments} more={t("comments.more")} />
        </>
      )}
    </section>
  );
}

function PublishedActions({
  comment,
  pin,
  remove,
}: {
  comment: Comment;
  pin: (id: string | null) => Promise<void>;
  remove: (id: string) => Promise<void>;
}) {
  const { t } = useTranslation("studio");
  return (
    <>
      {comment.parentId === null ? (
        <Button
          size="sm"
          variant="ghost"
          icon={comment.pinned ? <PinOff /> : <Pin />}
          aria-pressed={comment.pinned}
          onClick={() => void pin(comment.pinned ? null : comment.id)}
        >
          {comment.pinned ? t("comments.unpin") : t("comments.pin")}
        </Button>
      ) : null}
      <Button size="sm" variant="ghost" icon={<Trash2 />} onClick={() => void remove(comment.id)}>
        {t("comments.remove")}
      </Button>
    </>
  );
}
