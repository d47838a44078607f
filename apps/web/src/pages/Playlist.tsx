import { ListVideo, Play } from "lucide-react";
import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { PlaylistItemControls } from "../components/playlists/PlaylistItemControls";
import { PlaylistOwnerActions } from "../components/playlists/PlaylistOwnerActions";
import { VideoCard } from "../components/VideoCard";
import { autoplayNext, watchInPlaylist } from "../lib/playlistOrder";
import { playlistsApi } from "../lib/playlists";
import { useLoad } from "../lib/useLoad";
import { usePlaylistEditor } from "../lib/usePlaylistEditor";
import { Badge, ButtonLink, EmptyState, ErrorState, SkeletonGrid } from "../ui";
import "../components/playlists/playlists.css";

/**
 * /playlist/{id}: a playlist's title, description and videos in order, and "Play all" (autoplay on).
 * The owner (`mine`) also edits and deletes it, and moves or removes its videos.
 */
export function PlaylistPage() {
  const { playlistId = "" } = useParams();
  const { t } = useTranslation("playlists");
  const playlist = useLoad(() => playlistsApi.get(playlistId), [playlistId]);
  const items = useLoad(() => playlistsApi.items(playlistId), [playlistId]);
  const editor = usePlaylistEditor(playlistId, items, playlist);
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
  const mine = list?.mine === true;
  const playAll =
    first && list ? (
      <ButtonLink
        variant="primary"
        icon={<Play />}
        to={watchInPlaylist(first.video.id, list.id)}
        onClick={() => autoplayNext(first.video.id)}
      >
        {t("page.playAll")}
      </ButtonLink>
    ) : null;
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
        {list && mine ? (
          <div className="playlist-owner-actions">
            {playAll}
            <PlaylistOwnerActions list={list} onChanged={(next) => playlist.setData(next)} />
          </div>
        ) : (
          playAll
        )}
      </header>
      {!items.data ? <SkeletonGrid label={t("page.loading")} /> : null}
      {items.data && videos.length === 0 ? (
        <EmptyState icon={<ListVideo />} title={t("page.empty")} description={t("page.emptyHint")} />
      ) : null}
      {videos.length > 0 ? (
        <ol className="card-grid" data-testid="playlist-items">
          {videos.map((item, n) => (
            <li key={item.video.id}>
              <VideoCard video={item.video} />
              {mine ? (
                <PlaylistItemControls
                  title={item.video.title}
                  first={n === 0}
                  last={n === videos.length - 1}
                  onMove={(direction) => editor.move(item.video.id, direction)}
                  onRemove={() => editor.remove(item.video.id)}
                />
              ) : null}
            </li>
          ))}
        </ol>
      ) : null}
    </section>
  );
}
