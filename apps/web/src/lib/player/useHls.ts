import type Hls from "hls.js";
import type { ErrorData } from "hls.js";
import { type RefObject, useCallback, useEffect, useRef, useState } from "react";
import { type AdBreak, adBreakFromDateRanges, contentTime } from "./adBreak";
import { afterPoster, firstIntent, type HlsClass, hasMediaSource, loadHls } from "./loadHls";
import { markMutedByPolicy } from "./playerPrefs";

export interface Level {
  index: number;
  height: number;
}

/** What went wrong, for the player to say in the UI's language. */
export type PlaybackError =
  | { kind: "retrying" }
  | { kind: "failed"; details: string }
  | { kind: "unsupported" }
  | { kind: "load" };

export interface HlsPlayback {
  /** The renditions of the ladder (none where the browser plays HLS itself). */
  levels: Level[];
  /** The height of the rendition on screen. */
  playingHeight: number | null;
  error: PlaybackError | null;
  /** -1 = automatic (ABR); a level index pins that rendition. */
  setLevel: (index: number) => void;
  /**
   * The stitched ad break the media playlist marks (EXT-X-DATERANGE CLASS="com.marquee.ad"), once
   * hls.js has loaded a playlist; null without one (or where the browser plays HLS itself).
   */
  adBreak: AdBreak | null;
}

/** The pipeline's own word on an attached hls.js instance (what hls.js' events alone do not tell). */
export interface HlsPipeline {
  /**
   * Calls `listener` when the pipeline gives up on playback: a fatal error it does not (or no longer)
   * recover from. A fatal error hls.js recovers from is not a failure (playback beacons' `error`).
   */
  onGiveUp(listener: (error: ErrorData) => void): void;
}

interface Options {
  start: number;
  autoPlay: boolean;
  posterUrl?: string;
  /** Sees each hls.js instance as it attaches (playback beacons' QoE); its listeners go with it. */
  onAttach?: (hls: Hls, HlsJs: HlsClass, pipeline: HlsPipeline) => void;
}

/** Fatal media errors recovered (hls.recoverMediaError) before giving up. */
export const MEDIA_RECOVERIES = 2;
/** After a fatal network error hls.js loads again this much later; failing again before a fragment arrives, it gives up. */
export const NETWORK_RETRY_MS = 2000;

/**
 * Plays; where the browser refuses sound without a gesture (autoplay policy), plays muted rather
 * than not at all: the viewer unmutes with the controls. That mute is marked as the policy's, so
 * the profile's remembered mute (playerPrefs.ts) does not take it for the viewer's.
 */
export function playOrMuted(video: Pick<HTMLVideoElement, "play" | "muted">): Promise<void> {
  return video
    .play()
    .catch((error: unknown) => {
      if (!(error instanceof Error && error.name === "NotAllowedError") || video.muted) throw error;
      markMutedByPolicy(video);
      video.muted = true;
      return video.play();
    })
    .catch(() => undefined);
}

/**
 * hls.js on the <video>: ABR, manual levels, media errors recovered twice, a network error retried
 * once (again after a fragment has loaded). Past that it gives up: the error shown as failed and
 * `report.gaveUp` told (the one failure a view reports).
 */
export function attachHls(
  HlsJs: HlsClass,
  video: HTMLVideoElement,
  manifestUrl: string,
  { start, autoPlay }: Options,
  report: {
    setLevels: (l: Level[]) => void;
    setPlayingHeight: (h: number | null) => void;
    setError: (e: PlaybackError | null) => void;
    setAdBreak: (ad: AdBreak | null) => void;
    gaveUp?: (error: ErrorData) => void;
  },
): Hls {
  // Date ranges are read from the playlists (LEVEL_LOADED), not as cues: the metadata text track
  // hls.js would add for them has a data: URL, which the strict CSP (media-src) refuses.
  const hls = new HlsJs({
    startPosition: start,
    capLevelToPlayerSize: false,
    enableDateRangeMetadataCues: false,
  });
  let mediaRecoveries = 0;
  // A network retry is pending or has not yet brought a fragment: another fatal network error means it failed.
  let networkRetried = false;
  let gaveUp = false;
  let retry: ReturnType<typeof setTimeout> | null = null;
  hls.on(HlsJs.Events.MANIFEST_PARSED, (_e, data) => {
    report.setLevels(data.levels.map((l, index) => ({ index, height: l.height })));
    if (autoPlay) void playOrMuted(video);
  });
  hls.on(HlsJs.Events.LEVEL_SWITCHED, (_e, data) => {
    report.setPlayingHeight(hls.levels[data.level]?.height ?? null);
  });
  hls.on(HlsJs.Events.ERROR, (_e, data: ErrorData) => {
    if (!data.fatal || gaveUp) return;
    if (data.type === HlsJs.ErrorTypes.MEDIA_ERROR && mediaRecoveries < MEDIA_RECOVERIES) {
      mediaRecoveries += 1;
      hls.recoverMediaError();
    } else if (data.type === HlsJs.ErrorTypes.NETWORK_ERROR && !networkRetried) {
      networkRetried = true;
      report.setError({ kind: "retrying" });
      retry = setTimeout(() => {
        retry = null;
        hls.startLoad();
      }, NETWORK_RETRY_MS);
    } else {
      // Given up: nothing more is loaded, and the failure is reported once.
      gaveUp = true;
      if (retry) clearTimeout(retry);
      retry = null;
      hls.stopLoad();
      report.setError({ kind: "failed", details: data.details });
      report.gaveUp?.(data);
    }
  });
  hls.on(HlsJs.Events.DESTROYING, () => {
    if (retry) clearTimeout(retry);
    retry = null;
  });
  hls.on(HlsJs.Events.FRAG_LOADED, () => {
    networkRetried = false;
    report.setError(null);
  });
  // Every rung of a stitched stream carries the same ad break; the first playlist tells it.
  const readAdBreak = (
    _e: unknown,
    data: { details: { dateRanges: Parameters<typeof adBreakFromDateRanges>[0] } },
  ) => {
    const ad = adBreakFromDateRanges(data.details.dateRanges);
    if (ad) report.setAdBreak(ad);
  };
  hls.on(HlsJs.Events.LEVEL_LOADED, readAdBreak);
  hls.on(HlsJs.Events.LEVEL_UPDATED, readAdBreak);
  hls.loadSource(manifestUrl);
  hls.attachMedia(video);
  return hls;
}

/** Safari without MSE plays HLS itself (quality is automatic there). Returns the cleanup. */
function attachNative(video: HTMLVideoElement, manifestUrl: string, { start, autoPlay }: Options) {
  video.src = manifestUrl;
  const seek = () => {
    if (start > 0) video.currentTime = start;
  };
  video.addEventListener("loadedmetadata", seek, { once: true });
  if (autoPlay) void playOrMuted(video);
  return () => {
    video.removeEventListener("loadedmetadata", seek);
    video.removeAttribute("src");
    video.load();
  };
}

/**
 * The media pipeline: hls.js attached to the <video> (or the browser's own HLS), starting at
 * `start` seconds. hls.js is loaded on demand: when the viewer reaches for the player, or (autoplay)
 * once the poster has painted.
 */
export function useHls(
  videoRef: RefObject<HTMLVideoElement | null>,
  manifestUrl: string,
  options: Options,
): HlsPlayback {
  const hlsRef = useRef<Hls | null>(null);
  // Where the last pipeline was when it was torn down for a new manifest (an upgrade re-issued the
  // playback with taller renditions): the new one goes on from there, playing if it was.
  const carried = useRef<{ time: number; playing: boolean } | null>(null);
  const [levels, setLevels] = useState<Level[]>([]);
  const [playingHeight, setPlayingHeight] = useState<number | null>(null);
  const [error, setError] = useState<PlaybackError | null>(null);
  const [adBreak, setAdBreakState] = useState<AdBreak | null>(null);
  const adRef = useRef<AdBreak | null>(null);
  adRef.current = adBreak;
  // The same break read again from another rung is not a change (no re-render per playlist).
  const setAdBreak = useCallback(
    (next: AdBreak | null) =>
      setAdBreakState((prev) =>
        prev && next && prev.id === next.id && prev.end === next.end && prev.clickUrl === next.clickUrl
          ? prev
          : next,
      ),
    [],
  );
  const { start, autoPlay, posterUrl } = options;
  const onAttach = useRef(options.onAttach);
  onAttach.current = options.onAttach;

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    setError(null);
    setLevels([]);
    setAdBreak(null);
    const from = carried.current;
    carried.current = null;
    let cleanup: (() => void) | null = null;
    let cancelled = false;
    const opts = from ? { start: from.time, autoPlay: from.playing } : { start, autoPlay };
    const remember = () => {
      if (video.currentTime > 0 || !video.paused)
        // In content time: the new manifest (a paid plan's) has no stitched ad in front.
        carried.current = {
          time: contentTime(video.currentTime, adRef.current),
          playing: !video.paused && !video.ended,
        };
    };
    const native = () => video.canPlayType("application/vnd.apple.mpegurl") !== "";
    if (!hasMediaSource()) {
      if (native()) {
        const detach = attachNative(video, manifestUrl, opts);
        return () => {
          remember();
          detach();
        };
      }
      setError({ kind: "unsupported" });
      return undefined;
    }
    const intent = new AbortController();
    void (async () => {
      // Autoplay wants the player at once (after the poster has painted); otherwise it waits for
      // the viewer to reach for it.
      // A pipeline carried over from the last manifest is wanted already: no waiting.
      const play = from
        ? from.playing
        : autoPlay
          ? await afterPoster(posterUrl).then(() => true)
          : (await firstIntent(video, intent.signal)) === "play";
      if (cancelled) return;
      let HlsJs: HlsClass;
      try {
        HlsJs = await loadHls();
      } catch {
        if (!cancelled) setError({ kind: "load" });
        return;
      }
      if (cancelled) return;
      // A play pressed while hls.js was on its way shows as paused = false; attaching drops it.
      const attach = { start: opts.start, autoPlay: play || !video.paused };
      if (!HlsJs.isSupported()) {
        if (native()) {
          const detach = attachNative(video, manifestUrl, attach);
          cleanup = () => {
            remember();
            detach();
          };
        } else setError({ kind: "unsupported" });
        return;
      }
      const giveUpListeners: ((error: ErrorData) => void)[] = [];
      const hls = attachHls(HlsJs, video, manifestUrl, attach, {
        setLevels,
        setPlayingHeight,
        setError,
        setAdBreak,
        gaveUp: (error) => {
          for (const listener of giveUpListeners) listener(error);
        },
      });
      hlsRef.current = hls;
      onAttach.current?.(hls, HlsJs, { onGiveUp: (listener) => giveUpListeners.push(listener) });
      cleanup = () => {
        remember();
        hls.destroy();
        hlsRef.current = null;
      };
    })();
    return () => {
      cancelled = true;
      intent.abort();
      cleanup?.();
    };
  }, [videoRef, manifestUrl, start, autoPlay, posterUrl, setAdBreak]);

  const setLevel = useCallback((index: number) => {
    if (hlsRef.current) hlsRef.current.currentLevel = index;
  }, []);
  return { levels, playingHeight, error, setLevel, adBreak };
}
