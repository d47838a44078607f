import { api, must } from "../api/client";
import { ListFooter } from "../components/ListFooter";
import { ProblemMessage } from "../components/ProblemMessage";
import { SignInPrompt } from "../components/SignInPrompt";
import { VideoCard } from "../components/VideoCard";
import { formatDuration, timeAgo } from "../lib/format";
import { useSession } from "../lib/session";
import { useAction } from "../lib/useAction";
import { useLoad } from "../lib/useLoad";
import { cursorQuery, usePagedList } from "../lib/usePagedList";

/** The active profile's watch history: remove an entry, clear it all, pause recording. */
export function HistoryPage() {
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
  });
  const clear = useAction(async () => {
    if (!window.confirm("Clear this profile's whole watch history?")) return;
    await must(api.DELETE("/api/v1/me/history"));
    entries.reload();
  });
  const togglePause = useAction(async () => {
    settings.setData(await must(api.PUT("/api/v1/me/history/settings", { body: { paused: !paused } })));
  });

  if (!s) return <SignInPrompt next="/history" to="to see your history." />;

  return (
    <section>
      <h1>History</h1>
      <div className="row">
        <button
          type="button"
          onClick={() => void togglePause.run()}
          aria-pressed={paused ?? false}
          disabled={paused === null}
        >
          {paused ? "Resume recording history" : "Pause history"}
        </button>
        <button
          type="button"
          className="danger"
          onClick={() => void clear.run()}
          disabled={entries.items.length === 0}
        >
          Clear all history
        </button>
      </div>
      {paused ? <p role="status">History is paused: what you watch now isn't recorded.</p> : null}
      <ProblemMessage error={settings.error ?? remove.error ?? clear.error ?? togglePause.error} />
      <ul className="history-list">
        {entries.items.map((entry) => (
          <li key={entry.video.id} className="history-entry">
            <VideoCard
              video={entry.video}
              note={
                entry.completed
                  ? `Watched ${timeAgo(entry.lastWatchedAt)}`
                  : `Stopped at ${formatDuration(entry.positionMs)} · ${timeAgo(entry.lastWatchedAt)}`
              }
            />
            <button
              type="button"
              aria-label={`Remove ${entry.video.title} from history`}
              onClick={() => void remove.run(entry.video.id)}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      <ListFooter list={entries} empty="Nothing watched yet." />
    </section>
  );
}
