import { Link, useParams } from "react-router";
import { api, must } from "../api/client";
import { ProblemMessage } from "../components/ProblemMessage";
import { CommentModeration } from "../components/studio/CommentModeration";
import { DeleteVideo } from "../components/studio/DeleteVideo";
import { LikeStats } from "../components/studio/LikeStats";
import { ProcessingProgress } from "../components/studio/ProcessingProgress";
import { VideoDetailsForm } from "../components/studio/VideoDetailsForm";
import { isProcessing, statusLabel } from "../lib/studio";
import { useInterval } from "../lib/useInterval";
import { useLoad } from "../lib/useLoad";
import "../studio.css";

const POLL_MS = 2000;

/** One video in the studio: metadata, visibility, deletion, comment moderation, like stats. */
export function StudioVideoPage() {
  const { videoId = "" } = useParams();
  const loaded = useLoad(
    () => must(api.GET("/api/v1/videos/{videoId}", { params: { path: { videoId } } })),
    [videoId],
  );
  const video = loaded.data;
  const processing = video ? isProcessing(video) : false;
  useInterval(loaded.reload, processing ? POLL_MS : null);

  const back = (
    <p>
      <Link to="/studio">← Studio</Link>
    </p>
  );
  if (!video)
    return (
      <section className="studio">
        {back}
        {loaded.error ? <ProblemMessage error={loaded.error} /> : <p>Loading…</p>}
      </section>
    );

  return (
    <section className="studio">
      {back}
      <h1>{video.title}</h1>
      <p data-testid="video-status" data-status={video.status}>
        {statusLabel(video.status)}
        {processing ? (
          <>
            {" "}
            <ProcessingProgress video={video} />
          </>
        ) : null}
        {video.failureReason ? ` — ${video.failureReason}` : null}
        {video.playable ? (
          <>
            {" · "}
            <Link to={`/watch/${video.id}`}>Watch</Link>
          </>
        ) : null}
      </p>
      <p className="studio-sub">
        {video.viewCount} views · {video.likeCount} likes · {video.dislikeCount} dislikes ·{" "}
        {video.commentCount} comments
      </p>
      <ProblemMessage error={loaded.error} />
      <VideoDetailsForm video={video} onSaved={loaded.setData} />
      <LikeStats videoId={video.id} />
      <CommentModeration videoId={video.id} />
      <DeleteVideo video={video} />
    </section>
  );
}
