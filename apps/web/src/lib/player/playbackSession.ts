import type { PlaybackErrorType } from "@marquee/shared";
import { type Beacon, type BeaconKind, newBeaconId, sendBeacon } from "../beacons";
import { trafficOriginOf } from "../trafficSource";
import { type AdBreak, contentTime, inAd } from "./adBreak";
import { hasMediaSource, loadHls } from "./loadHls";
import { playerVersion } from "./playerVersion";
import { QoeMeter, type QoeReport, renditionLabel } from "./qoe";

const HEARTBEAT_MS = 10_000;
/** A session reports at most this many fatal errors, each (type, details) once (a new manifest is a new pipeline that may fail again). */
const MAX_ERROR_BEACONS = 3;
const MEDIA_ERROR_NAMES: Record<number, string> = {
  1: "MEDIA_ERR_ABORTED",
  2: "MEDIA_ERR_NETWORK",
  3: "MEDIA_ERR_DECODE",
  4: "MEDIA_ERR_SRC_NOT_SUPPORTED",
};

/** What a session does with hls.js' events. */
export interface HlsSink {
  /** An hls.js instance attached (its version named): the element's own size and errors are not the rendition's. */
  attached(version: string): void;
  rendition(label: string | null): void;
  fatal(type: PlaybackErrorType, details: string | undefined): void;
}

export interface SessionOptions {
  videoId: string;
  /** The stitched ad break, read at each beacon (it may be learnt after playback starts). */
  ad: () => AdBreak | null;
  /** Whether the player plays without a press: a fatal error before it could is a failed request. */
  autoPlay: () => boolean;
  /** Where beacons go (tests pass their own). */
  send?: typeof sendBeacon;
}

/**
 * One player session on a <video> (usePlaybackBeacons runs one per mount): a `request` at the first
 * play (with the traffic source and the player's version), start on the content's first frame, a
 * heartbeat every ~10 s while playing (and on pause), end on ended, on leaving the page or at
 * `stop()`, and an `error` per fatal playback error; each carries the quality-of-experience deltas
 * since the previous one (qoe.ts). Leaving before the first frame needs nothing more than the
 * request: the rollup sees a request without a start. Leaving during a stitched pre-roll (frames
 * shown, no content start) sends a second `request` with the startup and the figures since.
 * A stitched pre-roll is not the content: positions are content time, and time in the ad is not
 * time watched (its first frame is the session's first frame, though, and its stalls are stalls).
 */
export function startPlaybackSession(
  video: HTMLVideoElement,
  { videoId, ad, autoPlay, send = sendBeacon }: SessionOptions,
): { sink: HlsSink; stop: () => void } {
  const sessionId = crypto.randomUUID();
  const meter = new QoeMeter();
  const clock = () => performance.now();
  // When the event happened, not when this listener got to run: a listener registered earlier on
  // the same event (the pipeline's first-intent wait) may run long synchronous work first, and a
  // startup must not grow or shrink by it. Event.timeStamp is on performance.now()'s clock.
  const at = (e: Event) => {
    const now = clock();
    return e.timeStamp > 0 && e.timeStamp <= now ? e.timeStamp : now;
  };
  let started = false;
  let ended = false;
  let playedMs = 0;
  let last: number | null = null;
  // Where the playhead was last seen: frames advance when a timeupdate finds it further on (the
  // first frame may show so before its `playing` event is dispatched, on a busy main thread).
  let lastSeen = video.currentTime;
  let timer: ReturnType<typeof setInterval> | null = null;
  let hlsSeen = false;
  let version: string | undefined;
  // The request waits (briefly) for the player's version: hls.js is on its way at the first play.
  let pendingRequest: Beacon | null = null;
  const errorsSent = new Set<string>();

  const positionMs = () => Math.max(0, Math.round(contentTime(video.currentTime, ad()) * 1000));
  const sendRequest = (options: { urgent?: boolean } = {}) => {
    if (!pendingRequest) return;
    const request = pendingRequest;
    pendingRequest = null;
    send(version ? { ...request, playerVersion: version } : request, options);
  };
  const beacon = (
    kind: BeaconKind,
    options: { urgent?: boolean; now?: boolean } = {},
    extra: QoeReport = {},
  ) => {
    // Going with the page (urgent), the request goes along; otherwise it rides with the next batch.
    sendRequest({ urgent: options.urgent });
    const history = kind === "start" || kind === "heartbeat" || kind === "end";
    const played = Math.round(playedMs);
    if (history) playedMs = 0;
    const { qoe, ranges } = meter.take(clock());
    const report = { ...qoe, ...extra };
    // A later `request` is only for its figures: without any it says nothing.
    if (kind === "request" && !Object.keys(report).length && !ranges) return;
    send(
      {
        id: newBeaconId(),
        videoId,
        sessionId,
        kind,
        positionMs: positionMs(),
        ...(kind === "heartbeat" || kind === "end" ? { playedMs: played } : {}),
        occurredAt: new Date().toISOString(),
        ...(kind === "start" && version ? { playerVersion: version } : {}),
        ...(Object.keys(report).length ? { qoe: report } : {}),
        ...(ranges ? { ranges } : {}),
      },
      options,
    );
  };
  const request = (when = clock()) => {
    if (!meter.request(when)) return;
    const origin = trafficOriginOf(videoId);
    pendingRequest = {
      id: newBeaconId(),
      videoId,
      sessionId,
      kind: "request",
      positionMs: positionMs(),
      occurredAt: new Date().toISOString(),
      source: origin.source,
      ...(origin.feedRow ? { feedRow: origin.feedRow } : {}),
    };
    if (version) return sendRequest();
    // loadHls is shared: the pipeline is loading the same module for this play.
    const known = hasMediaSource()
      ? loadHls().then((H) => playerVersion(H.isSupported() ? H.version : null))
      : Promise.resolve(playerVersion(null));
    void known
      .catch(() => undefined)
      .then((v) => {
        version ??= v;
        sendRequest();
      });
  };
  const stopTimer = () => {
    if (timer) clearInterval(timer);
    timer = null;
  };
  const end = (options: { urgent?: boolean } = {}) => {
    stopTimer();
    meter.halt(clock());
    if (started && !ended) {
      ended = true;
      beacon("end", options);
    } else if (!started && meter.firstFrameSeen) {
      // Left during a stitched pre-roll: frames were shown (the startup is the session's) but no
      // content `start` will carry it. A second `request` changes no history and the rollup takes the
      // session's first startupMs, so this is no exit before start. Sent only with figures to tell.
      beacon("request", options);
    } else sendRequest(options);
  };
  // The pre-roll is not the content: the session starts (and reports) once the content plays,
  // so leaving during the ad never moves the profile's resume point.
  const inAdNow = () => inAd(video.currentTime, ad());
  const begin = () => {
    if (!started && !inAdNow()) {
      started = true;
      beacon("start");
    }
  };
  const fatal = (type: PlaybackErrorType, details: string | undefined) => {
    const key = `${type}:${details ?? ""}`;
    if (errorsSent.has(key) || errorsSent.size >= MAX_ERROR_BEACONS) return;
    errorsSent.add(key);
    if (autoPlay()) request();
    beacon("error", {}, { error: { type, ...(details ? { details } : {}) } });
  };
  const sink: HlsSink = {
    attached(v) {
      hlsSeen = true;
      version ??= v;
    },
    rendition: (label) => meter.rendition(clock(), label),
    fatal,
  };
  // A seek, or the pipeline reset under the element (a new manifest): not time played, not a stall.
  const seekingOrReset = (e: Event) => {
    meter.seeking(at(e));
    last = null;
    // The seek's target (0 after a reset): the timeupdate that ends the seek is not frames advancing.
    lastSeen = video.currentTime;
  };
  // Where the browser plays HLS itself, the element's size is the rendition's.
  const nativeRendition = (e: Event) => {
    if (!hlsSeen) meter.rendition(at(e), renditionLabel(video.videoHeight));
  };
  const listeners: [string, (e: Event) => void][] = [
    ["play", (e) => request(at(e))],
    [
      "playing",
      (e) => {
        meter.progress(at(e));
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
      (e) => {
        const now = video.currentTime;
        const steady = !video.seeking && !video.paused;
        if (steady && now > lastSeen) meter.progress(at(e));
        lastSeen = now;
        const pre = ad();
        if (last !== null && steady && !inAd(last, pre) && !inAd(now, pre)) {
          const delta = now - last;
          // Only steady forward play counts (a seek is a jump, not time watched).
          if (delta > 0 && delta < 2) {
            playedMs += delta * 1000;
            meter.played(contentTime(last, pre) * 1000, contentTime(now, pre) * 1000);
          }
        }
        last = now;
        if (!video.paused) begin();
      },
    ],
    [
      "waiting",
      (e) => {
        meter.waiting(at(e), video.seeking);
        // Frames advance again only past where it stalled (a timeupdate may still say where it stopped).
        lastSeen = video.currentTime;
      },
    ],
    [
      "pause",
      (e) => {
        meter.halt(at(e));
        stopTimer();
        if (started && !video.ended && !inAdNow()) beacon("heartbeat", { now: true });
      },
    ],
    ["seeking", seekingOrReset],
    ["emptied", seekingOrReset],
    ["loadedmetadata", nativeRendition],
    ["resize", nativeRendition],
    [
      "error",
      () => {
        // With hls.js its ERROR event tells (and it may recover); the element's own is the native player's.
        const code = video.error?.code;
        if (!hlsSeen && code) fatal("mediaElementError", MEDIA_ERROR_NAMES[code]);
      },
    ],
    ["ended", () => end()],
  ];
  const onPageHide = () => end({ urgent: true });
  for (const [type, listener] of listeners) video.addEventListener(type, listener);
  if (typeof window !== "undefined") window.addEventListener("pagehide", onPageHide);
  return {
    sink,
    stop() {
      for (const [type, listener] of listeners) video.removeEventListener(type, listener);
      if (typeof window !== "undefined") window.removeEventListener("pagehide", onPageHide);
      end();
    },
  };
}
