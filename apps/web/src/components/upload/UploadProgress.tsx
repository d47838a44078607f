import { useTranslation } from "react-i18next";
import { useFormat } from "../../lib/format";
import type { UploadProgress as Progressed } from "../../lib/upload";
import { Progress } from "../../ui";

/** The bar, the percent beside it, and bytes and parts under it (`data-percent` is what tests read). */
export function UploadProgress({ progress }: { progress: Progressed }) {
  const { t } = useTranslation("upload");
  const f = useFormat();
  const percent = progress.bytesTotal ? Math.floor((progress.bytesDone / progress.bytesTotal) * 100) : 0;
  return (
    <Progress
      className="upload-progress"
      data-testid="upload-progress"
      data-percent={percent}
      label={t("progress.label")}
      showLabel
      value={percent}
      valueText={f.percent(percent / 100)}
      tone="accent"
    >
      <p className="muted" aria-live="polite">
        {t("progress.detail", {
          percent: f.percent(percent / 100),
          sent: f.fileSize(progress.bytesDone),
          total: f.fileSize(progress.bytesTotal),
          done: progress.partsDone,
          parts: progress.partsTotal,
        })}
      </p>
    </Progress>
  );
}
