import { Captions as CaptionsIcon, CaptionsOff } from "lucide-react";
import { useTranslation } from "react-i18next";
import type { Captions } from "../../lib/player/useCaptions";
import { IconButton, Menu, MenuLabel, MenuRadioGroup, MenuRadioItem } from "../../ui";

/**
 * The captions (CC) button and its menu: Off, then each of the stream's subtitle tracks by its
 * name, the viewer's language first (lib/player/captions.ts). Drawn only when the stream has
 * tracks. A menu of radio items (arrow keys, Escape back to the button); inside the player while
 * it is full screen (`container`), where a menu on the page's body would not show.
 */
export function CaptionsMenu({ captions, container }: { captions: Captions; container: HTMLElement | null }) {
  const { t } = useTranslation("player");
  if (captions.tracks.length === 0) return null;
  const showing = captions.tracks.find((track) => track.index === captions.active);
  return (
    <Menu
      label={t("captions.title")}
      container={container}
      className="player-captions-menu"
      trigger={
        <IconButton
          label={showing ? t("captions.showing", { name: showing.label }) : t("captions.offLabel")}
          icon={showing ? <CaptionsIcon /> : <CaptionsOff />}
          aria-keyshortcuts="C"
          data-testid="captions-button"
          data-language={showing ? showing.language : "off"}
        />
      }
    >
      <MenuLabel>{t("captions.title")}</MenuLabel>
      <MenuRadioGroup
        value={String(captions.active)}
        onValueChange={(value) => captions.choose(Number(value))}
      >
        <MenuRadioItem value="-1" data-testid="captions-option" data-language="off">
          {t("captions.off")}
        </MenuRadioItem>
        {captions.tracks.map((track) => (
          <MenuRadioItem
            key={track.index}
            value={String(track.index)}
            data-testid="captions-option"
            data-language={track.language}
          >
            <span lang={track.language || undefined}>{track.label}</span>
          </MenuRadioItem>
        ))}
      </MenuRadioGroup>
    </Menu>
  );
}
