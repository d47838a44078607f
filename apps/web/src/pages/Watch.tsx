import { useParams } from "react-router";
import { api, must } from "../api/client";
import { Comments } from "../components/Comments";
import { ShareButton } from "../components/EmbedSnippet";
import { Later } from "../components/Later";
import { Reactions } from "../components/Reactions";
import { currentPlayerSeconds } from "../components/reports/playerPosition";
import { ReportButton } from "../components/reports/ReportButton";
import { ChannelRow } from "../components/watch/ChannelRow";
import { Chapters } from "../components/watch/Chapters";
import { PlayerSlot } from "../components/watch/PlayerSlot";
import { VideoDescription } from "../components/watch/VideoDescription";
import { WatchError } from "../components/watch/WatchError";
import { WatchDetailsSkeleton } from "../components/watch/WatchSkeleton";
import { useSession } from "../lib/session";
import { useLoad } from "../lib/useLoad";
import { usePlayback } from "../lib/usePlayback";

/** The watch page: player, title, channel and Subscribe, reactions, share, description, chapters, comments. */
export function WatchPage() {
  const { videoId = "" } = useParams();
  const s = useSession();
  const watch = usePlayback(videoId);
  const { video, error } = watch;
  const channel = useLoad(
    () =>
      video
        ? must(api.GET("/api/v1/channels/{channelId}", { params: { path: { channelId: video.channelId } } }))
        : Promise.resolve(undefined),
    [video?.channelId],
  );

  if (error && !video)
    return (
      <div className="watch">
        <WatchError error={error} onRetry={watch.reload} />
      </div>
    );
  return (
    <article className="watch" aria-labelledby={video ? "watch-title" : undefined}>
      <PlayerSlot watch={watch} title={video?.title} />
      {error ? <WatchError compact error={error} onRetry={watch.reload} /> : null}
      {video ? (
        <div className="watch-details">
          <h1 id="watch-title" className="watch-title">
            {video.title}
          </h1>
          <div className="watch-bar">
            <ChannelRow
              key={video.channelId}
              channelId={video.channelId}
              channel={channel.data}
              isOwner={Boolean(channel.data && s?.accountId === channel.data.ownerAccountId)}
            />
            <div className="watch-actions">
              <Reactions
                key={video.id}
                videoId={video.id}
                likes={video.likeCount}
                dislikes={video.dislikeCount}
              />
              <ShareButton videoId={video.id} title={video.title} />
              {/* Report (not on your own video; the API refuses that too): the dialog loads on use. */}
              {channel.data && s?.accountId !== channel.data.ownerAccountId ? (
                <ReportButton
                  targetType="video"
                  targetId={video.id}
                  variant="secondary"
                  atSeconds={() => currentPlayerSeconds(watch.playback)}
                />
              ) : null}
            </div>
          </div>
          <VideoDescription video={video} />
          <Chapters video={video} storyboardUrl={watch.playback?.storyboardUrl ?? null} />
          {/* Below the fold: after the first commit, so the player and title come first. */}
          <Later>
            <Comments videoId={video.id} />
          </Later>
        </div>
      ) : (
        <WatchDetailsSkeleton />
      )}
    </article>
  );
}
