import { CircleAlert, Film, Loader } from "lucide-react";
import { useFormat } from "../../lib/format";
import { isProcessing, posterOf, type Video } from "../../lib/studio";

/**
 * A video's 16:9 thumbnail in the studio: the poster when the API gives one, otherwise a neutral
 * frame with an icon for the state. Decorative: the title next to it names the video.
 */
export function VideoThumb({ video, size = "sm" }: { video: Video; size?: "sm" | "lg" }) {
  const f = useFormat();
  const poster = posterOf(video);
  const duration = f.duration(video.durationMs);
  const Icon = video.status === "failed" ? CircleAlert : isProcessing(video) ? Loader : Film;
  return (
    <span className={`studio-thumb studio-thumb--${size}`}>
      {poster ? (
        <img src={poster} alt="" loading="lazy" width={320} height={180} />
      ) : (
        <span className="studio-thumb-placeholder" aria-hidden="true">
          <Icon />
        </span>
      )}
      {duration ? (
        <span className="studio-thumb-duration" aria-hidden="true">
          {duration}
        </span>
      ) : null}
    </span>
  );
}
