import { Settings, Sparkles } from "lucide-react";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Level } from "../../lib/player/useHls";
import { Select } from "../../ui";

/**
 * Auto (showing the height playing) or one rendition pinned: a native select (keyboard, phones,
 * tests), listing only what the plan plays. When the video has taller renditions than the plan
 * allows (`upgradeHeight`: the source's height), a link beside it offers them ("Upgrade for 4K");
 * the select itself never lists what cannot be chosen.
 */
export function QualityMenu({
  levels,
  playingHeight,
  onChoose,
  upgradeHeight,
}: {
  levels: Level[];
  playingHeight: number | null;
  onChoose: (index: number) => void;
  upgradeHeight?: number | null;
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
      {upgradeHeight ? (
        <Link to="/plans" className="player-quality-upgrade" data-testid="quality-upgrade">
          <Sparkles aria-hidden="true" />
          {t("upgradeQuality", {
            quality: upgradeHeight >= 2160 ? t("quality4k") : t("height", { height: upgradeHeight }),
          })}
        </Link>
      ) : null}
    </div>
  );
}
