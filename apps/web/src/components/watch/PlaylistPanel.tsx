import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { type PlaylistItem, watchInPlaylist } from "../../lib/playlistOrder";
import type { Playlist } from "../../lib/playlists";

/**
 * Beside the player while a playlist plays (`/watch/{id}?list=`): the list in order with the
 * current video marked, where it stands, and what comes next (it plays by itself at the end).
 */
export function PlaylistPanel({
  playlist,
  items,
  videoId,
  next,
}: {
  playlist: Playlist;
  items: PlaylistItem[];
  videoId: string;
  next: PlaylistItem | null;
}) {
  const { t } = useTranslation("watch");
  const current = items.findIndex((i) => i.video.id === videoId);
  return (
    <section className="playlist-panel" aria-labelledby="playlist-panel-title" data-testid="playlist-panel">
      <header className="playlist-panel-head">
        <h2 id="playlist-panel-title">
          <Link to={`/playlist/${playlist.id}`} aria-label={t("playlist.open")}>
            {t("playlist.title", { title: playlist.title })}
          </Link>
        </h2>
        {current >= 0 ? (
          <p className="muted">{t("playlist.position", { current: current + 1, total: items.length })}</p>
        ) : null}
        <p className="muted" data-testid="playlist-next">
          {next ? t("playlist.next", { title: next.video.title }) : t("playlist.end")}
        </p>
      </header>
      <ol className="playlist-panel-items">
        {items.map((item) => (
          <li key={item.video.id}>
            <Link
              to={watchInPlaylist(item.video.id, playlist.id)}
              aria-current={item.video.id === videoId ? "true" : undefined}
              className="playlist-panel-item"
            >
              {item.video.title}
            </Link>
          </li>
        ))}
      </ol>
    </section>
  );
}
