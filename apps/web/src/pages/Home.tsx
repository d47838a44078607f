import { api, must } from "../api/client";
import type { paths } from "../api/schema";
import { ListFooter } from "../components/ListFooter";
import { PagedVideoGrid, VideoCard } from "../components/VideoCard";
import { useSession } from "../lib/session";
import { cursorQuery, usePagedList } from "../lib/usePagedList";

type Feed = paths["/api/v1/feed"]["get"]["responses"][200]["content"]["application/json"];
type Reason = Feed["items"][number]["reason"];

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
  const rows = usePagedList(async (cursor) => {
    const page = await must(api.GET("/api/v1/feed", { params: { query: cursorQuery(cursor) } }));
    return page;
  }, []);
  return (
    <section aria-labelledby="home-title">
      <h1 id="home-title" className="visually-hidden">
        Home
      </h1>
      {rows.items.map((row) => (
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
      <ListFooter list={rows} empty="Nothing to show yet. Watch something, or subscribe to a channel." />
    </section>
  );
}

function Trending() {
  const videos = usePagedList(
    (cursor) =>
      must(api.GET("/api/v1/trending", { params: { query: { limit: 24, ...cursorQuery(cursor) } } })),
    [],
  );
  return (
    <section className="feed-row" data-testid="feed-row" data-reason="trending" aria-labelledby="trending">
      <h1 id="trending">Trending</h1>
      <PagedVideoGrid list={videos} />
    </section>
  );
}
