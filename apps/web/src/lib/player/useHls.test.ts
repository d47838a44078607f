import { type ErrorData, ErrorTypes, Events } from "hls.js";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { HlsClass } from "./loadHls";
import { failureOf } from "./qoe";
import { attachHls, MEDIA_RECOVERIES, NETWORK_RETRY_MS, type PlaybackError } from "./useHls";

/** hls.js as attachHls uses it: events in, recoveries and loads out. */
class FakeHls {
  static Events = Events;
  static ErrorTypes = ErrorTypes;
  static last: FakeHls | null = null;
  levels: { height: number }[] = [];
  handlers = new Map<string, ((event: string, data: unknown) => void)[]>();
  recoverMediaError = vi.fn();
  startLoad = vi.fn();
  stopLoad = vi.fn();
  constructor() {
    FakeHls.last = this;
  }
  on(event: string, handler: (event: string, data: unknown) => void) {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), handler]);
  }
  emit(event: string, data: unknown = {}) {
    for (const handler of this.handlers.get(event) ?? []) handler(event, data);
  }
  loadSource() {}
  attachMedia() {}
}

let errors: (PlaybackError | null)[];
let gaveUp: ErrorData[];
let hls: FakeHls;

const fatal = (type: string, details: string) =>
  hls.emit(Events.ERROR, { type, details, fatal: true } as unknown as ErrorData);

beforeEach(() => {
  vi.useFakeTimers();
  errors = [];
  gaveUp = [];
  attachHls(
    FakeHls as unknown as HlsClass,
    {} as HTMLVideoElement,
    "https://edge.test/master.m3u8",
    { start: 0, autoPlay: false },
    {
      setLevels: () => undefined,
      setPlayingHeight: () => undefined,
      setError: (e) => errors.push(e),
      setAdBreak: () => undefined,
      gaveUp: (e) => gaveUp.push(e),
    },
  );
  hls = FakeHls.last as FakeHls;
});
afterEach(() => {
  vi.useRealTimers();
});

describe("attachHls gives up only when it no longer recovers", () => {
  it("recovers media errors twice; the third is the failure, told once", () => {
    for (let i = 0; i < MEDIA_RECOVERIES; i++) fatal(ErrorTypes.MEDIA_ERROR, "bufferAppendError");
    expect(hls.recoverMediaError).toHaveBeenCalledTimes(MEDIA_RECOVERIES);
    expect(gaveUp).toEqual([]);
    fatal(ErrorTypes.MEDIA_ERROR, "bufferAppendError");
    expect(gaveUp.map((e) => e.details)).toEqual(["bufferAppendError"]);
    expect(errors.at(-1)).toEqual({ kind: "failed", details: "bufferAppendError" });
    expect(hls.stopLoad).toHaveBeenCalled();
    fatal(ErrorTypes.MEDIA_ERROR, "bufferAppendError");
    expect(gaveUp).toHaveLength(1);
  });

  it("retries a network error; one that a fragment followed was recovered, one whose retry failed too is the failure", () => {
    fatal(ErrorTypes.NETWORK_ERROR, "fragLoadError");
    expect(errors.at(-1)).toEqual({ kind: "retrying" });
    vi.advanceTimersByTime(NETWORK_RETRY_MS);
    expect(hls.startLoad).toHaveBeenCalledTimes(1);
    hls.emit(Events.FRAG_LOADED);
    expect(errors.at(-1)).toBeNull();
    // Later, the network drops again: retried again, not a failure.
    fatal(ErrorTypes.NETWORK_ERROR, "fragLoadError");
    expect(gaveUp).toEqual([]);
    vi.advanceTimersByTime(NETWORK_RETRY_MS);
    expect(hls.startLoad).toHaveBeenCalledTimes(2);
    // The retry fails as well: given up.
    fatal(ErrorTypes.NETWORK_ERROR, "fragLoadTimeOut");
    expect(gaveUp.map((e) => e.details)).toEqual(["fragLoadTimeOut"]);
    expect(errors.at(-1)).toEqual({ kind: "failed", details: "fragLoadTimeOut" });
    vi.advanceTimersByTime(10 * NETWORK_RETRY_MS);
    expect(hls.startLoad).toHaveBeenCalledTimes(2);
  });

  it("gives up at once on other fatal errors, and never on non-fatal ones", () => {
    hls.emit(Events.ERROR, { type: ErrorTypes.NETWORK_ERROR, details: "fragLoadError", fatal: false });
    expect(errors).toEqual([]);
    fatal(ErrorTypes.KEY_SYSTEM_ERROR, "keySystemNoKeys");
    expect(gaveUp.map((e) => e.type)).toEqual([ErrorTypes.KEY_SYSTEM_ERROR]);
  });

  it("drops a pending retry when the instance goes", () => {
    fatal(ErrorTypes.NETWORK_ERROR, "manifestLoadError");
    hls.emit(Events.DESTROYING);
    vi.advanceTimersByTime(NETWORK_RETRY_MS);
    expect(hls.startLoad).not.toHaveBeenCalled();
  });
});

describe("a given-up error as the beacon's", () => {
  it("keeps hls.js' error type, and cleans the details", () => {
    expect(failureOf({ type: ErrorTypes.MEDIA_ERROR, details: "bufferAppendError" } as ErrorData)).toEqual([
      "mediaError",
      "bufferAppendError",
    ]);
    expect(failureOf({ type: "weird" as ErrorTypes, details: "a b" } as unknown as ErrorData)[0]).toBe(
      "otherError",
    );
  });
});
