import { ArrowDown, ArrowUp, Trash2 } from "lucide-react";
import { useTranslation } from "react-i18next";
import { IconButton } from "../../ui";

/**
 * Under a video of a playlist one owns: move it up, down, or remove it. The ends stay focusable
 * (aria-disabled, not disabled), so a keyboard viewer moving a video to the top keeps the focus.
 */
export function PlaylistItemControls({
  title,
  first,
  last,
  onMove,
  onRemove,
}: {
  title: string;
  first: boolean;
  last: boolean;
  onMove: (direction: "up" | "down") => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation("playlists");
  return (
    // biome-ignore lint/a11y/useSemanticElements: a toolbar of three buttons, named for its video
    <div className="playlist-item-controls" role="group" aria-label={t("item.controls", { title })}>
      <IconButton
        size="sm"
        icon={<ArrowUp />}
        label={t("item.up", { title })}
        aria-disabled={first || undefined}
        data-testid="playlist-item-up"
        onClick={() => (first ? undefined : onMove("up"))}
      />
      <IconButton
        size="sm"
        icon={<ArrowDown />}
        label={t("item.down", { title })}
        aria-disabled={last || undefined}
        data-testid="playlist-item-down"
        onClick={() => (last ? undefined : onMove("down"))}
      />
      <IconButton
        size="sm"
        icon={<Trash2 />}
        label={t("item.remove", { title })}
        data-testid="playlist-item-remove"
        onClick={onRemove}
      />
    </div>
  );
}
