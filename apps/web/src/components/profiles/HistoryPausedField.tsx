import { useId } from "react";
import { useTranslation } from "react-i18next";

/**
 * "Pause watch history": the API pauses the active profile's history only, so for another profile
 * this says how to get there instead of offering a switch that cannot work.
 */
export function HistoryPausedField({
  available,
  loaded,
  paused,
  setPaused,
}: {
  available: boolean;
  loaded: boolean;
  paused: boolean;
  setPaused: (paused: boolean) => void;
}) {
  const { t } = useTranslation("profiles");
  const id = useId();
  if (!available) return <p className="muted profile-form-note">{t("fields.historyOtherProfile")}</p>;
  return (
    <div className="profile-checkbox">
      <input
        id={id}
        type="checkbox"
        checked={paused}
        disabled={!loaded}
        aria-describedby={`${id}-hint`}
        onChange={(e) => setPaused(e.target.checked)}
      />
      <div>
        <label htmlFor={id}>{t("fields.historyPaused")}</label>
        <small id={`${id}-hint`} className="muted">
          {t("fields.historyPausedHint")}
        </small>
      </div>
    </div>
  );
}
