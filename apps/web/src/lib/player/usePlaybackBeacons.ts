import type Hls from "hls.js";
import { type RefObject, useCallback, useEffect, useRef } from "react";
import type { AdBreak } from "./adBreak";
import type { HlsClass } from "./loadHls";
import { type HlsSink, startPlaybackSession } from "./playbackSession";
import { playerVersion } from "./playerVersion";
import { failureOf, renditionLabel } from "./qoe";
import type { HlsPipeline } from "./useHls";

export interface PlaybackBeacons {
  /**
   * Give it each hls.js instance as it attaches (useHls' `onAttach`): its level switches count, and
   * the pipeline giving up is the view's failure (a fatal error hls.js recovers from is not).
   */
  observeHls: (hls: Hls, HlsJs: HlsClass, pipeline?: HlsPipeline) => void;
}

/**
 * Beacons for the history API and analytics (playbackSession.ts: request, start, heartbeats, end,
 * errors, with their quality-of-experience figures), one session per mount of the player.
 * A stitched pre-roll (`adRef`, read at each beacon) is not the content.
 * `autoPlay`: the player plays without a press.
 */
export function usePlaybackBeacons(
  videoRef: RefObject<HTMLVideoElement | null>,
  videoId: string,
  adRef?: RefObject<AdBreak | null>,
  { autoPlay = false }: { autoPlay?: boolean } = {},
): PlaybackBeacons {
  // The session on screen, for hls.js' events (an instance may outlive a session, or come before it).
  const sink = useRef<HlsSink | null>(null);
  const autoPlayRef = useRef(autoPlay);
  autoPlayRef.current = autoPlay;

  useEffect(() => {
    const video = videoRef.current;
    if (!video) return;
    const session = startPlaybackSession(video, {
      videoId,
      ad: () => adRef?.current ?? null,
      autoPlay: () => autoPlayRef.current,
    });
    sink.current = session.sink;
    return () => {
      session.stop();
      if (sink.current === session.sink) sink.current = null;
    };
  }, [videoRef, videoId, adRef]);

  const observeHls = useCallback((hls: Hls, HlsJs: HlsClass, pipeline?: HlsPipeline) => {
    sink.current?.attached(playerVersion(HlsJs.version));
    hls.on(HlsJs.Events.LEVEL_SWITCHED, (_e, data) => {
      sink.current?.rendition(renditionLabel(hls.levels[data.level]?.height));
    });
    pipeline?.onGiveUp((error) => {
      const [type, details] = failureOf(error);
      sink.current?.fatal(type, details);
    });
  }, []);
  return { observeHls };
}
