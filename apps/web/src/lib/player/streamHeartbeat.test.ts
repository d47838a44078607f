import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createStreamHeartbeat, type StreamGrant, type StreamTransport } from "./streamHeartbeat";

/** A transport that records every call; each answer can be set per test. */
function fakeTransport() {
  const calls: string[] = [];
  let heartbeatAnswer: () => Promise<"ok" | "lapsed"> = async () => "ok";
  let reissueAnswer: (streamId: string) => Promise<StreamGrant | null> = async () => ({
    streamId: "stream_new",
    heartbeatSeconds: 30,
  });
  const transport: StreamTransport = {
    heartbeat: (id) => {
      calls.push(`heartbeat ${id}`);
      return heartbeatAnswer();
    },
    reissue: (id) => {
      calls.push(`reissue ${id}`);
      return reissueAnswer(id);
    },
    release: (id) => {
      calls.push(`release ${id}`);
    },
  };
  return {
    calls,
    transport,
    answerHeartbeat: (f: typeof heartbeatAnswer) => {
      heartbeatAnswer = f;
    },
    answerReissue: (f: typeof reissueAnswer) => {
      reissueAnswer = f;
    },
  };
}

const GRANT = { streamId: "stream_a", heartbeatSeconds: 30 };
const count = (calls: string[], prefix: string) => calls.filter((c) => c.startsWith(prefix)).length;

describe("the player's stream heartbeat", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.parse("2026-01-01T00:00:00Z") });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("beats every heartbeatSeconds while playing, and releases the stream once on stop", async () => {
    const t = fakeTransport();
    const hb = createStreamHeartbeat(GRANT, { transport: t.transport, onRefused: vi.fn(), now: Date.now });
    hb.playing();
    await vi.advanceTimersByTimeAsync(29_000);
    expect(count(t.calls, "heartbeat")).toBe(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(t.calls).toEqual(["heartbeat stream_a"]);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(count(t.calls, "heartbeat")).toBe(3);
    hb.stop();
    hb.stop();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(t.calls.filter((c) => !c.startsWith("heartbeat"))).toEqual(["release stream_a"]);
    expect(count(t.calls, "heartbeat")).toBe(3);
    expect(hb.current()).toBeNull();
  });

  it("keeps the slot through a short pause but lets it lapse after the grace, then re-acquires on play", async () => {
    const t = fakeTransport();
    const hb = createStreamHeartbeat(GRANT, {
      transport: t.transport,
      onRefused: vi.fn(),
      pauseGraceMs: 60_000,
      now: Date.now,
    });
    hb.playing();
    await vi.advanceTimersByTimeAsync(30_000);
    hb.paused();
    await vi.advanceTimersByTimeAsync(60_000);
    const whilePaused = count(t.calls, "heartbeat");
    expect(whilePaused).toBe(3); // 30 s playing, then 60 s of grace
    await vi.advanceTimersByTimeAsync(300_000);
    expect(count(t.calls, "heartbeat")).toBe(whilePaused); // idle: no more beats
    // Back after the slot lapsed: the edge says 404, so playback is asked for again with the old id.
    t.answerHeartbeat(async () => "lapsed");
    hb.playing();
    await vi.advanceTimersByTimeAsync(0);
    expect(t.calls.slice(-2)).toEqual(["heartbeat stream_a", "reissue stream_a"]);
    expect(hb.current()).toBe("stream_new");
    t.answerHeartbeat(async () => "ok");
    await vi.advanceTimersByTimeAsync(30_000);
    expect(t.calls.at(-1)).toBe("heartbeat stream_new");
  });

  it("a refused re-issue (too_many_streams) stops the beats and reports it; retry resumes", async () => {
    const t = fakeTransport();
    const refused = vi.fn();
    const resumed = vi.fn();
    const hb = createStreamHeartbeat(GRANT, {
      transport: t.transport,
      onRefused: refused,
      onResumed: resumed,
      now: Date.now,
    });
    hb.playing();
    t.answerHeartbeat(async () => "lapsed");
    const problem = new Error("too_many_streams");
    t.answerReissue(async () => {
      throw problem;
    });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(refused).toHaveBeenCalledWith(problem);
    expect(hb.current()).toBeNull();
    const before = t.calls.length;
    await vi.advanceTimersByTimeAsync(300_000);
    expect(t.calls.length).toBe(before);
    t.answerHeartbeat(async () => "ok");
    t.answerReissue(async () => ({ streamId: "stream_b", heartbeatSeconds: 10 }));
    await hb.retry();
    expect(resumed).toHaveBeenCalledOnce();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(t.calls.at(-1)).toBe("heartbeat stream_b");
    // Nothing to release for the refused stream; the granted one is released.
    hb.stop();
    expect(t.calls.filter((c) => c.startsWith("release"))).toEqual(["release stream_b"]);
  });

  it("ended releases at once; playing again acquires a new stream", async () => {
    const t = fakeTransport();
    const hb = createStreamHeartbeat(GRANT, { transport: t.transport, onRefused: vi.fn(), now: Date.now });
    hb.playing();
    hb.ended();
    expect(t.calls).toEqual(["release stream_a"]);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(count(t.calls, "heartbeat")).toBe(0);
    hb.playing();
    await vi.advanceTimersByTimeAsync(0);
    expect(t.calls.at(-1)).toBe("reissue stream_a");
    expect(hb.current()).toBe("stream_new");
    hb.stop();
    expect(t.calls.at(-1)).toBe("release stream_new");
  });

  it("never overlaps heartbeats, and a network failure is retried on the next tick", async () => {
    const t = fakeTransport();
    const pending: { resolve?: (v: "ok") => void } = {};
    t.answerHeartbeat(
      () =>
        new Promise((r) => {
          pending.resolve = r;
        }),
    );
    const hb = createStreamHeartbeat(GRANT, { transport: t.transport, onRefused: vi.fn(), now: Date.now });
    hb.playing();
    await vi.advanceTimersByTimeAsync(90_000);
    expect(count(t.calls, "heartbeat")).toBe(1);
    pending.resolve?.("ok");
    t.answerHeartbeat(async () => {
      throw new Error("offline");
    });
    await vi.advanceTimersByTimeAsync(30_000);
    t.answerHeartbeat(async () => "ok");
    await vi.advanceTimersByTimeAsync(30_000);
    expect(count(t.calls, "heartbeat")).toBe(3);
    expect(count(t.calls, "reissue")).toBe(0);
    hb.stop();
  });

  it("a stream handed over while unmounting is released, not leaked", async () => {
    const t = fakeTransport();
    const pending: { grant?: (g: StreamGrant) => void } = {};
    t.answerHeartbeat(async () => "lapsed");
    t.answerReissue(
      () =>
        new Promise((r) => {
          pending.grant = r;
        }),
    );
    const hb = createStreamHeartbeat(GRANT, { transport: t.transport, onRefused: vi.fn(), now: Date.now });
    hb.playing();
    await vi.advanceTimersByTimeAsync(30_000);
    hb.stop();
    pending.grant?.({ streamId: "stream_late", heartbeatSeconds: 30 });
    await vi.advanceTimersByTimeAsync(0);
    expect(t.calls.filter((c) => c.startsWith("release"))).toEqual([
      "release stream_a",
      "release stream_late",
    ]);
  });
});

describe("the player's stream heartbeat, when asking again fails", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: Date.parse("2026-01-01T00:00:00Z") });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("a blip while re-acquiring is retried on the next tick, not reported as a refusal", async () => {
    const t = fakeTransport();
    const refused = vi.fn();
    t.answerHeartbeat(async () => "lapsed");
    let fail = true;
    t.answerReissue(async () => {
      if (fail) throw new TypeError("network");
      return { streamId: "stream_c", heartbeatSeconds: 30 };
    });
    const hb = createStreamHeartbeat(GRANT, {
      transport: t.transport,
      onRefused: refused,
      isRefusal: (e) => !(e instanceof TypeError),
      now: Date.now,
    });
    hb.playing();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(count(t.calls, "reissue")).toBe(1);
    expect(refused).not.toHaveBeenCalled();
    fail = false;
    await vi.advanceTimersByTimeAsync(30_000);
    expect(count(t.calls, "reissue")).toBe(2);
    expect(hb.current()).toBe("stream_c");
    hb.stop();
  });
});
