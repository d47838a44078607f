import { useTranslation } from "react-i18next";
import { useParams } from "react-router";
import { PlayerSlot } from "../components/watch/PlayerSlot";
import { WatchError } from "../components/watch/WatchError";
import { usePlayback } from "../lib/usePlayback";

/** The embeddable player alone (/embed/:videoId): full viewport, no header, for other sites' iframes. */
export function EmbedPage() {
  const { t } = useTranslation("player");
  const { videoId = "" } = useParams();
  const watch = usePlayback(videoId, { resume: false });
  const { video, error } = watch;
  return (
    <main className="embed">
      <h1 className="visually-hidden">{video?.title ?? t("embed.fallbackTitle")}</h1>
      {error && !video ? (
        <WatchError compact error={error} onRetry={watch.reload} />
      ) : (
        <PlayerSlot watch={watch} title={video?.title} />
      )}
      {video ? (
        <a className="embed-link" href={`/watch/${video.id}`} target="_blank" rel="noopener">
          {t("embed.onMarquee", { title: video.title })}
        </a>
      ) : null}
    </main>
  );
}
