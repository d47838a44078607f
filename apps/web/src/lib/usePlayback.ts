import { ApiProblem, api, must } from "../api/client";
import type { Playback, Video } from "../api/types";
import { useSession } from "./session";
import { useInterval } from "./useInterval";
import { useLoad } from "./useLoad";

const WAIT_POLL_MS = 3_000;

export interface WatchState {
  video: Video | null;
  playback: Playback | null;
  /** Where to resume, from the profile's history (0 when none or finished). Null until known. */
  startMs: number | null;
  /** Not playable yet: the processing percentage while we wait for the first segments. */
  waitingPercent: number | null;
  /** Processing failed: the reason the pipeline gave (null when it gave none). */
  failed: { reason: string | null } | null;
  /** The API's problem (not found, private, premium required…) or a network failure. */
  error: unknown;
  /** Asks again for everything (after an error). */
  reload: () => void;
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

/** The playback URLs, or (409: not playable yet) the video as it is while its first segments are made. */
async function playbackOrWait(videoId: string): Promise<{ playback: Playback } | { waiting: Video | null }> {
  const path = { videoId };
  try {
    return { playback: await must(api.GET("/api/v1/videos/{videoId}/playback", { params: { path } })) };
  } catch (err) {
    if (!(err instanceof ApiProblem && err.problem.status === 409)) throw err;
    return {
      waiting: await must(api.GET("/api/v1/videos/{videoId}", { params: { path } })).catch(() => null),
    };
  }
}

/**
 * Everything the player needs: the video, its playback URLs (waiting, with the processing
 * percentage, while it is not playable yet) and the resume position. The three reads are
 * independent: they go at once (one round trip before playback, not three).
 */
export function usePlayback(videoId: string, options: { resume?: boolean } = {}): WatchState {
  const s = useSession();
  const resume = options.resume !== false && Boolean(s?.profileId);
  const path = { videoId };
  const video = useLoad(() => must(api.GET("/api/v1/videos/{videoId}", { params: { path } })), [videoId]);
  const start = useLoad(() => (resume ? resumePosition(videoId) : Promise.resolve(0)), [videoId, resume]);
  const playback = useLoad(() => playbackOrWait(videoId), [videoId]);

  const waiting = playback.data && "waiting" in playback.data ? playback.data.waiting : undefined;
  const failed = waiting?.status === "failed" ? waiting : null;
  useInterval(playback.reload, waiting !== undefined && !failed ? WAIT_POLL_MS : null);

  return {
    video: video.data ?? waiting ?? null,
    playback: playback.data && "playback" in playback.data ? playback.data.playback : null,
    startMs: start.data ?? null,
    waitingPercent: waiting !== undefined && !failed ? (waiting?.progress ?? 0) : null,
    failed: failed ? { reason: failed.failureReason } : null,
    error: video.error ?? playback.error,
    reload: () => {
      video.reload();
      start.reload();
      playback.reload();
    },
  };
}
