import { lazy, Suspense, useEffect, useRef, useState } from "react";
import { preload } from "react-dom";
import { useTranslation } from "react-i18next";
import type { Playback, Video } from "../api/types";
import { browserLanguages } from "../i18n/languages";
import { useFormat } from "../lib/format";
import {
  type AdBreak,
  adBreakFromPlayback,
  contentDuration,
  contentTime,
  inAd,
  mediaTime,
} from "../lib/player/adBreak";
import { limitOf } from "../lib/player/limits";
import { useRememberedPlayback } from "../lib/player/playerPrefs";
import { SEEK_REQUEST } from "../lib/player/seekRequest";
import { useCaptions } from "../lib/player/useCaptions";
import { useFullscreen } from "../lib/player/useFullscreen";
import { type PlaybackError, useHls } from "../lib/player/useHls";
import { usePictureInPicture } from "../lib/player/usePictureInPicture";
import { usePlaybackBeacons } from "../lib/player/usePlaybackBeacons";
import { usePlayerShortcuts } from "../lib/player/usePlayerShortcuts";
import { useProcessingProgress } from "../lib/player/useProcessingProgress";
import { useStreamHeartbeat } from "../lib/player/useStreamHeartbeat";
import { useProfiles } from "../lib/profiles";
import { fetchStoryboard } from "../lib/storyboard";
import { useLoad } from "../lib/useLoad";
import { AdOverlay, useAdGuard } from "./player/AdOverlay";
import { CaptionsMenu } from "./player/CaptionsMenu";
import { StreamsPanel, UpgradePanel } from "./player/LimitPanels";
import { PlayerButtons } from "./player/PlayerButtons";
import { QualityMenu } from "./player/QualityMenu";
import { Scrubber } from "./player/Scrubber";
import { SpeedMenu } from "./player/SpeedMenu";

// The shortcuts' help is its own chunk, fetched when the viewer reaches for it (hover, focus, `?`).
const loadHelp = () => import("./player/ShortcutsHelp");
const ShortcutsHelp = lazy(() => loadHelp().then((m) => ({ default: m.ShortcutsHelp })));

/**
 * The video player: hls.js (loaded on demand) with automatic quality and a manual quality menu,
 * storyboard previews over a scrub bar, resume from `startMs`, playback beacons for the history
 * API and analytics (quality of experience, traffic source) and the heartbeats that keep the
 * plan's concurrent-stream slot. A video still processing (`playback.growing`) plays from the start
 * of its EVENT playlist (not the live edge) while the ladder grows, with "Still processing: N%"
 * shown until it is ready.
 *
 * A free viewer's stream may carry a stitched pre-roll (the edge splices the ad's segments in
 * front of the content; lib/player/adBreak.ts): "Ad · 0:12" and "Learn more" show over it, the
 * scrubber waits until it is over, and everything about the content (position, duration, seeks,
 * beacons) is in content time. A resumed video plays its ad first, then jumps to the resume point.
 *
 * Around the native controls: captions (the stream's subtitle tracks, the viewer's language first),
 * speed, picture-in-picture, full screen (the whole player, the bar with it) and keyboard shortcuts
 * with a help overlay (lib/player/shortcuts.ts); volume, mute, speed and the captions' language are
 * remembered per profile (lib/player/playerPrefs.ts).
 */
export function Player({
  playback,
  startMs = 0,
  autoPlay = false,
  title,
  chapters = [],
  onEnded,
}: {
  playback: Playback;
  startMs?: number;
  autoPlay?: boolean;
  title?: string;
  /** Shown on the seek bar (and named in its preview). */
  chapters?: Video["chapters"];
  /** The video played to its end (a playlist plays the next one). */
  onEnded?: () => void;
}) {
  const { t } = useTranslation("player");
  const f = useFormat();
  const videoRef = useRef<HTMLVideoElement>(null);
  const playerRef = useRef<HTMLDivElement>(null);
  const [time, setTime] = useState(0);
  const [rate, setRate] = useState(1);
  // The media element's duration (the ad included), once it knows it.
  const [mediaDuration, setMediaDuration] = useState<number | null>(null);
  const progress = useProcessingProgress(playback);
  // The ad break: hls.js' reading of the playlist's DATERANGE, else the playback response's `ad`.
  const playbackAd = adBreakFromPlayback(playback.ad);
  // A growing video plays from the start; otherwise resume where the profile stopped (after the ad).
  const resumeMs = playback.growing ? 0 : Math.max(0, startMs);
  const start = playbackAd ? 0 : resumeMs / 1000;
  // The poster is the watch page's largest paint; a <video poster> is fetched late and at low
  // priority, so ask for it at once, first in line (the element then takes it from the cache).
  preload(playback.posterUrl, { as: "image", fetchPriority: "high" });
  // The beacons read the ad break at each beacon (it may be learnt after playback starts). Their
  // session is set up before the pipeline, so it hears the pipeline's first events, and ends (its
  // last position read) before the pipeline is torn down.
  const adRef = useRef<AdBreak | null>(null);
  const beacons = usePlaybackBeacons(videoRef, playback.videoId, adRef, { autoPlay });
  // The viewer's language (the profile's, else the browser's) puts its captions first in the menu.
  const viewerLanguage = useProfiles().active?.language ?? browserLanguages()[0];
  const captions = useCaptions(videoRef, viewerLanguage);
  const hls = useHls(videoRef, playback.manifestUrl, {
    start,
    autoPlay,
    posterUrl: playback.posterUrl,
    onAttach: (instance, HlsJs, pipeline) => {
      beacons.observeHls(instance, HlsJs, pipeline);
      captions.observeHls(instance, HlsJs);
    },
  });
  const ad = hls.adBreak ?? playbackAd;
  adRef.current = ad;
  const adState = useAdGuard(videoRef, ad, resumeMs);
  // "Play from here" from outside the player (the chapter list): in content time. Before hls.js has
  // attached the element has no media yet, so the seek waits for its metadata; play() is what
  // makes the player load it (a play before hls.js arrived is replayed once it attaches).
  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const onRequest = (event: Event) => {
      const seconds = (event as CustomEvent<number>).detail;
      if (!Number.isFinite(seconds)) return;
      const seek = () => {
        video.currentTime = mediaTime(seconds, adRef.current);
      };
      if (video.readyState >= HTMLMediaElement.HAVE_METADATA) seek();
      else video.addEventListener("loadedmetadata", seek, { once: true });
      void video.play().catch(() => undefined);
    };
    video.addEventListener(SEEK_REQUEST, onRequest);
    return () => video.removeEventListener(SEEK_REQUEST, onRequest);
  }, []);
  const adPlaying = ad !== null && !adState.done && inAd(time, ad);
  const duration =
    mediaDuration === null ? (playback.durationMs ?? 0) / 1000 : contentDuration(mediaDuration, ad);
  const stream = useStreamHeartbeat(videoRef, playback);
  useRememberedPlayback(videoRef);
  const fullscreen = useFullscreen(playerRef);
  const pip = usePictureInPicture(videoRef);
  const [helpOpen, setHelpOpen] = useState(false);
  // Where focus was when the help opened: a dialog without a trigger would leave it on <body>, out
  // of the player, and the next shortcut would go nowhere.
  const helpReturn = useRef<HTMLElement | null>(null);
  const openHelp = () => {
    helpReturn.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    setHelpOpen(true);
  };
  useEffect(() => {
    if (helpOpen) return;
    helpReturn.current?.focus();
    helpReturn.current = null;
  }, [helpOpen]);
  usePlayerShortcuts(playerRef, {
    videoRef,
    ad,
    adPlaying,
    duration,
    helpOpen,
    toggleFullscreen: fullscreen.toggle,
    toggleCaptions: captions.toggle,
    openHelp,
  });
  const refused = stream.refused ? limitOf(stream.refused.problem) : null;
  // Taller renditions exist than the plan plays: the quality menu offers an upgrade beside it.
  const upgradeHeight =
    playback.sourceHeight !== null && playback.sourceHeight > playback.maxHeight
      ? playback.sourceHeight
      : null;
  // Absent until processing made it (then there are simply no previews): fetched again once ready.
  const storyboard = useLoad(
    () => fetchStoryboard(playback.storyboardUrl),
    [playback.storyboardUrl, progress.ready],
  );

  return (
    <div className="player" ref={playerRef}>
      <div className="player-frame">
        {/* biome-ignore lint/a11y/useMediaCaption: captions come with the stream (hls.js adds their tracks), not as <track> children */}
        <video
          ref={videoRef}
          data-testid="player-video"
          controls
          playsInline
          poster={playback.posterUrl}
          aria-label={title ? t("videoNamed", { title }) : t("video")}
          onTimeUpdate={(e) => setTime(e.currentTarget.currentTime)}
          onEnded={onEnded}
          onDurationChange={(e) => {
            const d = e.currentTarget.duration;
            if (Number.isFinite(d) && d > 0) setMediaDuration(d);
          }}
          onRateChange={(e) => setRate(e.currentTarget.playbackRate)}
        />
        {ad ? (
          <Suspense fallback={null}>
            <AdOverlay
              ad={ad}
              time={time}
              visible={adState.started && !adState.done}
              onLearnMore={() => videoRef.current?.pause()}
            />
          </Suspense>
        ) : null}
        {!progress.ready ? (
          <p className="player-processing" role="status">
            {t("processing", { percent: f.percent(progress.percent / 100) })}
          </p>
        ) : null}
        {refused ? (
          // The edge refused this player's stream mid-way: its slot lapsed and other screens took
          // them all, or the plan ended meanwhile.
          <div className="player-limit-overlay">
            {refused.kind === "streams" ? (
              <StreamsPanel allowed={refused.allowed} active={refused.active} onRetry={stream.retry} />
            ) : (
              <UpgradePanel requiredPlan={refused.requiredPlan} />
            )}
          </div>
        ) : null}
      </div>
      <div className="player-bar">
        {adPlaying ? (
          // No content scrubber during the ad: there is nothing to seek to until it is over.
          <div className="scrub" />
        ) : (
          <Scrubber
            time={contentTime(time, ad)}
            duration={duration}
            tiles={storyboard.data ?? []}
            chapters={chapters}
            onSeek={(s) => {
              if (videoRef.current && Number.isFinite(s)) videoRef.current.currentTime = mediaTime(s, ad);
            }}
          />
        )}
        <div className="player-controls">
          <CaptionsMenu captions={captions} container={fullscreen.active ? playerRef.current : null} />
          <QualityMenu
            // A new master (an upgrade) numbers its levels anew: a pinned choice would mean another rung.
            key={playback.manifestUrl}
            levels={hls.levels}
            playingHeight={hls.playingHeight}
            onChoose={hls.setLevel}
            upgradeHeight={upgradeHeight}
          />
          <SpeedMenu
            rate={rate}
            onChoose={(r) => {
              const video = videoRef.current;
              if (!video) return;
              // The default too: a new source (hls.js attaching) resets the speed to it.
              video.defaultPlaybackRate = r;
              video.playbackRate = r;
            }}
          />
          <PlayerButtons
            pip={pip}
            fullscreen={fullscreen}
            onHelp={openHelp}
            onHelpIntent={() => void loadHelp()}
          />
        </div>
      </div>
      {helpOpen ? (
        <Suspense fallback={null}>
          <ShortcutsHelp
            open
            onOpenChange={setHelpOpen}
            container={fullscreen.active ? playerRef.current : null}
          />
        </Suspense>
      ) : null}
      {hls.error ? (
        <p role="alert" className="problem player-problem">
          {errorText(hls.error, t)}
        </p>
      ) : null}
    </div>
  );
}

function errorText(error: PlaybackError, t: ReturnType<typeof useTranslation<"player">>["t"]): string {
  switch (error.kind) {
    case "retrying":
      return t("error.retrying");
    case "failed":
      return t("error.failed", { details: error.details });
    case "unsupported":
      return t("error.unsupported");
    case "load":
      return t("error.load");
  }
}
