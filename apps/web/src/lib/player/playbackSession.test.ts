import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { Beacon } from "../beacons";
import type { AdBreak } from "./adBreak";
import { startPlaybackSession } from "./playbackSession";
import { WEB_PLAYER_VERSION } from "./playerVersion";

// The queue and its network are beacons.ts' business: here, what the session hands it.
vi.mock("../beacons", () => ({ newBeaconId: () => crypto.randomUUID(), sendBeacon: () => undefined }));

/** A <video> as the session sees it: an event target with the state its listeners read. */
class FakeVideo extends EventTarget {
  currentTime = 0;
  paused = true;
  seeking = false;
  ended = false;
  videoHeight = 0;
  error: { code: number } | null = null;
  fire(type: string) {
    // A browser stamps an event when it happens, on performance.now()'s clock (here the faked one).
    const event = new Event(type);
    Object.defineProperty(event, "timeStamp", { value: performance.now() });
    this.dispatchEvent(event);
  }
  /** Plays `seconds` of media in timeupdate steps of 250 ms (the wall clock moving with it). */
  play(seconds: number) {
    for (let i = 0; i < seconds * 4; i++) {
      vi.advanceTimersByTime(250);
      this.currentTime += 0.25;
      this.fire("timeupdate");
    }
  }
}

let sent: Beacon[];
let video: FakeVideo;

function session(options: { ad?: AdBreak | null; autoPlay?: boolean } = {}) {
  return startPlaybackSession(video as unknown as HTMLVideoElement, {
    videoId: "vid_1",
    ad: () => options.ad ?? null,
    autoPlay: () => options.autoPlay ?? false,
    send: (b) => {
      sent.push(b);
    },
  });
}

/** The viewer presses play; the version is known a microtask later; the first frame `afterMs` on. */
async function pressPlay(afterMs: number) {
  video.paused = false;
  video.fire("play");
  await vi.advanceTimersByTimeAsync(0);
  vi.advanceTimersByTime(afterMs);
  video.videoHeight = 720;
  video.fire("loadedmetadata");
  video.fire("playing");
}

const kinds = () => sent.map((b) => b.kind);
const ofKind = (kind: Beacon["kind"]) => sent.filter((b) => b.kind === kind);

beforeEach(() => {
  vi.useFakeTimers({
    toFake: ["setTimeout", "clearTimeout", "setInterval", "clearInterval", "Date", "performance"],
  });
  sent = [];
  video = new FakeVideo();
});
afterEach(() => {
  vi.useRealTimers();
});

describe("a player session's beacons", () => {
  it("sends the request at the play press, then the start with the startup time and the player's version", async () => {
    const s = session();
    await pressPlay(800);
    expect(kinds()).toEqual(["request", "start"]);
    const [request, start] = sent;
    // Off the page (no window here) the traffic source is `other`; trafficSource.test.ts decides the rest.
    expect(request).toMatchObject({ kind: "request", source: "other", positionMs: 0 });
    expect(request?.playerVersion).toBe(`web-${WEB_PLAYER_VERSION}+native`);
    expect(request?.qoe).toBeUndefined();
    expect(start?.qoe?.startupMs).toBe(800);
    expect(start?.playerVersion).toBe(request?.playerVersion);
    expect(Date.parse(request?.occurredAt ?? "")).toBeLessThan(Date.parse(start?.occurredAt ?? ""));
    s.stop();
  });

  it("takes a timeupdate moving on before the `playing` event as the first frame: the start has the startup", async () => {
    const s = session();
    video.paused = false;
    video.fire("play");
    await vi.advanceTimersByTimeAsync(0);
    video.fire("emptied"); // hls.js attaching resets the element
    vi.advanceTimersByTime(600);
    video.currentTime = 0.168;
    video.fire("timeupdate");
    expect(kinds()).toEqual(["request", "start"]);
    expect(ofKind("start")[0]?.qoe?.startupMs).toBe(600);
    video.fire("playing");
    video.play(1);
    s.stop();
    expect(sent.filter((b) => b.qoe?.startupMs !== undefined)).toHaveLength(1);
  });

  it("reports a stall, the time per rendition and the range played on the next heartbeat, and the end", async () => {
    const s = session();
    await pressPlay(500);
    video.play(3);
    video.fire("waiting"); // the buffer ran dry at 3 s
    vi.advanceTimersByTime(1500);
    video.fire("playing");
    video.play(2);
    video.paused = true;
    video.fire("pause");
    const [heartbeat] = ofKind("heartbeat");
    expect(heartbeat?.qoe).toEqual({
      rebufferCount: 1,
      rebufferMs: 1500,
      renditions: { "720p": { playedMs: 5000, rebufferMs: 1500 } },
    });
    // The stall is no gap in the content played.
    expect(heartbeat?.ranges).toEqual([[0, 5000]]);
    expect(heartbeat?.playedMs).toBe(5000);
    expect(heartbeat?.qoe?.startupMs).toBeUndefined();
    s.stop();
    expect(kinds()).toEqual(["request", "start", "heartbeat", "end"]);
    expect(ofKind("end")[0]?.qoe).toBeUndefined();
  });

  it("counts no stall for a seek's waiting, and closes the range at the seek", async () => {
    const s = session();
    await pressPlay(300);
    video.play(2);
    video.seeking = true;
    video.currentTime = 60;
    video.fire("seeking");
    video.fire("waiting");
    vi.advanceTimersByTime(700);
    video.seeking = false;
    video.fire("seeked");
    video.fire("waiting"); // still no data at the new position: part of the seek
    vi.advanceTimersByTime(300);
    video.fire("timeupdate");
    video.play(1);
    vi.advanceTimersByTime(6_000); // the heartbeat timer: 10 s after `playing`
    const [heartbeat] = ofKind("heartbeat");
    expect(heartbeat?.qoe?.rebufferCount).toBeUndefined();
    expect(heartbeat?.ranges).toEqual([
      [0, 2000],
      [60_000, 61_000],
    ]);
    s.stop();
  });

  it("takes the first frame of a stitched pre-roll as the first frame; the start waits for the content", async () => {
    const ad: AdBreak = { id: "ad", start: 0, duration: 2, end: 2, clickUrl: null, title: null };
    const s = session({ ad });
    await pressPlay(400);
    expect(kinds()).toEqual(["request"]);
    video.play(3); // 2 s of ad, then 1 s of content
    expect(kinds()).toEqual(["request", "start"]);
    const [start] = ofKind("start");
    expect(start?.qoe?.startupMs).toBe(400);
    expect(start?.positionMs).toBeLessThanOrEqual(250);
    s.stop();
    // No content range during the ad: the content's first second only.
    const ranges = sent.flatMap((b) => b.ranges ?? []);
    expect(ranges).toEqual([[0, 1000]]);
  });

  it("leaving during a stitched pre-roll reports the startup on a second request: no exit before start", async () => {
    const ad: AdBreak = { id: "ad", start: 0, duration: 5, end: 5, clickUrl: null, title: null };
    const s = session({ ad });
    await pressPlay(700);
    video.play(2); // 2 s of the 5 s ad
    expect(kinds()).toEqual(["request"]);
    s.stop();
    s.stop(); // ended twice (the page hidden, then the player unmounted): one more beacon, not two
    expect(kinds()).toEqual(["request", "request"]);
    const [, late] = sent;
    expect(late?.qoe?.startupMs).toBe(700);
    expect(late?.qoe?.renditions?.["720p"]).toBeDefined();
    expect(late?.playedMs).toBeUndefined();
    expect(late?.ranges).toBeUndefined();
    expect(late?.sessionId).toBe(sent[0]?.sessionId);
  });

  it("sends an error beacon per distinct fatal error, with the figures since the previous beacon", async () => {
    const s = session();
    await pressPlay(200);
    video.play(1);
    s.sink.fatal("networkError", "fragLoadError");
    s.sink.fatal("networkError", "fragLoadError"); // hls.js retrying: the same error again
    s.sink.fatal("mediaError", "bufferStalledError");
    const errors = ofKind("error");
    expect(errors.map((b) => b.qoe?.error)).toEqual([
      { type: "networkError", details: "fragLoadError" },
      { type: "mediaError", details: "bufferStalledError" },
    ]);
    expect(errors[0]?.qoe?.renditions?.["720p"]?.playedMs).toBe(1000);
    expect(errors[0]?.playedMs).toBeUndefined();
    s.stop();
    // The content played is still the history's: the end carries it.
    expect(ofKind("end")[0]?.playedMs).toBe(1000);
  });

  it("leaving before the first frame sends the request only", async () => {
    const s = session();
    video.paused = false;
    video.fire("play");
    s.stop();
    expect(kinds()).toEqual(["request"]);
    await vi.advanceTimersByTimeAsync(0);
    expect(kinds()).toEqual(["request"]);
  });

  it("an autoplay that fails before it could play is a failed request", async () => {
    const s = session({ autoPlay: true });
    s.sink.attached("web-1.0.0+hls-1.7.4");
    s.sink.fatal("networkError", "manifestLoadError");
    expect(kinds()).toEqual(["request", "error"]);
    expect(sent[0]?.playerVersion).toBe("web-1.0.0+hls-1.7.4");
    s.stop();
  });

  it("counts rendition switches from hls.js", async () => {
    const s = session();
    s.sink.attached("web-1.0.0+hls-1.7.4");
    s.sink.rendition("360p");
    await pressPlay(100);
    video.play(1);
    s.sink.rendition("720p");
    video.play(1);
    s.stop();
    const [end] = ofKind("end");
    expect(end?.qoe).toEqual({
      switches: 1,
      renditions: { "360p": { playedMs: 1000, rebufferMs: 0 }, "720p": { playedMs: 1000, rebufferMs: 0 } },
    });
  });
});
