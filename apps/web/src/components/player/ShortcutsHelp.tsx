import { useTranslation } from "react-i18next";
import { SHORTCUTS } from "../../lib/player/shortcuts";
import { Dialog } from "../../ui";

/**
 * The keyboard shortcuts, listed in a dialog (`?` or the bar's keyboard button; Escape closes it).
 * Its own chunk: the watch page loads it on first use. While the player is full screen it is put
 * inside the player (`container`), the only part of the page that shows.
 */
export function ShortcutsHelp({
  open,
  onOpenChange,
  container,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  container?: HTMLElement | null;
}) {
  const { t } = useTranslation("player");
  return (
    <Dialog
      open={open}
      onOpenChange={onOpenChange}
      title={t("shortcuts.title")}
      description={t("shortcuts.description")}
      size="sm"
      container={container}
    >
      <dl className="player-shortcuts" data-testid="shortcuts-help">
        {SHORTCUTS.map((s) => (
          <div key={s.label} className="player-shortcut">
            <dt>
              {(s.caps ?? s.keys).map((key) => (
                <kbd key={key}>{key === " " ? t("shortcuts.space") : key}</kbd>
              ))}
            </dt>
            <dd>{t(`shortcuts.${s.label}`)}</dd>
          </div>
        ))}
      </dl>
    </Dialog>
  );
}
