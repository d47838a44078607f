import { lazy, Suspense, useEffect, useRef, useState } from "react";
import { useNavigate, useParams, useSearchParams } from "react-router";
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
import { SaveToPlaylistButton } from "../components/watch/SaveToPlaylistButton";
import { VideoDescription } from "../components/watch/VideoDescription";
import { WatchError } from "../components/watch/WatchError";
import { WatchLaterButton } from "../components/watch/WatchLaterButton";
import { WatchDetailsSkeleton } from "../components/watch/WatchSkeleton";
import { autoplayNext, takeAutoplay, watchInPlaylist } from "../lib/playlistOrder";
import { useSession } from "../lib/session";
import { useLoad } from "../lib/useLoad";
import { usePlayback } from "../lib/usePlayback";
import { usePlaylistRun } from "../lib/usePlaylistRun";

// Only a watch page playing a list shows it: its code comes with the first such page.
const PlaylistPanel = lazy(() =>
  import("../components/watch/PlaylistPanel").then((m) => ({ default: m.PlaylistPanel })),
);

/**
 * The watch page: player, title, channel and Subscribe, reactions, share, Watch later, description,
 * chapters, comments. With `?list=` it plays a playlist: from the start of each video, the list
 * beside it, and the next video by itself when one ends (autoplay).
 */
export function WatchPage() {
  const { videoId = "" } = useParams();
  const [params] = useSearchParams();
  const listId = params.get("list");
  const navigate = useNavigate();
  const s = useSession();
  const watch = usePlayback(videoId, { resume: listId === null });
  const run = usePlaylistRun(listId, videoId);
  // Asked for once, by the page that sent the viewer here (Play all, the previous video's end).
  const asked = useRef<{ videoId: string; request: { focus: boolean } | null } | null>(null);
  if (asked.current?.videoId !== videoId) asked.current = { videoId, request: takeAutoplay(videoId) };
  const autoPlay = asked.current.request !== null;
  const focusPlayer = asked.current.request?.focus === true;
  // Ended (before the list may have loaded): the next video follows as soon as it is known.
  const [endedId, setEndedId] = useState<string | null>(null);
  const nextId = run.next?.video.id ?? null;
  useEffect(() => {
    if (!listId || endedId !== videoId || !nextId) return;
    const inPlayer = document.activeElement?.closest(".player") != null;
    autoplayNext(nextId, inPlayer);
    navigate(watchInPlaylist(nextId, listId));
  }, [listId, endedId, videoId, nextId, navigate]);
  // The list's code loads with its data, not after it.
  useEffect(() => {
    if (listId) void import("../components/watch/PlaylistPanel");
  }, [listId]);
  // A keyboard viewer who was in the player stays in it when the next video takes its place.
  useEffect(() => {
    if (focusPlayer && watch.playback)
      document.querySelector<HTMLElement>('[data-testid="player-video"]')?.focus();
  }, [focusPlayer, watch.playback]);
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
      <PlayerSlot
        watch={watch}
        title={video?.title}
        autoPlay={autoPlay}
        onEnded={listId ? () => setEndedId(videoId) : undefined}
      />
      {listId ? (
        run.error ? (
          <WatchError compact error={run.error} onRetry={run.reload} />
        ) : (
          <Suspense fallback={<div className="playlist-panel playlist-panel-pending" />}>
            {run.playlist && run.items ? (
              <PlaylistPanel playlist={run.playlist} items={run.items} videoId={videoId} next={run.next} />
            ) : (
              <div className="playlist-panel playlist-panel-pending" />
            )}
          </Suspense>
        )
      ) : null}
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
              {s?.profileId ? <WatchLaterButton videoId={video.id} /> : null}
              {s?.profileId ? <SaveToPlaylistButton videoId={video.id} /> : null}
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
