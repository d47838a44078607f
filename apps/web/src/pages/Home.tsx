import { useCallback, useEffect, useState } from "react";
import { api, must } from "../api/client";
import type { paths } from "../api/schema";
import type { VideoCardData } from "../api/types";
import { ProblemMessage } from "../components/ProblemMessage";
import { VideoCard, VideoGrid } from "../components/VideoCard";
import { useSession } from "../lib/session";

type Feed = paths["/api/v1/feed"]["get"]["responses"][200]["content"]["application/json"];
type Row = Feed["rows"][number];
type Reason = Row["reason"];

/** A row's heading from its reason ("Because you watched X"), falling back to the API's title. */
export function reasonTitle(reason: Reason, fallback: string): string {
  switch (reason.type) {
    case "continue_watching":
      return "Continue watching";
    case "new_from_subscriptions":
      return reason.channelName ? `New from ${reason.channelName}` : "New from your subscriptions";
    case "because_you_watched":
      return reason.videoTitle ? `Because you watched ${reason.videoTitle}` : fallback;
    case "trending_in_category":
      return reason.categoryName ? `Trending in ${reason.categoryName}` : fallback;
    case "trending":
      return "Trending";
    case "new":
      return "New on Marquee";
    case "popular":
      return "Popular";
    default:
      return fallback;
  }
}

/** Home: the active profile's feed rows with their reasons; signed out, what's trending. */
export function HomePage() {
  const s = useSession();
  return s?.profileId ? <Feed key={s.profileId} /> : <Trending />;
}

function Feed() {
  const [rows, setRows] = useState<Row[]>([]);
  const [cursor, setCursor] = useState<string | null | undefined>(undefined);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async (from?: string) => {
    setLoading(true);
    setError(null);
    try {
      const page = await must(api.GET("/api/v1/feed", { params: { query: from ? { cursor: from } : {} } }));
      setRows((prev) => (from ? [...prev, ...page.rows] : page.rows));
      setCursor(page.nextCursor);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section aria-labelledby="home-title">
      <h1 id="home-title" className="visually-hidden">
        Home
      </h1>
      <ProblemMessage error={error} />
      {rows.map((row) => (
        <section
          key={row.id}
          className="feed-row"
          data-testid="feed-row"
          data-reason={row.reason.type}
          aria-labelledby={`row-${row.id}`}
        >
          <h2 id={`row-${row.id}`}>{reasonTitle(row.reason, row.title)}</h2>
          <div className="video-row">
            {row.items.map((item) => (
              <VideoCard key={item.video.id} video={item.video} />
            ))}
          </div>
        </section>
      ))}
      {!loading && rows.length === 0 && !error ? (
        <p className="muted">Nothing to show yet. Watch something, or subscribe to a channel.</p>
      ) : null}
      {loading ? <p className="muted">Loading…</p> : null}
      {cursor && !loading ? (
        <button type="button" className="more" onClick={() => load(cursor)}>
          More
        </button>
      ) : null}
    </section>
  );
}

function Trending() {
  const [items, setItems] = useState<VideoCardData[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<unknown>(null);

  const load = useCallback(async (from?: string) => {
    setLoading(true);
    setError(null);
    try {
      const page = await must(
        api.GET("/api/v1/trending", { params: { query: { limit: 24, ...(from ? { cursor: from } : {}) } } }),
      );
      setItems((prev) => (from ? [...prev, ...page.items] : page.items));
      setCursor(page.nextCursor);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <section className="feed-row" data-testid="feed-row" data-reason="trending" aria-labelledby="trending">
      <h1 id="trending">Trending</h1>
      <ProblemMessage error={error} />
      {loading && items.length === 0 ? <p className="muted">Loading…</p> : <VideoGrid videos={items} />}
      {cursor && !loading ? (
        <button type="button" className="more" onClick={() => load(cursor)}>
          More
        </button>
      ) : null}
    </section>
  );
}
