import { Eye, MessageSquare, Play, ThumbsDown, ThumbsUp } from "lucide-react";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../lib/format";
import { isProcessing, type Video } from "../../lib/studio";
import { ButtonLink, Skeleton, SkeletonText } from "../../ui";
import { VideoAnalyticsLink } from "../analytics/AnalyticsLinks";
import { ProcessingProgress, VideoStatusChip } from "./VideoStatus";
import { VideoThumb } from "./VideoThumb";

/** The top of a studio video page: thumbnail, title, state (with progress), counts, Watch. */
export function StudioVideoHeader({ video }: { video: Video }) {
  const { t } = useTranslation("studio");
  const f = useFormat();
  const counts = [
    { icon: <Eye />, label: t("count.views", { count: video.viewCount }) },
    { icon: <ThumbsUp />, label: t("count.likes", { count: video.likeCount }) },
    { icon: <ThumbsDown />, label: t("count.dislikes", { count: video.dislikeCount }) },
    { icon: <MessageSquare />, label: t("count.comments", { count: video.commentCount }) },
  ];
  return (
    <header className="studio-video-head">
      <VideoThumb video={video} size="lg" />
      <div className="studio-video-head-text">
        <h1>{video.title}</h1>
        <div className="studio-video-state" data-testid="video-status" data-status={video.status}>
          <VideoStatusChip video={video} />
          <span className="muted">
            {t("video.uploadedOn", { date: f.date(video.createdAt) })} · {t(`visibility.${video.visibility}`)}
          </span>
        </div>
        {isProcessing(video) ? <ProcessingProgress video={video} /> : null}
        <ul className="studio-counts">
          {counts.map((c) => (
            <li key={c.label}>
              {c.icon}
              {c.label}
            </li>
          ))}
        </ul>
        <div className="studio-actions">
          {video.playable ? (
            <ButtonLink to={`/watch/${video.id}`} icon={<Play />} size="sm">
              {t("video.watch")}
            </ButtonLink>
          ) : null}
          <VideoAnalyticsLink videoId={video.id} />
        </div>
      </div>
    </header>
  );
}

export function StudioVideoHeaderSkeleton() {
  return (
    <div className="studio-video-head" aria-hidden="true">
      <Skeleton className="studio-thumb studio-thumb--lg" radius="lg" />
      <div className="studio-video-head-text">
        <Skeleton width="60%" height="1.75rem" />
        <SkeletonText lines={2} />
      </div>
    </div>
  );
}
