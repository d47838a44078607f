import Hls, { type ErrorData } from "hls.js";
import { type PointerEvent, useEffect, useRef, useState } from "react";
import { api, must } from "../api/client";
import type { Playback } from "../api/types";
import { type BeaconKind, newBeaconId, sendBeacon } from "../lib/beacons";
import { formatDuration } from "../lib/format";
import { parseStoryboard, type StoryboardTile, tileAt } from "../lib/storyboard";

const HEARTBEAT_MS = 10_000;
const PROGRESS_POLL_MS = 3_000;

interface Level {
  index: number;
  height: number;
}

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
  const hlsRef = useRef<Hls | null>(null);
  const [levels, setLevels] = useState<Level[]>([]);
  const [choice, setChoice] = useState(-1);
  const [playing, setPlaying] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState((playback.durationMs ?? 0) / 1000);
  const [tiles, setTiles] = useState<StoryboardTile[]>([]);
  const [preview, setPreview] = useState<{ time: number; left: number } | null>(null);
  const progress = useProcessingProgress(playback);

  // Start position: a growing video plays from the start; otherwise resume where the profile stopped.
  const start = playback.growing ? 0 : Math.max(0, startMs) / 1000;

  // The media pipeline.
  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    setError(null);
    setLevels([]);
    setChoice(-1);
    if (Hls.isSupported()) {
      const hls = new Hls({ startPosition: start, capLevelToPlayerSize: false });
      hlsRef.current = hls;
      let mediaRecoveries = 0;
      hls.on(Hls.Events.MANIFEST_PARSED, (_e, data) => {
        setLevels(data.levels.map((l, index) => ({ index, height: l.height })));
        if (autoPlay) void video.play().catch(() => undefined);
      });
      hls.on(Hls.Events.LEVEL_SWITCHED, (_e, data) => {
        setPlaying(hls.levels[data.level]?.height ?? null);
      });
      hls.on(Hls.Events.ERROR, (_e, data: ErrorData) => {
        if (!data.fatal) return;
        if (data.type === Hls.ErrorTypes.MEDIA_ERROR && mediaRecoveries < 2) {
          mediaRecoveries += 1;
          hls.recoverMediaError();
        } else if (data.type === Hls.ErrorTypes.NETWORK_ERROR) {
          setError("The video could not be loaded. Retrying…");
          setTimeout(() => hls.startLoad(), 2000);
        } else {
          setError(`Playback failed (${data.details}).`);
        }
      });
      hls.on(Hls.Events.FRAG_LOADED, () => setError(null));
      hls.loadSource(playback.manifestUrl);
      hls.attachMedia(video);
      return () => {
        hls.destroy();
        hlsRef.current = null;
      };
    }
    if (video.canPlayType("application/vnd.apple.mpegurl")) {
      // Safari plays HLS itself (quality is automatic there).
      video.src = playback.manifestUrl;
      const seek = () => {
        if (start > 0) video.currentTime = start;
      };
      video.addEventListener("loadedmetadata", seek, { once: true });
      if (autoPlay) void video.play().catch(() => undefined);
      return () => {
        video.removeEventListener("loadedmetadata", seek);
        video.removeAttribute("src");
        video.load();
      };
    }
    setError("This browser cannot play HLS video.");
    return undefined;
  }, [playback.manifestUrl, start, autoPlay]);

  // Beacons: start on the first play, a heartbeat every ~10 s while playing (and on pause), end.
  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const sessionId = crypto.randomUUID();
    let started = false;
    let ended = false;
    let playedMs = 0;
    let last: number | null = null;
    let timer: ReturnType<typeof setInterval> | null = null;

    const beacon = (kind: BeaconKind, options: { urgent?: boolean; now?: boolean } = {}) => {
      const played = Math.round(playedMs);
      playedMs = 0;
      sendBeacon(
        {
          id: newBeaconId(),
          videoId: playback.videoId,
          sessionId,
          kind,
          positionMs: Math.max(0, Math.round(video.currentTime * 1000)),
          ...(kind === "start" ? {} : { playedMs: played }),
          occurredAt: new Date().toISOString(),
        },
        options,
      );
    };
    const onPlaying = () => {
      last = video.currentTime;
      if (!started) {
        started = true;
        beacon("start");
      }
      ended = false;
      timer ??= setInterval(() => beacon("heartbeat"), HEARTBEAT_MS);
    };
    const stopTimer = () => {
      if (timer) clearInterval(timer);
      timer = null;
    };
    const onTime = () => {
      const now = video.currentTime;
      if (last !== null && !video.seeking && !video.paused) {
        const delta = now - last;
        // Only steady forward play counts (a seek is a jump, not time watched).
        if (delta > 0 && delta < 2) playedMs += delta * 1000;
      }
      last = now;
    };
    const onPause = () => {
      stopTimer();
      if (started && !video.ended) beacon("heartbeat", { now: true });
    };
    const onSeeking = () => {
      last = null;
    };
    const onEnded = () => {
      stopTimer();
      if (started && !ended) {
        ended = true;
        beacon("end");
      }
    };
    const onPageHide = () => {
      stopTimer();
      if (started && !ended) {
        ended = true;
        beacon("end", { urgent: true });
      }
    };
    video.addEventListener("playing", onPlaying);
    video.addEventListener("timeupdate", onTime);
    video.addEventListener("pause", onPause);
    video.addEventListener("seeking", onSeeking);
    video.addEventListener("ended", onEnded);
    window.addEventListener("pagehide", onPageHide);
    return () => {
      video.removeEventListener("playing", onPlaying);
      video.removeEventListener("timeupdate", onTime);
      video.removeEventListener("pause", onPause);
      video.removeEventListener("seeking", onSeeking);
      video.removeEventListener("ended", onEnded);
      window.removeEventListener("pagehide", onPageHide);
      stopTimer();
      if (started && !ended) beacon("end");
    };
  }, [playback.videoId]);

  // The storyboard (absent until processing made it: then there are simply no previews).
  // biome-ignore lint/correctness/useExhaustiveDependencies: fetch again once processing finishes
  useEffect(() => {
    let live = true;
    fetch(playback.storyboardUrl)
      .then((res) => (res.ok ? res.text() : ""))
      .then((text) => live && setTiles(text ? parseStoryboard(text, playback.storyboardUrl) : []))
      .catch(() => live && setTiles([]));
    return () => {
      live = false;
    };
  }, [playback.storyboardUrl, progress.ready]);

  function chooseLevel(value: number) {
    setChoice(value);
    const hls = hlsRef.current;
    if (!hls) return;
    // -1 = automatic (ABR); a level index pins that rendition.
    hls.currentLevel = value;
  }

  function seekTo(t: number) {
    const video = videoRef.current;
    if (video && Number.isFinite(t)) video.currentTime = t;
  }

  function hover(e: PointerEvent<HTMLInputElement>) {
    const rect = e.currentTarget.getBoundingClientRect();
    const fraction = Math.min(1, Math.max(0, (e.clientX - rect.left) / rect.width));
    setPreview({ time: fraction * duration, left: fraction * 100 });
  }

  const tile = preview && tiles.length ? tileAt(tiles, preview.time) : null;
  const sortedLevels = [...levels].sort((a, b) => b.height - a.height);
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
        <div className="scrub">
          <input
            type="range"
            aria-label="Seek"
            min={0}
            max={Math.max(duration, 0.1)}
            step={0.1}
            value={Math.min(time, duration || time)}
            aria-valuetext={`${formatDuration(time * 1000)} of ${formatDuration(duration * 1000)}`}
            onChange={(e) => {
              const t = Number(e.target.value);
              seekTo(t);
              setPreview({ time: t, left: duration ? (t / duration) * 100 : 0 });
            }}
            onPointerMove={hover}
            onPointerLeave={() => setPreview(null)}
            onBlur={() => setPreview(null)}
          />
          {preview ? (
            <div
              className="scrub-preview"
              data-testid="storyboard-preview"
              style={{ left: `${preview.left}%` }}
              aria-hidden="true"
            >
              {tile ? (
                <div
                  className="scrub-tile"
                  style={{
                    width: tile.w,
                    height: tile.h,
                    backgroundImage: `url("${tile.url}")`,
                    backgroundPosition: `-${tile.x}px -${tile.y}px`,
                  }}
                />
              ) : null}
              <span>{formatDuration(preview.time * 1000)}</span>
            </div>
          ) : null}
        </div>
        <label className="quality">
          Quality
          <select
            aria-label="Quality"
            data-testid="quality-menu"
            value={choice}
            onChange={(e) => chooseLevel(Number(e.target.value))}
            disabled={levels.length === 0}
          >
            <option value={-1}>Auto</option>
            {sortedLevels.map((l) => (
              <option key={l.index} value={l.index}>
                {l.height}p
              </option>
            ))}
          </select>
          {choice === -1 && playing ? <span className="muted">({playing}p)</span> : null}
        </label>
      </div>
      {!progress.ready ? (
        <p className="processing" role="status">
          Still processing: {progress.percent}%
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="problem">
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** While a video is still processing, polls GET /videos/{id} for its progress. */
function useProcessingProgress(playback: Playback): { ready: boolean; percent: number } {
  const [state, setState] = useState({ ready: !playback.growing, percent: playback.progress });
  useEffect(() => {
    setState({ ready: !playback.growing, percent: playback.progress });
    if (!playback.growing) return;
    let live = true;
    const timer = setInterval(async () => {
      try {
        const video = await must(
          api.GET("/api/v1/videos/{videoId}", { params: { path: { videoId: playback.videoId } } }),
        );
        if (!live) return;
        const ready = video.status === "ready";
        setState({ ready, percent: video.progress });
        if (ready || video.status === "failed") clearInterval(timer);
      } catch {
        // keep the last known progress; the next poll tries again
      }
    }, PROGRESS_POLL_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [playback.videoId, playback.growing, playback.progress]);
  return state;
}
