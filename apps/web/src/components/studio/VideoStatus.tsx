import { useTranslation } from "react-i18next";
import { useFormat } from "../../lib/format";
import { isProcessing, STATUS_TONE, studioStatus, type Video } from "../../lib/studio";
import { Progress, StatusChip } from "../../ui";

/** The video's state as a chip (Uploading, Queued, Processing, Ready, Failed) and, failed, why. */
export function VideoStatusChip({ video }: { video: Pick<Video, "status" | "failureReason"> }) {
  const { t } = useTranslation("studio");
  const status = studioStatus(video.status);
  return (
    <span className="studio-status">
      <StatusChip tone={STATUS_TONE[status]}>{t(`status.${status}`)}</StatusChip>
      {status === "failed" && video.failureReason ? (
        <small className="studio-failure">{video.failureReason}</small>
      ) : null}
    </span>
  );
}

/** The transcoder's progress while the video is processing; `data-percent` is what tests read. */
export function ProcessingProgress({ video }: { video: Pick<Video, "title" | "progress"> }) {
  const { t } = useTranslation("studio");
  const f = useFormat();
  return (
    <Progress
      className="studio-processing"
      data-testid="processing-progress"
      data-percent={video.progress}
      label={t("processing.label", { title: video.title })}
      value={video.progress}
      valueText={f.percent(video.progress / 100)}
      size="sm"
    />
  );
}

/** The chip, with the progress under it while the ladder is being made. */
export function VideoStatus({ video }: { video: Video }) {
  return (
    <div className="studio-status-cell">
      <VideoStatusChip video={video} />
      {isProcessing(video) ? <ProcessingProgress video={video} /> : null}
    </div>
  );
}
