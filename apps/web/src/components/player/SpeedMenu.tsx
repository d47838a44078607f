import { Gauge } from "lucide-react";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { PLAYBACK_RATES } from "../../lib/player/playerPrefs";
import { Select } from "../../ui";

/**
 * The playback speed, 0.25× to 2×: a native select like the quality menu beside it. The labels
 * put the language's decimal mark in by hand: the watch page makes no Intl.NumberFormat on its
 * first render (lib/format.ts says why).
 */
export function SpeedMenu({ rate, onChoose }: { rate: number; onChoose: (rate: number) => void }) {
  const { t } = useTranslation("player");
  const id = useId();
  return (
    <div className="player-quality">
      <label htmlFor={id} className="player-quality-label">
        <Gauge aria-hidden="true" />
        <span className="visually-hidden">{t("speed")}</span>
      </label>
      <Select
        id={id}
        aria-label={t("speed")}
        data-testid="speed-menu"
        value={String(rate)}
        onChange={(e) => onChoose(Number(e.target.value))}
      >
        {PLAYBACK_RATES.map((r) => (
          <option key={r} value={String(r)}>
            {t("speedRate", { rate: String(r).replace(".", t("decimalMark")) })}
          </option>
        ))}
      </Select>
    </div>
  );
}
