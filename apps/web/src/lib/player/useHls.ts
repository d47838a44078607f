import Hls, { type ErrorData } from "hls.js";
import { type RefObject, useCallback, useEffect, useRef, useState } from "react";

export interface Level {
  index: number;
  height: number;
}

export interface HlsPlayback {
  /** The renditions of the ladder (none where the browser plays HLS itself). */
  levels: Level[];
  /** The height of the rendition on screen. */
  playingHeight: number | null;
  error: string | null;
  /** -1 = automatic (ABR); a level index pins that rendition. */
  setLevel: (index: number) => void;
}

/**
 * The media pipeline: hls.js attached to the <video> (or the browser's own HLS in Safari), starting
 * at `start` seconds; media errors are recovered twice, network errors retried.
 */
export function useHls(
  videoRef: RefObject<HTMLVideoElement | null>,
  manifestUrl: string,
  { start, autoPlay }: { start: number; autoPlay: boolean },
): HlsPlayback {
  const hlsRef = useRef<Hls | null>(null);
  const [levels, setLevels] = useState<Level[]>([]);
  const [playingHeight, setPlayingHeight] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    setError(null);
    setLevels([]);
    if (Hls.isSupported()) {
      const hls = new Hls({ startPosition: start, capLevelToPlayerSize: false });
      hlsRef.current = hls;
      let mediaRecoveries = 0;
      hls.on(Hls.Events.MANIFEST_PARSED, (_e, data) => {
        setLevels(data.levels.map((l, index) => ({ index, height: l.height })));
        if (autoPlay) void video.play().catch(() => undefined);
      });
      hls.on(Hls.Events.LEVEL_SWITCHED, (_e, data) => {
        setPlayingHeight(hls.levels[data.level]?.height ?? null);
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
      hls.loadSource(manifestUrl);
      hls.attachMedia(video);
      return () => {
        hls.destroy();
        hlsRef.current = null;
      };
    }
    if (video.canPlayType("application/vnd.apple.mpegurl")) {
      // Safari plays HLS itself (quality is automatic there).
      video.src = manifestUrl;
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
  }, [videoRef, manifestUrl, start, autoPlay]);

  const setLevel = useCallback((index: number) => {
    if (hlsRef.current) hlsRef.current.currentLevel = index;
  }, []);
  return { levels, playingHeight, error, setLevel };
}
