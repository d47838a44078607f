import { useEffect, useRef, useState } from "react";
import { ApiProblem, api, must } from "../api/client";
import type { Playback, Video } from "../api/types";
import { useBilling } from "./billing";
import { firstWatch } from "./firstScreen";
import { limitOf, type PlaybackLimit, upgradeReaches } from "./player/limits";
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
  /** The API's problem (not found, private…) or a network failure; not a plan limit (below). */
  error: unknown;
  /** A plan limit the playback hit: a premium video (upgrade), every stream in use (which ones). */
  limit: PlaybackLimit | null;
  /** The playback arrived because the plan was upgraded while this page was open: play it at once. */
  unlocked: boolean;
  /** The poster to show while the playback is asked for (the edge's first screen had it), else null. */
  posterUrl: string | null;
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

/**
 * The playback URLs, or (409 not playable yet) the video as it is while its first segments are
 * made. A 409 `too_many_streams` is thrown like any other problem: usePlayback reads it as a limit.
 */
async function playbackOrWait(
  videoId: string,
  streamId: string | null,
): Promise<{ playback: Playback } | { waiting: Video | null }> {
  const path = { videoId };
  // Asked again (retry, the wait poll): re-use the stream this page already holds, not a second slot.
  const query = streamId ? { streamId } : {};
  try {
    return {
      playback: await must(api.GET("/api/v1/videos/{videoId}/playback", { params: { path, query } })),
    };
  } catch (err) {
    // 409 is "not playable yet" unless it is the stream limit (a limit, shown as such).
    const notYet =
      err instanceof ApiProblem && err.problem.status === 409 && err.problem.code !== "too_many_streams";
    if (!notYet) throw err;
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
  // Landing on this page, the edge sent the video and its poster with it (lib/firstScreen.ts).
  const first = firstWatch(videoId, s !== null);
  const video = useLoad(() => must(api.GET("/api/v1/videos/{videoId}", { params: { path } })), [videoId], {
    initial: first?.video,
  });
  const start = useLoad(() => (resume ? resumePosition(videoId) : Promise.resolve(0)), [videoId, resume]);
  // The stream the last playback of this video held (the edge re-uses it for `?streamId=`).
  const held = useRef<{ videoId: string; streamId: string } | null>(null);
  const playback = useLoad(async () => {
    const answer = await playbackOrWait(
      videoId,
      held.current?.videoId === videoId ? held.current.streamId : null,
    );
    if ("playback" in answer && answer.playback.streamId)
      held.current = { videoId, streamId: answer.playback.streamId };
    return answer;
  }, [videoId]);

  const waiting = playback.data && "waiting" in playback.data ? playback.data.waiting : undefined;
  const failed = waiting?.status === "failed" ? waiting : null;
  useInterval(playback.reload, waiting !== undefined && !failed ? WAIT_POLL_MS : null);
  const limit = playback.error instanceof ApiProblem ? limitOf(playback.error.problem) : null;
  const current = playback.data && "playback" in playback.data ? playback.data.playback : null;

  // The plan changed (in this tab or another: lib/billing.ts keeps every tab's copy current). A
  // page the old plan held back asks again, re-using its stream: the premium video plays, the
  // capped one gets the taller renditions in a new master URL.
  const { billing } = useBilling();
  const entitlements = billing?.entitlements;
  const [unlockedFor, setUnlockedFor] = useState<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a change of entitlements asks again (an answer that still caps must not loop)
  useEffect(() => {
    if (!entitlements || !upgradeReaches(entitlements, current, limit)) return;
    if (limit) setUnlockedFor(videoId);
    playback.reload();
  }, [entitlements]);

  return {
    video: video.data ?? waiting ?? null,
    playback: current,
    startMs: start.data ?? null,
    waitingPercent: waiting !== undefined && !failed ? (waiting?.progress ?? 0) : null,
    failed: failed ? { reason: failed.failureReason } : null,
    error: video.error ?? (limit ? null : playback.error),
    limit,
    unlocked: unlockedFor === videoId,
    posterUrl: first?.posterUrl ?? null,
    reload: () => {
      video.reload();
      start.reload();
      playback.reload();
    },
  };
}
