import { type RefObject, useEffect } from "react";
import { type BeaconKind, newBeaconId, sendBeacon } from "../beacons";

const HEARTBEAT_MS = 10_000;

/**
 * Beacons for the history API from the <video>'s events: start on the first play, a heartbeat
 * every ~10 s while playing (and on pause), end on ended, on leaving the page or on unmount.
 */
export function usePlaybackBeacons(videoRef: RefObject<HTMLVideoElement | null>, videoId: string): void {
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
          positionMs: Math.max(0, Math.round(video.currentTime * 1000)),
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
    const listeners: [string, () => void][] = [
      [
        "playing",
        () => {
          last = video.currentTime;
          if (!started) {
            started = true;
            beacon("start");
          }
          ended = false;
          timer ??= setInterval(() => beacon("heartbeat"), HEARTBEAT_MS);
        },
      ],
      [
        "timeupdate",
        () => {
          const now = video.currentTime;
          if (last !== null && !video.seeking && !video.paused) {
            const delta = now - last;
            // Only steady forward play counts (a seek is a jump, not time watched).
            if (delta > 0 && delta < 2) playedMs += delta * 1000;
          }
          last = now;
        },
      ],
      [
        "pause",
        () => {
          stopTimer();
          if (started && !video.ended) beacon("heartbeat", { now: true });
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
  }, [videoRef, videoId]);
}
