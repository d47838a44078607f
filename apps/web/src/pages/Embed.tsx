import { useParams } from "react-router";
import { Player } from "../components/Player";
import { ProblemMessage } from "../components/ProblemMessage";
import { usePlayback } from "../lib/usePlayback";

/** The embeddable player alone (/embed/:videoId): full viewport, no header, for other sites' iframes. */
export function EmbedPage() {
  const { videoId = "" } = useParams();
  const { video, playback, startMs, waitingPercent, error } = usePlayback(videoId, { resume: false });
  return (
    <main className="embed">
      <h1 className="visually-hidden">{video?.title ?? "Marquee video"}</h1>
      {playback && startMs !== null ? (
        <Player playback={playback} startMs={0} title={video?.title} />
      ) : waitingPercent !== null ? (
        <p role="status">Still processing: {waitingPercent}%</p>
      ) : null}
      <ProblemMessage error={error} />
      {video ? (
        <a className="embed-link" href={`/watch/${video.id}`} target="_blank" rel="noopener">
          {video.title} on Marquee
        </a>
      ) : null}
    </main>
  );
}
