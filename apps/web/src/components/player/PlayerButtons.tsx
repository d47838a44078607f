import { Keyboard, Maximize, Minimize, PictureInPicture2 } from "lucide-react";
import { useTranslation } from "react-i18next";
import type { Fullscreen } from "../../lib/player/useFullscreen";
import type { PictureInPicture } from "../../lib/player/usePictureInPicture";
import { IconButton } from "../../ui";

/**
 * The bar's buttons after the menus: picture-in-picture (where the browser offers it), full
 * screen (the whole player) and the keyboard shortcuts' help. Icon buttons: each is named by its
 * label, shown as its tooltip.
 */
export function PlayerButtons({
  pip,
  fullscreen,
  onHelp,
  onHelpIntent,
}: {
  pip: PictureInPicture;
  fullscreen: Fullscreen;
  onHelp: () => void;
  /** A pointer or focus on the help button: time to fetch the help's code. */
  onHelpIntent: () => void;
}) {
  const { t } = useTranslation("player");
  return (
    <div className="player-buttons">
      {pip.supported ? (
        <IconButton
          label={pip.active ? t("pipExit") : t("pip")}
          icon={<PictureInPicture2 />}
          onClick={pip.toggle}
          disabled={!pip.ready}
          data-testid="pip-button"
        />
      ) : null}
      {fullscreen.supported ? (
        <IconButton
          label={fullscreen.active ? t("fullscreenExit") : t("fullscreen")}
          icon={fullscreen.active ? <Minimize /> : <Maximize />}
          onClick={fullscreen.toggle}
          aria-keyshortcuts="F"
          data-testid="fullscreen-button"
        />
      ) : null}
      <IconButton
        label={t("shortcuts.open")}
        icon={<Keyboard />}
        onClick={onHelp}
        onPointerEnter={onHelpIntent}
        onFocus={onHelpIntent}
        aria-haspopup="dialog"
        aria-keyshortcuts="?"
      />
    </div>
  );
}
