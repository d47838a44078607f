import { useEffect, useState } from "react";
import { ApiProblem, api, must } from "../api/client";
import type { Playback, Video } from "../api/types";
import { useSession } from "./session";

const WAIT_POLL_MS = 3_000;

export interface WatchState {
  video: Video | null;
  playback: Playback | null;
  /** Where to resume, from the profile's history (0 when none or finished). Null until known. */
  startMs: number | null;
  /** Not playable yet: the processing percentage while we wait for the first segments. */
  waitingPercent: number | null;
  error: unknown;
}

/** Where the active profile stopped watching this video (0 if never, or if it finished it). */
async function resumePosition(videoId: string): Promise<number> {
  try {
    const entry = await must(api.GET("/api/v1/me/history/{videoId}", { params: { path: { videoId } } }));
    return entry.completed ? 0 : entry.positionMs;
  } catch {
    return 0;
  }
}

/**
 * Everything the player needs: the video, its playback URLs (waiting, with the processing
 * percentage, while it is not playable yet) and the resume position.
 */
export function usePlayback(videoId: string, options: { resume?: boolean } = {}): WatchState {
  const s = useSession();
  const resume = options.resume !== false && Boolean(s?.profileId);
  const [state, setState] = useState<WatchState>({
    video: null,
    playback: null,
    startMs: null,
    waitingPercent: null,
    error: null,
  });

  useEffect(() => {
    let live = true;
    let timer: ReturnType<typeof setTimeout> | null = null;
    setState({ video: null, playback: null, startMs: null, waitingPercent: null, error: null });
    const path = { videoId };

    const loadPlayback = async (): Promise<void> => {
      try {
        const playback = await must(api.GET("/api/v1/videos/{videoId}/playback", { params: { path } }));
        if (live) setState((st) => ({ ...st, playback, waitingPercent: null }));
      } catch (err) {
        if (!live) return;
        if (err instanceof ApiProblem && err.problem.status === 409) {
          // Not playable yet: wait for the first segments of every rung.
          const video = await must(api.GET("/api/v1/videos/{videoId}", { params: { path } })).catch(
            () => null,
          );
          if (!live) return;
          if (video?.status === "failed") {
            setState((st) => ({
              ...st,
              video,
              error: new Error(video.failureReason ?? "Processing failed"),
            }));
            return;
          }
          setState((st) => ({ ...st, video: video ?? st.video, waitingPercent: video?.progress ?? 0 }));
          timer = setTimeout(loadPlayback, WAIT_POLL_MS);
        } else {
          setState((st) => ({ ...st, error: err }));
        }
      }
    };

    // The three reads are independent: ask for them at once (one round trip before playback, not three).
    must(api.GET("/api/v1/videos/{videoId}", { params: { path } })).then(
      (video) => live && setState((st) => ({ ...st, video })),
      (error: unknown) => live && setState((st) => ({ ...st, error })),
    );
    void (resume ? resumePosition(videoId) : Promise.resolve(0)).then(
      (startMs) => live && setState((st) => ({ ...st, startMs })),
    );
    void loadPlayback();
    return () => {
      live = false;
      if (timer) clearTimeout(timer);
    };
  }, [videoId, resume]);

  return state;
}
