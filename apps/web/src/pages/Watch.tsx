import { Link, useParams } from "react-router";
import { api, must } from "../api/client";
import { Comments } from "../components/Comments";
import { EmbedSnippet } from "../components/EmbedSnippet";
import { Player } from "../components/Player";
import { ProblemMessage } from "../components/ProblemMessage";
import { Reactions } from "../components/Reactions";
import { SubscribeButton } from "../components/SubscribeButton";
import { formatCount, timeAgo } from "../lib/format";
import { useSession } from "../lib/session";
import { useLoad } from "../lib/useLoad";
import { usePlayback } from "../lib/usePlayback";

/** The watch page: player, reactions, subscribe, description, embed snippet, comments. */
export function WatchPage() {
  const { videoId = "" } = useParams();
  const s = useSession();
  const { video, playback, startMs, waitingPercent, error } = usePlayback(videoId);
  const channel = useLoad(
    () =>
      video
        ? must(api.GET("/api/v1/channels/{channelId}", { params: { path: { channelId: video.channelId } } }))
        : Promise.resolve(null),
    [video?.channelId],
  );

  if (error && !video) return <ProblemMessage error={error} />;
  return (
    <article className="watch">
      <div className="player-slot">
        {playback && startMs !== null ? (
          <Player key={playback.videoId} playback={playback} startMs={startMs} title={video?.title} />
        ) : waitingPercent !== null ? (
          <div className="player-placeholder" role="status">
            Still processing: {waitingPercent}%
          </div>
        ) : (
          <div className="player-placeholder">{error ? null : "Loading…"}</div>
        )}
      </div>
      <ProblemMessage error={error} />
      {video ? (
        <>
          <h1 className="watch-title">{video.title}</h1>
          <div className="watch-meta row">
            <div className="channel-line">
              {channel.data ? (
                <Link to={`/channel/${channel.data.id}`} className="channel-name">
                  {channel.data.name}
                </Link>
              ) : null}
              <SubscribeButton
                key={video.channelId}
                channelId={video.channelId}
                initialCount={channel.data?.subscriberCount}
                isOwner={Boolean(channel.data && s?.accountId === channel.data.ownerAccountId)}
              />
            </div>
            <Reactions key={video.id} videoId={video.id} likes={video.likeCount} />
          </div>
          <div className="description">
            <p className="muted">
              {formatCount(video.viewCount, "view", "views")}
              {video.publishedAt ? ` · ${timeAgo(video.publishedAt)}` : ""}
              {video.tags.length ? ` · ${video.tags.map((t) => `#${t}`).join(" ")}` : ""}
            </p>
            {video.description ? <p className="pre-wrap">{video.description}</p> : null}
          </div>
          <EmbedSnippet videoId={video.id} title={video.title} />
          <Comments videoId={video.id} />
        </>
      ) : null}
    </article>
  );
}
