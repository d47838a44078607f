import { History as HistoryIcon, LogIn, Pause, Play, Trash2, X } from "lucide-react";
import { useTranslation } from "react-i18next";
import { api, must } from "../api/client";
import { ListFooter } from "../components/ListFooter";
import { ProblemMessage } from "../components/ProblemMessage";
import { VideoCard } from "../components/VideoCard";
import { useFormat } from "../lib/format";
import { useSession } from "../lib/session";
import { useAction } from "../lib/useAction";
import { useLoad } from "../lib/useLoad";
import { cursorQuery, usePagedList } from "../lib/usePagedList";
import {
  Button,
  ButtonLink,
  ConfirmDialog,
  EmptyState,
  ErrorState,
  IconButton,
  SkeletonGrid,
  toast,
} from "../ui";

/** The active profile's watch history: remove an entry, clear it all, pause recording. */
export function HistoryPage() {
  const { t } = useTranslation("history");
  const f = useFormat();
  const s = useSession();
  const profileId = s?.profileId ?? null;
  const enabled = profileId !== null;
  const entries = usePagedList(
    (cursor) =>
      must(api.GET("/api/v1/me/history", { params: { query: { limit: 24, ...cursorQuery(cursor) } } })),
    [profileId],
    { enabled },
  );
  const settings = useLoad(() => must(api.GET("/api/v1/me/history/settings")), [profileId], { enabled });
  const paused = settings.data?.paused ?? null;

  const remove = useAction(async (videoId: string) => {
    await must(api.DELETE("/api/v1/me/history/{videoId}", { params: { path: { videoId } } }));
    entries.setItems((prev) => prev.filter((e) => e.video.id !== videoId));
    toast({ title: t("removed") });
  });
  const togglePause = useAction(async () => {
    const next = await must(api.PUT("/api/v1/me/history/settings", { body: { paused: !paused } }));
    settings.setData(next);
    toast({ title: next.paused ? t("pausedToast") : t("resumedToast") });
  });
  async function clearAll() {
    await must(api.DELETE("/api/v1/me/history"));
    entries.reload();
    toast({ title: t("clearedToast") });
  }

  if (!s)
    return (
      <section>
        <h1>{t("title")}</h1>
        <EmptyState
          icon={<HistoryIcon />}
          title={t("signedOut.title")}
          description={t("signedOut.hint")}
          action={
            <ButtonLink to="/signin?next=/history" variant="primary" icon={<LogIn />}>
              {t("signedOut.action")}
            </ButtonLink>
          }
        />
      </section>
    );

  const first = entries.items.length === 0;
  return (
    <section className="history-page">
      <div className="history-head">
        <h1>{t("title")}</h1>
        <div className="history-actions">
          <Button
            icon={paused ? <Play /> : <Pause />}
            onClick={() => void togglePause.run()}
            aria-pressed={paused ?? false}
            busy={togglePause.busy}
            disabled={paused === null}
          >
            {paused ? t("resume") : t("pause")}
          </Button>
          <ConfirmDialog
            title={t("clear.title")}
            description={t("clear.description")}
            confirmLabel={t("clear.confirm")}
            onConfirm={clearAll}
            trigger={
              <Button variant="danger" icon={<Trash2 />} disabled={first}>
                {t("clear.action")}
              </Button>
            }
          />
        </div>
      </div>
      {paused ? (
        <p role="status" className="notice">
          {t("pausedNotice")}
        </p>
      ) : null}
      <ProblemMessage error={settings.error ?? remove.error ?? togglePause.error} />
      {first && entries.loading ? <SkeletonGrid count={6} label={t("loading")} /> : null}
      {first && entries.error ? <ErrorState error={entries.error} onRetry={entries.reload} /> : null}
      {first && !entries.loading && !entries.error ? (
        <EmptyState
          icon={<HistoryIcon />}
          title={t("empty.title")}
          description={paused ? t("empty.hintPaused") : t("empty.hint")}
          action={<ButtonLink to="/">{t("empty.action")}</ButtonLink>}
        />
      ) : null}
      {first ? null : (
        <>
          <ul className="card-grid">
            {entries.items.map((entry) => (
              <li key={entry.video.id}>
                <VideoCard
                  video={entry.video}
                  positionMs={entry.completed ? (entry.video.durationMs ?? undefined) : entry.positionMs}
                  note={
                    entry.completed
                      ? t("watched", { ago: f.timeAgo(entry.lastWatchedAt) })
                      : t("stoppedAt", {
                          position: f.duration(entry.positionMs),
                          ago: f.timeAgo(entry.lastWatchedAt),
                        })
                  }
                  action={
                    <IconButton
                      label={t("remove", { title: entry.video.title })}
                      icon={<X />}
                      size="sm"
                      tooltip={false}
                      busy={remove.busy}
                      onClick={() => void remove.run(entry.video.id)}
                    />
                  }
                />
              </li>
            ))}
          </ul>
          <ListFooter list={entries} />
        </>
      )}
    </section>
  );
}
