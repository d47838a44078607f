import { type RefObject, useEffect } from "react";
import { type BeaconKind, newBeaconId, sendBeacon } from "../beacons";
import { type AdBreak, contentTime, inAd } from "./adBreak";

const HEARTBEAT_MS = 10_000;

/**
 * Beacons for the history API from the <video>'s events: start on the first play, a heartbeat
 * every ~10 s while playing (and on pause), end on ended, on leaving the page or on unmount.
 * A stitched pre-roll (`adRef`, read at each beacon: it may be learnt after playback starts) is
 * not the content: positions are content time, and time spent in the ad is not time watched.
 */
export function usePlaybackBeacons(
  videoRef: RefObject<HTMLVideoElement | null>,
  videoId: string,
  adRef?: RefObject<AdBreak | null>,
): void {
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
          videoId,
          sessionId,
          kind,
          positionMs: Math.max(0, Math.round(contentTime(video.currentTime, adRef?.current ?? null) * 1000)),
          ...(kind === "start" ? {} : { playedMs: played }),
          occurredAt: new Date().toISOString(),
        },
        options,
      );
    };
    const stopTimer = () => {
      if (timer) clearInterval(timer);
      timer = null;
    };
    const end = (options: { urgent?: boolean } = {}) => {
      stopTimer();
      if (started && !ended) {
        ended = true;
        beacon("end", options);
      }
    };
    // The pre-roll is not the content: the session starts (and reports) once the content plays,
    // so leaving during the ad never moves the profile's resume point.
    const inAdNow = () => inAd(video.currentTime, adRef?.current ?? null);
    const begin = () => {
      if (!started && !inAdNow()) {
        started = true;
        beacon("start");
      }
    };
    const listeners: [string, () => void][] = [
      [
        "playing",
        () => {
          last = video.currentTime;
          begin();
          ended = false;
          timer ??= setInterval(() => {
            if (started && !inAdNow()) beacon("heartbeat");
          }, HEARTBEAT_MS);
        },
      ],
      [
        "timeupdate",
        () => {
          const now = video.currentTime;
          const ad = adRef?.current ?? null;
          if (last !== null && !video.seeking && !video.paused && !inAd(last, ad) && !inAd(now, ad)) {
            const delta = now - last;
            // Only steady forward play counts (a seek is a jump, not time watched).
            if (delta > 0 && delta < 2) playedMs += delta * 1000;
          }
          last = now;
          if (!video.paused) begin();
        },
      ],
      [
        "pause",
        () => {
          stopTimer();
          if (started && !video.ended && !inAdNow()) beacon("heartbeat", { now: true });
        },
      ],
      [
        "seeking",
        () => {
          last = null;
        },
      ],
      ["ended", () => end()],
    ];
    const onPageHide = () => end({ urgent: true });
    for (const [type, listener] of listeners) video.addEventListener(type, listener);
    window.addEventListener("pagehide", onPageHide);
    return () => {
      for (const [type, listener] of listeners) video.removeEventListener(type, listener);
      window.removeEventListener("pagehide", onPageHide);
      end();
    };
  }, [videoRef, videoId, adRef]);
}
