import type { TFunction } from "i18next";
import { Compass, Search } from "lucide-react";
import { useTranslation } from "react-i18next";
import { api, must } from "../api/client";
import type { paths } from "../api/schema";
import { ListFooter } from "../components/ListFooter";
import { PagedVideoGrid, VideoCard } from "../components/VideoCard";
import { SkeletonRow, VideoRow } from "../components/video/VideoRow";
import { firstTrending } from "../lib/firstScreen";
import { useSession } from "../lib/session";
import { cursorQuery, usePagedList } from "../lib/usePagedList";
import { ButtonLink, EmptyState, ErrorState } from "../ui";

type Feed = paths["/api/v1/feed"]["get"]["responses"][200]["content"]["application/json"];
type Reason = Feed["items"][number]["reason"];

/** A row's heading from its reason ("Because you watched X"), falling back to the API's title. */
export function reasonTitle(t: TFunction<"home">, reason: Reason, fallback: string): string {
  switch (reason.type) {
    case "continue_watching":
      return t("reason.continueWatching");
    case "new_from_subscriptions":
      return reason.channelName
        ? t("reason.newFromChannel", { channel: reason.channelName })
        : t("reason.newFromSubscriptions");
    case "because_you_watched":
      return reason.videoTitle ? t("reason.becauseYouWatched", { title: reason.videoTitle }) : fallback;
    case "trending_in_category":
      return reason.categoryName ? t("reason.trendingIn", { category: reason.categoryName }) : fallback;
    case "trending":
      return t("reason.trending");
    case "new":
      return t("reason.new");
    case "popular":
      return t("reason.popular");
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
  const { t } = useTranslation("home");
  const rows = usePagedList(
    (cursor) => must(api.GET("/api/v1/feed", { params: { query: cursorQuery(cursor) } })),
    [],
  );
  const first = rows.items.length === 0;
  return (
    <section aria-labelledby="home-title" className="home">
      <h1 id="home-title" className="visually-hidden">
        {t("title")}
      </h1>
      {first && rows.loading ? (
        <div role="status">
          <span className="visually-hidden">{t("loading")}</span>
          <SkeletonRow />
          <SkeletonRow />
        </div>
      ) : null}
      {first && rows.error ? <ErrorState error={rows.error} onRetry={rows.reload} /> : null}
      {first && !rows.loading && !rows.error ? (
        <EmptyState
          icon={<Compass />}
          title={t("empty.title")}
          description={t("empty.hint")}
          action={
            <ButtonLink to="/search" variant="primary" icon={<Search />}>
              {t("empty.action")}
            </ButtonLink>
          }
        />
      ) : null}
      {rows.items.map((row, r) => (
        <VideoRow
          key={row.id}
          data-testid="feed-row"
          data-reason={row.reason.type}
          data-traffic-source="feed"
          data-feed-row={row.reason.type}
          title={reasonTitle(t, row.reason, row.title)}
          items={row.items.map((item, i) => ({
            key: item.video.id,
            card: <VideoCard video={item.video} positionMs={item.positionMs} eager={r === 0 && i < 4} />,
          }))}
        />
      ))}
      {first ? null : <ListFooter list={rows} more={t("moreRows")} />}
    </section>
  );
}

function Trending() {
  const { t } = useTranslation("home");
  const videos = usePagedList(
    (cursor) =>
      must(api.GET("/api/v1/trending", { params: { query: { limit: 24, ...cursorQuery(cursor) } } })),
    [],
    // The edge rendered this page's first screen from the same request: start from it.
    { initial: firstTrending() },
  );
  return (
    <section
      className="home"
      data-testid="feed-row"
      data-reason="trending"
      data-traffic-source="feed"
      data-feed-row="trending"
      aria-labelledby="trending"
    >
      <div className="home-welcome">
        <div>
          <h1 id="trending">{t("reason.trending")}</h1>
          <p className="muted">{t("signedOut.hint")}</p>
        </div>
        <ButtonLink to="/signup" variant="secondary">
          {t("signedOut.action")}
        </ButtonLink>
      </div>
      <PagedVideoGrid
        list={videos}
        empty={t("signedOut.empty")}
        emptyHint={t("signedOut.emptyHint")}
        loadingText={t("loading")}
      />
    </section>
  );
}
