import { useEffect, useRef } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { autoplayNext, type PlaylistItem, watchInPlaylist } from "../../lib/playlistOrder";
import type { Playlist } from "../../lib/playlists";

/**
 * Beside the player while a playlist plays (`/watch/{id}?list=`): the list in order with the
 * current video marked (and scrolled into the list's view), where it stands, and what comes next
 * (it plays by itself at the end). A video chosen here plays at once.
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
  const list = useRef<HTMLOListElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the marked item moves with videoId; the effect finds it in the DOM
  useEffect(() => {
    // Within the list's own scroll box only: the page and the focus stay where they are.
    const item = list.current?.querySelector<HTMLElement>('[aria-current="page"]');
    if (item && list.current) list.current.scrollTop = item.offsetTop - list.current.offsetTop;
  }, [videoId]);
  return (
    <section className="playlist-panel" aria-labelledby="playlist-panel-title" data-testid="playlist-panel">
      <header className="playlist-panel-head">
        <h2 id="playlist-panel-title">
          <Link to={`/playlist/${playlist.id}`}>{t("playlist.title", { title: playlist.title })}</Link>
        </h2>
        {current >= 0 ? (
          <>
            <p className="muted">{t("playlist.position", { current: current + 1, total: items.length })}</p>
            <p className="muted" data-testid="playlist-next">
              {next ? t("playlist.next", { title: next.video.title }) : t("playlist.end")}
            </p>
          </>
        ) : null}
      </header>
      <ol className="playlist-panel-items" ref={list}>
        {items.map((item) => (
          <li key={item.video.id}>
            <Link
              to={watchInPlaylist(item.video.id, playlist.id)}
              onClick={() => autoplayNext(item.video.id)}
              aria-current={item.video.id === videoId ? "page" : undefined}
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
