import { useTranslation } from "react-i18next";
import type { Playlist } from "../../lib/playlists";
import { Badge } from "../../ui";

/** One playlist in the save dialog: a checkbox (ticked: the video is in it), its title and visibility. */
export function PlaylistOption({
  list,
  title,
  checked,
  busy,
  onToggle,
}: {
  list: Playlist;
  title: string;
  checked: boolean;
  busy: boolean;
  onToggle: (add: boolean) => void;
}) {
  const { t } = useTranslation("playlists");
  return (
    <label className="playlist-option" data-testid="playlist-option" data-playlist-id={list.id}>
      <input
        type="checkbox"
        checked={checked}
        aria-busy={busy || undefined}
        onChange={(e) => onToggle(e.target.checked)}
      />
      <span className="playlist-option-title">{title}</span>
      <Badge tone="neutral">{t(`page.visibility.${list.visibility}`)}</Badge>
    </label>
  );
}
