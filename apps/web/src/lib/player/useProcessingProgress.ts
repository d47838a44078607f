import { api, must } from "../../api/client";
import type { Playback } from "../../api/types";
import { useInterval } from "../useInterval";
import { useLoad } from "../useLoad";

const PROGRESS_POLL_MS = 3_000;

/** While a video is still processing, polls GET /videos/{id} for its progress until it is ready (or failed). */
export function useProcessingProgress(playback: Playback): { ready: boolean; percent: number } {
  const video = useLoad(
    () => must(api.GET("/api/v1/videos/{videoId}", { params: { path: { videoId: playback.videoId } } })),
    [playback.videoId],
    { enabled: playback.growing },
  );
  const status = video.data?.status;
  const ready = !playback.growing || status === "ready";
  // A failed poll keeps the last known progress; the next poll tries again.
  useInterval(video.reload, ready || status === "failed" ? null : PROGRESS_POLL_MS);
  return { ready, percent: video.data?.progress ?? playback.progress };
}
