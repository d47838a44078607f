import { Settings } from "lucide-react";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Level } from "../../lib/player/useHls";
import { Select } from "../../ui";

/** Auto (showing the height playing) or one rendition pinned: a native select (keyboard, phones, tests). */
export function QualityMenu({
  levels,
  playingHeight,
  onChoose,
}: {
  levels: Level[];
  playingHeight: number | null;
  onChoose: (index: number) => void;
}) {
  const { t } = useTranslation("player");
  const id = useId();
  const [choice, setChoice] = useState(-1);
  const highestFirst = [...levels].sort((a, b) => b.height - a.height);
  return (
    <div className="player-quality">
      <label htmlFor={id} className="player-quality-label">
        <Settings aria-hidden="true" />
        <span className="visually-hidden">{t("quality")}</span>
      </label>
      <Select
        id={id}
        aria-label={t("quality")}
        data-testid="quality-menu"
        value={choice}
        onChange={(e) => {
          const index = Number(e.target.value);
          setChoice(index);
          onChoose(index);
        }}
        disabled={levels.length === 0}
      >
        <option value={-1}>
          {choice === -1 && playingHeight ? t("autoPlaying", { height: playingHeight }) : t("auto")}
        </option>
        {highestFirst.map((l) => (
          <option key={l.index} value={l.index}>
            {t("height", { height: l.height })}
          </option>
        ))}
      </Select>
    </div>
  );
}
