import { Film, X } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { adsApi, type Campaign, creativeBusy } from "../../lib/ads";
import { useFormat } from "../../lib/format";
import { sendNewUpload, UploadError, type UploadProgress } from "../../lib/upload";
import { Button, Progress, StatusChip } from "../../ui";
import { ProblemMessage } from "../ProblemMessage";
import { FilePicker } from "../upload/FilePicker";

/**
 * The campaign's creative: pick a video and it goes up at once. POST …/creative makes the ad's
 * video row; lib/upload.ts then sends the file with the signed URL(s) exactly as the upload page
 * does (three parts at a time, retried, byte progress) and calls upload-complete; the origin
 * transcodes the ad ladder, and the campaign's `creative.progress` (polled by the page) shows it.
 */
export function CreativeUpload({ campaign, onChange }: { campaign: Campaign; onChange: () => void }) {
  const { t } = useTranslation("ads");
  const f = useFormat();
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [uploading, setUploading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);
  const creative = campaign.creative;

  async function upload(file: File | undefined) {
    if (!file) return;
    const controller = new AbortController();
    abort.current = controller;
    setUploading(true);
    setError(null);
    setProgress(null);
    try {
      const created = await adsApi.createCreative(campaign.id, file, campaign.name);
      // The same sender, retries and completion as every other upload (lib/upload.ts).
      await sendNewUpload(created.video.id, file, created.upload, setProgress, controller.signal);
      onChange();
    } catch (err) {
      if (!controller.signal.aborted) setError(err);
      onChange();
    } finally {
      setUploading(false);
    }
  }

  const percent = progress?.bytesTotal ? Math.floor((progress.bytesDone / progress.bytesTotal) * 100) : 0;
  const processing = !uploading && creativeBusy(campaign);
  return (
    <section className="ads-card stack" aria-labelledby="creative-title" data-testid="creative">
      <h2 id="creative-title">{t("creative.title")}</h2>
      <p className="muted">{t("creative.hint")}</p>
      {creative ? (
        <div className="ads-creative-row">
          {creative.posterUrl ? <img src={creative.posterUrl} alt="" className="ads-poster" /> : null}
          <div className="stack">
            <StatusChip
              tone={
                creative.status === "ready" ? "success" : creative.status === "failed" ? "danger" : "info"
              }
              data-testid="creative-status"
              data-status={creative.status}
            >
              {t(`creative.status.${creativeStatusKey(creative.status)}`)}
            </StatusChip>
            {creative.durationMs ? (
              <span className="muted">
                {t("creative.duration", { duration: f.duration(creative.durationMs) })}
              </span>
            ) : null}
          </div>
        </div>
      ) : null}
      {uploading || progress ? (
        <Progress
          data-testid="creative-upload-progress"
          data-percent={percent}
          label={t("creative.uploading")}
          showLabel
          value={percent}
          valueText={f.percent(percent / 100)}
          tone="accent"
        >
          <p className="muted" aria-live="polite">
            {progress
              ? t("creative.sent", {
                  sent: f.fileSize(progress.bytesDone),
                  total: f.fileSize(progress.bytesTotal),
                })
              : t("creative.starting")}
          </p>
        </Progress>
      ) : null}
      {processing && creative ? (
        <Progress
          data-testid="creative-processing"
          data-percent={creative.progress}
          label={t("creative.processing")}
          showLabel
          value={creative.progress}
          valueText={f.percent(creative.progress / 100)}
        />
      ) : null}
      {error instanceof UploadError ? (
        <p role="alert" className="problem">
          {t("creative.storageFailed")}
        </p>
      ) : (
        <ProblemMessage error={error} />
      )}
      <div className="row">
        {uploading ? (
          <Button variant="ghost" size="sm" icon={<X />} onClick={() => abort.current?.abort()}>
            {t("creative.cancel")}
          </Button>
        ) : campaign.status === "ended" || campaign.status === "budget_spent" ? null : (
          <FilePicker
            label={creative ? t("creative.replace") : t("creative.choose")}
            icon={<Film aria-hidden="true" />}
            variant={creative ? "secondary" : "primary"}
            onPick={(file) => void upload(file)}
          />
        )}
      </div>
    </section>
  );
}

/** The video's seven states as the creative's five words. */
function creativeStatusKey(status: string): "uploading" | "queued" | "processing" | "ready" | "failed" {
  if (status === "awaiting_upload") return "uploading";
  if (status === "uploaded" || status === "queued") return "queued";
  if (status === "ready" || status === "failed") return status;
  return "processing";
}
