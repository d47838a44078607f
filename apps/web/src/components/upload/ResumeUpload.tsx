import { RotateCcw, Trash2 } from "lucide-react";
import { Trans, useTranslation } from "react-i18next";
import { useFormat } from "../../lib/format";
import type { PendingUpload } from "../../lib/upload";
import { Button } from "../../ui";
import { FilePicker } from "./FilePicker";

/** The upload a reload interrupted: pick the same file to go on, or discard it. */
export function ResumeUpload({
  pending,
  onResume,
  onDiscard,
}: {
  pending: PendingUpload;
  onResume: (file: File) => void;
  onDiscard: () => void;
}) {
  const { t } = useTranslation("upload");
  const f = useFormat();
  return (
    <section className="studio-card upload-resume" aria-labelledby="resume-heading">
      <h2 id="resume-heading">{t("resume.heading")}</h2>
      <p>
        <Trans
          t={t}
          i18nKey="resume.text"
          values={{ name: pending.name, size: f.fileSize(pending.size), title: pending.title }}
          components={{ 1: <strong /> }}
        />
      </p>
      <div className="studio-actions">
        <FilePicker
          label={t("resume.pick")}
          icon={<RotateCcw aria-hidden="true" />}
          variant="primary"
          onPick={(file) => file && onResume(file)}
        />
        <Button variant="ghost" icon={<Trash2 />} onClick={onDiscard}>
          {t("resume.discard")}
        </Button>
      </div>
    </section>
  );
}
