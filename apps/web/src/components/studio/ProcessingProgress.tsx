import type { Video } from "../../lib/studio";

/** A video's processing progress: the bar and the percent as text. */
export function ProcessingProgress({ video }: { video: Video }) {
  return (
    <span className="processing" data-testid="processing-progress" data-percent={video.progress}>
      <progress aria-label={`Processing progress of ${video.title}`} max={100} value={video.progress} />{" "}
      {video.progress}%
    </span>
  );
}
