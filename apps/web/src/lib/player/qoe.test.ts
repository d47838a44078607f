import { describe, expect, it } from "vitest";
import { playerVersion, WEB_PLAYER_VERSION } from "./playerVersion";
import { errorDetails, MAX_RANGES, MAX_STARTUP_MS, QoeMeter, renditionLabel } from "./qoe";

/** A meter that has been asked to play at 1000 and showed its first frame at 1400 on 720p. */
function playing(): QoeMeter {
  const m = new QoeMeter();
  m.rendition(900, "720p");
  m.request(1000);
  m.progress(1400);
  return m;
}

describe("startup time", () => {
  it("is play request → first frame, reported once on the first take after the first frame", () => {
    const m = new QoeMeter();
    expect(m.request(1000)).toBe(true);
    expect(m.request(1200)).toBe(false);
    expect(m.take(1100)).toEqual({}); // no frame yet: nothing to say
    m.waiting(1150, false); // waiting while starting is startup, not a stall
    m.progress(1850);
    m.progress(1900);
    expect(m.take(2000).qoe?.startupMs).toBe(850);
    expect(m.take(3000).qoe?.startupMs).toBeUndefined();
  });

  it("is left out rather than refused when it took longer than the edge accepts", () => {
    const m = new QoeMeter();
    m.request(0);
    m.progress(MAX_STARTUP_MS + 1);
    expect(m.take(MAX_STARTUP_MS + 2).qoe?.startupMs).toBeUndefined();
  });

  it("is none without a request (frames seen, nothing asked)", () => {
    const m = new QoeMeter();
    m.progress(500);
    expect(m.take(600).qoe?.startupMs).toBeUndefined();
  });
});

describe("rebuffering", () => {
  it("counts a stall after the first frame and times it until frames advance", () => {
    const m = playing();
    m.waiting(5000, false);
    m.progress(7500);
    const { qoe } = m.take(10_000);
    expect(qoe).toMatchObject({ rebufferCount: 1, rebufferMs: 2500 });
    // 720p played 1400 → 5000 and 7500 → 10000, and stalled 2500.
    expect(qoe?.renditions).toEqual({ "720p": { playedMs: 6100, rebufferMs: 2500 } });
  });

  it("does not count the waiting of a seek, nor of a pipeline reset, until frames advance again", () => {
    const m = playing();
    m.seeking(3000);
    m.waiting(3010, true);
    m.waiting(3100, false); // after `seeked`, still waiting for the new position's data
    m.progress(4000);
    const { qoe } = m.take(5000);
    expect(qoe?.rebufferCount).toBeUndefined();
    expect(qoe?.rebufferMs).toBeUndefined();
    expect(qoe?.renditions).toEqual({ "720p": { playedMs: 2600, rebufferMs: 0 } });
  });

  it("counts a waiting once frames advanced after a seek", () => {
    const m = playing();
    m.seeking(3000);
    m.progress(3500);
    m.waiting(4000, false);
    m.progress(4200);
    expect(m.take(5000).qoe).toMatchObject({ rebufferCount: 1, rebufferMs: 200 });
  });

  it("stops timing a stall when the viewer pauses or seeks", () => {
    const paused = playing();
    paused.waiting(2000, false);
    paused.halt(2300);
    expect(paused.take(9000).qoe).toMatchObject({ rebufferCount: 1, rebufferMs: 300 });

    const sought = playing();
    sought.waiting(2000, false);
    sought.seeking(2100);
    sought.waiting(2110, true);
    sought.progress(5000);
    expect(sought.take(6000).qoe).toMatchObject({ rebufferCount: 1, rebufferMs: 100 });
  });

  it("splits a stall across beacons: counted once, its time in each", () => {
    const m = playing();
    m.waiting(2000, false);
    expect(m.take(3000).qoe).toMatchObject({ rebufferCount: 1, rebufferMs: 1000 });
    m.progress(3500);
    const { qoe } = m.take(4000);
    expect(qoe?.rebufferCount).toBe(0);
    expect(qoe?.rebufferMs).toBe(500);
  });

  it("charges the stall to the rendition on screen when it began, even if it switches meanwhile", () => {
    const m = playing();
    m.waiting(2000, false);
    m.rendition(2500, "360p");
    m.progress(3000);
    const { qoe } = m.take(4000);
    expect(qoe?.renditions).toEqual({
      "720p": { playedMs: 600, rebufferMs: 1000 },
      "360p": { playedMs: 1000, rebufferMs: 0 },
    });
    expect(qoe?.switches).toBe(1);
  });

  it("never claims more than the wall time between two takes", () => {
    const m = playing();
    m.take(2000);
    m.waiting(2500, false);
    m.rendition(2600, "480p");
    m.progress(4000);
    m.seeking(5000);
    m.progress(5100);
    m.halt(6000);
    const { qoe } = m.take(7000);
    const claimed = Object.values(qoe?.renditions ?? {}).reduce((s, r) => s + r.playedMs + r.rebufferMs, 0);
    expect(claimed).toBeLessThanOrEqual(5000);
    expect(claimed).toBe(500 + 1500 + 1000 + 900);
  });
});

describe("renditions and switches", () => {
  it("counts switches after the first known rendition, not repeats of the same", () => {
    const m = new QoeMeter();
    m.rendition(0, "360p");
    m.rendition(10, "360p");
    m.rendition(20, "720p");
    m.rendition(30, "1080p");
    expect(m.take(40).qoe?.switches).toBe(2);
    expect(m.take(50).qoe?.switches).toBeUndefined();
  });

  it("labels heights the ladder way", () => {
    expect(renditionLabel(720)).toBe("720p");
    expect(renditionLabel(2160)).toBe("2160p");
    expect(renditionLabel(0)).toBeNull();
    expect(renditionLabel(undefined)).toBeNull();
    expect(renditionLabel(719.5)).toBeNull();
  });
});

describe("played ranges", () => {
  it("joins steady forward play into one range; a seek closes it", () => {
    const m = playing();
    m.played(0, 250.4);
    m.played(250.4, 500);
    m.played(500, 760);
    m.seeking(2000);
    m.played(30_000, 30_250);
    m.played(30_250, 30_500);
    expect(m.take(3000).ranges).toEqual([
      [0, 760],
      [30_000, 30_500],
    ]);
    expect(m.take(4000).ranges).toBeUndefined();
  });

  it("starts afresh after each take (a range per beacon)", () => {
    const m = playing();
    m.played(0, 1000);
    expect(m.take(2000).ranges).toEqual([[0, 1000]]);
    m.played(1000, 2000);
    expect(m.take(3000).ranges).toEqual([[1000, 2000]]);
  });

  it("keeps at most the schema's limit, joining the closest ranges", () => {
    const m = playing();
    for (let i = 0; i <= MAX_RANGES; i++) {
      m.seeking(i);
      // Ranges 1 s apart, but the last two only 10 ms apart.
      const from = i === MAX_RANGES ? i * 2000 - 990 : i * 2000;
      m.played(from, from + 1000);
    }
    const ranges = m.take(100_000).ranges ?? [];
    expect(ranges).toHaveLength(MAX_RANGES);
    expect(ranges.at(-1)).toEqual([(MAX_RANGES - 1) * 2000, MAX_RANGES * 2000 + 10]);
  });

  it("drops the shortest range rather than join ranges far apart (never claims unplayed time)", () => {
    const m = playing();
    for (let i = 0; i <= MAX_RANGES; i++) {
      m.seeking(i);
      // Ranges 60 s apart; the fourth is the shortest.
      const from = i * 60_000;
      m.played(from, from + (i === 3 ? 200 : 1000));
    }
    const ranges = m.take(100_000).ranges ?? [];
    expect(ranges).toHaveLength(MAX_RANGES);
    expect(ranges.some(([from]) => from === 3 * 60_000)).toBe(false);
    expect(ranges.reduce((n, [from, to]) => n + to - from, 0)).toBe(MAX_RANGES * 1000);
  });

  it("ignores nothing-played and backwards pieces", () => {
    const m = playing();
    m.played(500, 500);
    m.played(600, 400);
    expect(m.take(2000).ranges).toBeUndefined();
  });
});

describe("error details", () => {
  it("keeps the schema's alphabet and length", () => {
    expect(errorDetails("manifestLoadError")).toBe("manifestLoadError");
    expect(errorDetails("bad details/with spaces")).toBe("bad_details_with_spaces");
    expect(errorDetails("x".repeat(80))).toHaveLength(64);
    expect(errorDetails("")).toBeUndefined();
    expect(errorDetails(null)).toBeUndefined();
  });
});

describe("the player's version", () => {
  it("names the web player and its engine within the schema's 32 characters", () => {
    expect(playerVersion("1.7.4")).toBe(`web-${WEB_PLAYER_VERSION}+hls-1.7.4`);
    expect(playerVersion(null)).toBe(`web-${WEB_PLAYER_VERSION}+native`);
    expect(playerVersion("1.8.0-beta.2 (canary)")).toMatch(/^[A-Za-z0-9._+-]{1,32}$/);
  });
});
