import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { VideoCardData } from "../../api/types";
import { useFormat } from "../../lib/format";
import { Progress, StatusChip } from "../../ui";
import { useHoverPreview } from "./useHoverPreview";

/**
 * A card's thumbnail: the poster (the storyboard's frames while a mouse hovers), the duration, a
 * "Processing" chip, and how far the profile got when a resume position is known.
 */
export function VideoThumb({
  video,
  positionMs,
  eager = false,
}: {
  video: VideoCardData;
  positionMs?: number;
  eager?: boolean;
}) {
  const { t } = useTranslation("layout");
  const f = useFormat();
  const preview = useHoverPreview(video.storyboardUrl);
  const duration = video.durationMs;
  const watched =
    positionMs && duration && duration > 0 ? Math.min(1, Math.max(0, positionMs / duration)) : null;
  return (
    <div className="video-thumb" {...preview.handlers}>
      {/* The title link is the card's link for keyboards and screen readers; this one is for pointers. */}
      <Link to={`/watch/${video.id}`} className="video-thumb-link" tabIndex={-1} aria-hidden="true">
        <img
          src={video.posterUrl}
          alt=""
          loading={eager ? "eager" : "lazy"}
          // The first cards are the page's largest paint: fetch them ahead of the font and the rest.
          fetchPriority={eager ? "high" : "auto"}
          decoding="async"
          width={320}
          height={180}
        />
        {preview.style ? <span className="video-thumb-preview" style={preview.style} /> : null}
      </Link>
      {video.processing ? (
        <StatusChip tone="info" className="video-thumb-status">
          {t("card.processing")}
        </StatusChip>
      ) : null}
      {duration ? (
        <span className="video-thumb-duration">
          <span aria-hidden="true">{f.duration(duration)}</span>
          <span className="visually-hidden">{f.durationLabel(duration)}</span>
        </span>
      ) : null}
      {watched !== null ? (
        <Progress
          className="video-thumb-progress"
          size="sm"
          tone="accent"
          label={t("card.watched")}
          value={Math.round(watched * 100)}
        />
      ) : null}
    </div>
  );
}
