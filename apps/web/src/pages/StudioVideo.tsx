import { ArrowLeft } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { api, must } from "../api/client";
import { CaptionsSection } from "../components/studio/CaptionsSection";
import { CommentModeration } from "../components/studio/CommentModeration";
import { DeleteVideo } from "../components/studio/DeleteVideo";
import { LikeStats } from "../components/studio/LikeStats";
import { StudioVideoHeader, StudioVideoHeaderSkeleton } from "../components/studio/StudioVideoHeader";
import { VideoDetailsForm } from "../components/studio/VideoDetailsForm";
import { isProcessing } from "../lib/studio";
import { useInterval } from "../lib/useInterval";
import { useLoad } from "../lib/useLoad";
import { ErrorState } from "../ui";
import "../studio.css";
import "../styles/studio-video.css";

const POLL_MS = 2000;

/** One video in the studio: its state, details, captions, like stats, comment moderation and deletion. */
export function StudioVideoPage() {
  const { t } = useTranslation("studio");
  const { videoId = "" } = useParams();
  const loaded = useLoad(
    () => must(api.GET("/api/v1/videos/{videoId}", { params: { path: { videoId } } })),
    [videoId],
  );
  const video = loaded.data;
  const processing = video ? isProcessing(video) : false;
  useInterval(loaded.reload, processing ? POLL_MS : null);

  const back = (
    <Link className="studio-back" to="/studio">
      <ArrowLeft aria-hidden="true" />
      {t("video.back")}
    </Link>
  );
  if (!video)
    return (
      <section className="studio">
        {back}
        {loaded.error ? (
          <ErrorState error={loaded.error} onRetry={loaded.reload} />
        ) : (
          <div role="status">
            <span className="visually-hidden">{t("video.loading")}</span>
            <StudioVideoHeaderSkeleton />
          </div>
        )}
      </section>
    );

  return (
    <section className="studio">
      {back}
      <StudioVideoHeader video={video} />
      <div className="studio-video-grid">
        <div className="studio-video-main">
          <VideoDetailsForm video={video} onSaved={loaded.setData} />
          <CaptionsSection videoId={video.id} />
          <CommentModeration videoId={video.id} />
        </div>
        <div className="studio-video-side">
          <LikeStats videoId={video.id} />
          <DeleteVideo video={video} />
        </div>
      </div>
    </section>
  );
}
