import { ListVideo, Play } from "lucide-react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { VideoCard } from "../components/VideoCard";
import { autoplayNext, watchInPlaylist } from "../lib/playlistOrder";
import { playlistsApi } from "../lib/playlists";
import { useLoad } from "../lib/useLoad";
import { Badge, ButtonLink, EmptyState, ErrorState, SkeletonGrid } from "../ui";

/** /playlist/{id}: a playlist's title, description and videos in order, and "Play all" (autoplay on). */
export function PlaylistPage() {
  const { playlistId = "" } = useParams();
  const { t } = useTranslation("playlists");
  const playlist = useLoad(() => playlistsApi.get(playlistId), [playlistId]);
  const items = useLoad(() => playlistsApi.items(playlistId), [playlistId]);
  const error = playlist.error ?? items.error;
  if (error) {
    return (
      <section className="studio">
        <ErrorState
          error={error}
          onRetry={() => {
            playlist.reload();
            items.reload();
          }}
        />
      </section>
    );
  }
  const list = playlist.data;
  const videos = items.data ?? [];
  const first = videos[0];
  return (
    <section className="studio" aria-labelledby="playlist-title" aria-busy={!list || !items.data}>
      <header className="studio-head">
        <div>
          <h1 id="playlist-title">
            {list ? (list.kind === "watch_later" ? t("page.watchLater") : list.title) : "…"}
          </h1>
          {list ? (
            <p className="muted">
              <Badge tone="neutral">{t(`page.visibility.${list.visibility}`)}</Badge>{" "}
              {t("page.videos", { count: list.itemCount })}
            </p>
          ) : null}
          {list?.description ? <p>{list.description}</p> : null}
        </div>
        {first && list ? (
          <ButtonLink
            variant="primary"
            icon={<Play />}
            to={watchInPlaylist(first.video.id, list.id)}
            onClick={() => autoplayNext(first.video.id)}
          >
            {t("page.playAll")}
          </ButtonLink>
        ) : null}
      </header>
      {!items.data ? <SkeletonGrid label={t("page.loading")} /> : null}
      {items.data && videos.length === 0 ? (
        <EmptyState icon={<ListVideo />} title={t("page.empty")} description={t("page.emptyHint")} />
      ) : null}
      {videos.length > 0 ? (
        <ol className="card-grid" data-testid="playlist-items">
          {videos.map((item) => (
            <li key={item.video.id}>
              <VideoCard video={item.video} />
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
