import { type RefObject, useEffect, useRef, useState } from "react";
import { ApiProblem, api, must } from "../../api/client";
import type { Playback } from "../../api/types";
import { session } from "../session";
import {
  createStreamHeartbeat,
  type StreamGrant,
  type StreamHeartbeat,
  type StreamTransport,
} from "./streamHeartbeat";

/** Ends a stream so that it survives the page going away (see release below). */
function releaseStream(streamId: string): void {
  const token = session.accessToken();
  if (!token) return;
  // Not the typed client: on pagehide the request must leave in this task, with the token
  // (sendBeacon cannot set headers), and keepalive lets it outlive the page. Same as lib/beacons.ts.
  void fetch(`/api/v1/playback/streams/${encodeURIComponent(streamId)}`, {
    method: "DELETE",
    keepalive: true,
    headers: { authorization: `Bearer ${token}` },
  }).catch(() => undefined);
}

function transportFor(videoId: string, onPlayback: (p: Playback) => void): StreamTransport {
  return {
    async heartbeat(streamId) {
      const { response } = await api.POST("/api/v1/playback/streams/{streamId}/heartbeat", {
        params: { path: { streamId } },
      });
      if (response.ok) return "ok";
      if (response.status === 404) return "lapsed";
      throw new Error(`heartbeat answered ${response.status}`);
    },
    async reissue(streamId) {
      const playback = await must(
        api.GET("/api/v1/videos/{videoId}/playback", {
          params: { path: { videoId }, query: { streamId } },
        }),
      );
      onPlayback(playback);
      return playback.streamId && playback.heartbeatSeconds
        ? { streamId: playback.streamId, heartbeatSeconds: playback.heartbeatSeconds }
        : null;
    },
    release: releaseStream,
  };
}

export interface StreamState {
  /** The edge refused a stream mid-way (too_many_streams on a re-issue): the problem to show. */
  refused: ApiProblem | null;
  /** Asks for a stream again after a refusal ("Try again"). */
  retry: () => void;
}

/**
 * Holds the playback's concurrent-stream slot while the player is mounted: heartbeats while
 * playing (and a few minutes into a pause), a re-request of playback with `?streamId=` when the
 * slot lapsed, and DELETE (keepalive) on unmount, `ended` and pagehide. A playback without a
 * stream (signed out, or the edge holds none for it) does nothing.
 */
export function useStreamHeartbeat(
  videoRef: RefObject<HTMLVideoElement | null>,
  playback: Playback,
): StreamState {
  const [refused, setRefused] = useState<ApiProblem | null>(null);
  const controller = useRef<StreamHeartbeat | null>(null);
  const { videoId, streamId, heartbeatSeconds } = playback;

  useEffect(() => {
    const video = videoRef.current;
    if (!video || !streamId || !heartbeatSeconds) return;
    const grant: StreamGrant = { streamId, heartbeatSeconds };
    const hb = createStreamHeartbeat(grant, {
      // The re-issued playback's manifest and tokens are the same video's: the player keeps
      // playing what it has; only the stream changes.
      transport: transportFor(videoId, () => undefined),
      // The edge said no (too_many_streams, plan_required); anything else is retried on the next tick.
      isRefusal: (error) => error instanceof ApiProblem && error.problem.status < 500,
      onRefused: (error) => {
        video.pause();
        setRefused(error instanceof ApiProblem ? error : null);
      },
      onResumed: () => setRefused(null),
    });
    controller.current = hb;
    const listeners: [string, () => void][] = [
      ["playing", () => hb.playing()],
      ["pause", () => hb.paused()],
      ["ended", () => hb.ended()],
    ];
    const onPageHide = () => hb.stop();
    for (const [type, listener] of listeners) video.addEventListener(type, listener);
    window.addEventListener("pagehide", onPageHide);
    return () => {
      for (const [type, listener] of listeners) video.removeEventListener(type, listener);
      window.removeEventListener("pagehide", onPageHide);
      hb.stop();
      controller.current = null;
    };
  }, [videoRef, videoId, streamId, heartbeatSeconds]);

  return {
    refused,
    retry: () => void controller.current?.retry(),
  };
}
