import { useRef, useState } from "react";
import type { Playback } from "../api/types";
import { useHls } from "../lib/player/useHls";
import { usePlaybackBeacons } from "../lib/player/usePlaybackBeacons";
import { useProcessingProgress } from "../lib/player/useProcessingProgress";
import { fetchStoryboard } from "../lib/storyboard";
import { useLoad } from "../lib/useLoad";
import { QualityMenu } from "./player/QualityMenu";
import { Scrubber } from "./player/Scrubber";

/**
 * The video player: hls.js with automatic quality and a manual quality menu, storyboard previews
 * over a scrub bar, resume from `startMs`, and playback beacons for the history API. A video still
 * processing (`playback.growing`) plays from the start of its EVENT playlist (not the live edge)
 * while the ladder grows, with "Still processing: N%" shown until it is ready.
 */
export function Player({
  playback,
  startMs = 0,
  autoPlay = false,
  title,
}: {
  playback: Playback;
  startMs?: number;
  autoPlay?: boolean;
  title?: string;
}) {
  const videoRef = useRef<HTMLVideoElement>(null);
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState((playback.durationMs ?? 0) / 1000);
  const progress = useProcessingProgress(playback);
  // A growing video plays from the start; otherwise resume where the profile stopped.
  const start = playback.growing ? 0 : Math.max(0, startMs) / 1000;
  const hls = useHls(videoRef, playback.manifestUrl, { start, autoPlay });
  usePlaybackBeacons(videoRef, playback.videoId);
  // Absent until processing made it (then there are simply no previews): fetched again once ready.
  const storyboard = useLoad(
    () => fetchStoryboard(playback.storyboardUrl),
    [playback.storyboardUrl, progress.ready],
  );

  return (
    <div className="player">
      {/* biome-ignore lint/a11y/useMediaCaption: videos have no caption tracks yet (the API has none to offer) */}
      <video
        ref={videoRef}
        data-testid="player-video"
        controls
        playsInline
        poster={playback.posterUrl}
        aria-label={title ? `Video: ${title}` : "Video"}
        onTimeUpdate={(e) => setTime(e.currentTarget.currentTime)}
        onDurationChange={(e) => {
          const d = e.currentTarget.duration;
          if (Number.isFinite(d) && d > 0) setDuration(d);
        }}
      />
      <div className="player-bar">
        <Scrubber
          time={time}
          duration={duration}
          tiles={storyboard.data ?? []}
          onSeek={(t) => {
            if (videoRef.current && Number.isFinite(t)) videoRef.current.currentTime = t;
          }}
        />
        <QualityMenu levels={hls.levels} playingHeight={hls.playingHeight} onChoose={hls.setLevel} />
      </div>
      {!progress.ready ? (
        <p className="processing" role="status">
          Still processing: {progress.percent}%
        </p>
      ) : null}
      {hls.error ? (
        <p role="alert" className="problem">
          {hls.error}
        </p>
      ) : null}
    </div>
  );
}
