import { useEffect, useState } from "react";
import { Link } from "react-router";
import { api, must } from "../api/client";
import type { paths } from "../api/schema";
import { ProblemMessage } from "../components/ProblemMessage";
import { VideoCard } from "../components/VideoCard";
import { formatDuration, timeAgo } from "../lib/format";
import { useSession } from "../lib/session";

type Entry =
  paths["/api/v1/me/history"]["get"]["responses"][200]["content"]["application/json"]["items"][number];

/** The active profile's watch history: remove an entry, clear it all, pause recording. */
export function HistoryPage() {
  const s = useSession();
  const [items, setItems] = useState<Entry[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [paused, setPaused] = useState<boolean | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);

  async function load(from: string | null) {
    setLoading(true);
    setError(null);
    try {
      const page = await must(
        api.GET("/api/v1/me/history", {
          params: { query: { limit: 24, ...(from ? { cursor: from } : {}) } },
        }),
      );
      setItems((prev) => (from ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }

  // biome-ignore lint/correctness/useExhaustiveDependencies: reload when the profile changes
  useEffect(() => {
    if (!s?.profileId) return;
    void load(null);
    must(api.GET("/api/v1/me/history/settings")).then(
      (settings) => setPaused(settings.paused),
      (err: unknown) => setError(err),
    );
  }, [s?.profileId]);

  if (!s)
    return (
      <p>
        <Link to="/signin?next=/history">Sign in</Link> to see your history.
      </p>
    );

  async function remove(videoId: string) {
    setError(null);
    try {
      await must(api.DELETE("/api/v1/me/history/{videoId}", { params: { path: { videoId } } }));
      setItems((prev) => prev.filter((e) => e.video.id !== videoId));
    } catch (err) {
      setError(err);
    }
  }

  async function clear() {
    if (!window.confirm("Clear this profile's whole watch history?")) return;
    setError(null);
    try {
      await must(api.DELETE("/api/v1/me/history"));
      setItems([]);
      setCursor(null);
    } catch (err) {
      setError(err);
    }
  }

  async function togglePause() {
    setError(null);
    try {
      const next = await must(api.PUT("/api/v1/me/history/settings", { body: { paused: !paused } }));
      setPaused(next.paused);
    } catch (err) {
      setError(err);
    }
  }

  return (
    <section>
      <h1>History</h1>
      <div className="row">
        <button type="button" onClick={togglePause} aria-pressed={paused ?? false} disabled={paused === null}>
          {paused ? "Resume recording history" : "Pause history"}
        </button>
        <button type="button" className="danger" onClick={clear} disabled={items.length === 0}>
          Clear all history
        </button>
      </div>
      {paused ? <p role="status">History is paused: what you watch now isn't recorded.</p> : null}
      <ProblemMessage error={error} />
      {!loading && items.length === 0 ? <p className="muted">Nothing watched yet.</p> : null}
      <ul className="history-list">
        {items.map((entry) => (
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
              onClick={() => remove(entry.video.id)}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      {loading ? <p className="muted">Loading…</p> : null}
      {cursor && !loading ? (
        <button type="button" className="more" onClick={() => load(cursor)}>
          More
        </button>
      ) : null}
    </section>
  );
}
