/**
 * Sessions and buckets from generated beacons with known watch patterns: the retention curve,
 * watch time and the QoE figures come out exactly; merges equal the bucket of the union.
 */
import { describe, expect, it } from "vitest";
import { bucketFromRows, bucketFromSessions, bucketRows, isEmptyBucket, mergeBuckets } from "./buckets";
import { MAX_DIM_VALUES, OTHER_VALUE } from "./cap-dims";
import { quantileOf } from "./histogram";
import { estimate } from "./hll";
import { HOUR_MS, MAX_SESSION_SPAN_MS, type RawBeacon, sessionsOf } from "./sessions";

const T0 = Date.UTC(2026, 0, 5, 10); // an hour's start
const VIDEO = "vid_x";

function row(p: Partial<RawBeacon> & Pick<RawBeacon, "profileId" | "sessionId" | "kind">): RawBeacon {
  return {
    videoId: VIDEO,
    positionMs: 0,
    playedMs: 0,
    occurredAt: T0,
    qoe: null,
    country: null,
    device: null,
    ...p,
  };
}

/** A viewer who plays from 0 to `untilMs` in 10 s heartbeats, with ranges, as the web player does. */
function watched(profileId: string, untilMs: number, at = T0, extra: Partial<RawBeacon> = {}): RawBeacon[] {
  const sessionId = `s-${profileId}`;
  const out = [
    row({ profileId, sessionId, kind: "request", occurredAt: at, qoe: JSON.stringify({ source: "search" }) }),
    row({
      profileId,
      sessionId,
      kind: "start",
      occurredAt: at + 500,
      qoe: JSON.stringify({ startupMs: 500 }),
    }),
  ];
  for (let pos = 10_000, prev = 0; prev < untilMs; prev = pos, pos += 10_000) {
    const to = Math.min(pos, untilMs);
    out.push(
      row({
        profileId,
        sessionId,
        kind: "heartbeat",
        positionMs: to,
        playedMs: to - prev,
        occurredAt: at + 500 + to,
        qoe: JSON.stringify({ ranges: [[prev, to]] }),
      }),
    );
  }
  return out.map((r) => ({ ...r, ...extra }));
}

const percent = (retention: number[] | null, views: number) =>
  (retention ?? []).map((c) => (c / views) * 100);

describe("audience retention and watch time", () => {
  it("everyone leaves at 50 %: 100 % for points 0–49, 0 % for 50–99", () => {
    const duration = 100_000;
    const rows = Array.from({ length: 8 }, (_, i) => watched(`p${i}`, 50_000)).flat();
    const b = bucketFromSessions(sessionsOf(rows, duration), duration);
    expect(b.views).toBe(8);
    expect(percent(b.retention, b.views)).toEqual([...Array(50).fill(100), ...Array(50).fill(0)]);
    expect(b.watchMs).toBe(8 * 50_000);
    expect(b.watchMs / b.views).toBe(50_000);
    expect(b.engagedViews).toBe(8);
  });

  it("a drop at 10 s: 100 % for points 0–9, 50 % after", () => {
    const duration = 100_000;
    const rows = [
      ...Array.from({ length: 5 }, (_, i) => watched(`early${i}`, 10_000)),
      ...Array.from({ length: 5 }, (_, i) => watched(`late${i}`, duration)),
    ].flat();
    const b = bucketFromSessions(sessionsOf(rows.reverse(), duration), duration);
    expect(percent(b.retention, b.views)).toEqual([...Array(10).fill(100), ...Array(90).fill(50)]);
    expect(b.watchMs).toBe(5 * 10_000 + 5 * 100_000);
    expect(b.watchMs / b.views).toBe(55_000);
    expect(b.engagedViews).toBe(5);
  });

  it("without ranges a beacon covers [position − played, position]; a rewatch counts once", () => {
    const duration = 60_000;
    const base = { profileId: "old", sessionId: "s1" };
    const rows = [
      row({ ...base, kind: "start", occurredAt: T0 }),
      row({ ...base, kind: "heartbeat", positionMs: 30_000, playedMs: 30_000, occurredAt: T0 + 30_000 }),
      // Seeks back and plays 0–30 s again: still one view at those points.
      row({ ...base, kind: "end", positionMs: 30_000, playedMs: 30_000, occurredAt: T0 + 60_000 }),
    ];
    const b = bucketFromSessions(sessionsOf(rows, duration), duration);
    expect(b.retention).toEqual([...Array(50).fill(1), ...Array(50).fill(0)]);
    expect(b.watchMs).toBe(60_000);
  });

  it("an unknown duration gives no retention", () => {
    const b = bucketFromSessions(sessionsOf(watched("p", 20_000), null), null);
    expect(b.retention).toBeNull();
    expect(b.views).toBe(1);
  });
});

describe("sessions", () => {
  it("attributes a session to the hour of its earliest beacon, whatever order the rows come in", () => {
    const rows = watched("p", 30_000, T0 + HOUR_MS - 5_000); // starts 5 s before the next hour
    const [s] = sessionsOf([...rows].reverse(), 100_000);
    expect(s?.hour).toBe(T0);
    expect(s?.beaconHours).toEqual([T0, T0 + HOUR_MS]);
    expect(sessionsOf(rows, 100_000)).toEqual(sessionsOf([...rows].reverse(), 100_000));
  });

  it("is a view with a request or a start only; takes the first value of each attribute", () => {
    const rows = [
      row({ profileId: "a", sessionId: "hb-only", kind: "heartbeat", playedMs: 5_000, positionMs: 5_000 }),
      row({
        profileId: "b",
        sessionId: "s",
        kind: "request",
        occurredAt: T0 + 2,
        country: "FR",
        device: "mobile",
      }),
      row({ profileId: "b", sessionId: "s", kind: "start", occurredAt: T0 + 1, country: "DE" }),
    ];
    const [a, b] = sessionsOf(rows, 10_000);
    expect(a?.isView).toBe(false);
    expect(b).toMatchObject({
      isView: true,
      country: "DE",
      device: "mobile",
      source: "direct",
      player: "unknown",
    });
    expect(bucketFromSessions(sessionsOf(rows, 10_000), 10_000).views).toBe(1);
  });
});

describe("quality of experience", () => {
  const rows = [
    // Started after 800 ms, two stalls, played at two renditions.
    row({
      profileId: "ok",
      sessionId: "1",
      kind: "request",
      qoe: JSON.stringify({ source: "feed:trending", player: "web-1" }),
    }),
    row({
      profileId: "ok",
      sessionId: "1",
      kind: "start",
      occurredAt: T0 + 800,
      qoe: JSON.stringify({ startupMs: 800 }),
      country: "GB",
      device: "desktop",
    }),
    row({
      profileId: "ok",
      sessionId: "1",
      kind: "heartbeat",
      occurredAt: T0 + 40_000,
      playedMs: 36_000,
      positionMs: 36_000,
      qoe: JSON.stringify({
        rebufferCount: 2,
        rebufferMs: 3_000,
        renditions: { "720p": [30_000, 3_000], "480p": [6_000, 0] },
        startupMs: 9_999, // not the first: ignored
      }),
    }),
    // Left before the first frame.
    row({ profileId: "gone", sessionId: "2", kind: "request" }),
    // Failed before the first frame: a failure, not an exit before start.
    row({ profileId: "err", sessionId: "3", kind: "request" }),
    row({
      profileId: "err",
      sessionId: "3",
      kind: "error",
      occurredAt: T0 + 100,
      qoe: JSON.stringify({ error: "networkError" }),
    }),
  ];
  const b = bucketFromSessions(sessionsOf(rows, 100_000), 100_000);

  it("counts started views, exits before start, failures and rebuffering", () => {
    expect(b).toMatchObject({
      views: 3,
      startedViews: 1,
      exitsBeforeStart: 1,
      failedViews: 1,
      rebufferCount: 2,
      rebufferMs: 3_000,
      watchMs: 36_000,
      engagedViews: 1,
    });
    expect(estimate(b.viewers)).toBe(3);
    expect(quantileOf(b.startup.get("\t") ?? new Map(), 0.5)).toBeGreaterThan(790);
    expect(quantileOf(b.startup.get("\t") ?? new Map(), 0.5)).toBeLessThan(810);
  });

  it("breaks figures down by source, country, device, player and rendition", () => {
    expect(b.dims.get("source\tfeed:trending")).toMatchObject({ views: 1, watchMs: 36_000, startedViews: 1 });
    expect(b.dims.get("source\tdirect")).toMatchObject({ views: 2, exitsBeforeStart: 1, failedViews: 1 });
    expect(b.dims.get("country\tGB")?.views).toBe(1);
    expect(b.dims.get("country\tXX")?.views).toBe(2);
    expect(b.dims.get("device\tdesktop")?.rebufferMs).toBe(3_000);
    expect(b.dims.get("player\tweb-1")?.views).toBe(1);
    expect(b.dims.get("player\tunknown")?.views).toBe(2);
    expect(b.dims.get("rendition\t720p")).toMatchObject({ views: 1, watchMs: 30_000, rebufferMs: 3_000 });
    expect(b.dims.get("rendition\t480p")).toMatchObject({ views: 1, watchMs: 6_000, rebufferMs: 0 });
    expect([...(b.startup.get("country\tGB")?.values() ?? [])]).toEqual([1]);
    expect(b.startup.has("country\tXX")).toBe(false);
  });
});

describe("merges and rows", () => {
  const duration = 100_000;
  const hourA = [...watched("p1", 50_000), ...watched("p2", 100_000)];
  const hourB = [
    ...watched("p1", 10_000, T0 + HOUR_MS).map((r) => ({ ...r, sessionId: "again" })),
    ...watched("p3", 20_000, T0 + HOUR_MS),
  ];
  const a = bucketFromSessions(sessionsOf(hourA, duration), duration);
  const b = bucketFromSessions(sessionsOf(hourB, duration), duration);

  it("a merge equals the bucket of all the sessions", () => {
    const whole = bucketFromSessions(sessionsOf([...hourA, ...hourB], duration), duration);
    expect(mergeBuckets([a, b], true)).toEqual(whole);
    expect(estimate(whole.viewers)).toBe(3);
    const noRetention = mergeBuckets([a, b], false);
    expect(noRetention.retention).toBeNull();
    expect(noRetention.views).toBe(4);
  });

  it("rows round-trip to the same bucket, and the same bucket gives the same rows", () => {
    const key = {
      scope: "video" as const,
      scopeId: VIDEO,
      grain: "hour" as const,
      start: T0,
      channelId: "ch_1",
    };
    const rows = bucketRows(a, key, 42);
    expect(rows.period).toMatchObject({ views: 2, watchMs: 150_000, channelId: "ch_1", computedAt: 42 });
    expect(rows.startup.find((r) => r.dim === "" && r.value === "")?.count).toBe(2);
    const back = bucketFromRows(
      rows.period as Parameters<typeof bucketFromRows>[0],
      rows.dims as Parameters<typeof bucketFromRows>[1],
      rows.startup,
    );
    expect(back).toEqual(a);
    expect(bucketRows(back, key, 42)).toEqual(rows);
  });

  it("a bucket of no views is empty", () => {
    expect(isEmptyBucket(bucketFromSessions([], duration))).toBe(true);
    expect(isEmptyBucket(a)).toBe(false);
  });
});

describe("derived period columns", () => {
  it("writes the viewers estimate and the bucket's own startup median", () => {
    const rows = [...watched("p1", 10_000), ...watched("p2", 10_000, T0 + 1_000)];
    const b = bucketFromSessions(sessionsOf(rows, 100_000), 100_000);
    const key = {
      scope: "video" as const,
      scopeId: VIDEO,
      grain: "hour" as const,
      start: T0,
      channelId: null,
    };
    const { period } = bucketRows(b, key, 1);
    expect(period.viewers).toBe(2);
    expect(period.startupMedianMs).toBe(quantileOf(b.startup.get("\t") ?? new Map(), 0.5));
    expect(period.startupMedianMs).toBeGreaterThan(495);
    expect(period.startupMedianMs).toBeLessThan(505);
    // No startup at all: null, not 0.
    const noStart = [row({ profileId: "x", sessionId: "r", kind: "request" })];
    expect(bucketRows(bucketFromSessions(sessionsOf(noStart, null), null), key, 1).period).toMatchObject({
      viewers: 1,
      startupMedianMs: null,
    });
  });
});

describe("session span", () => {
  it("ignores beacons more than MAX_SESSION_SPAN_MS after the session's earliest", () => {
    const rows = watched("p", 20_000);
    const stale = row({
      profileId: "p",
      sessionId: "s-p",
      kind: "heartbeat",
      occurredAt: T0 + MAX_SESSION_SPAN_MS + 1,
      positionMs: 30_000,
      playedMs: 10_000,
    });
    const atEdge = { ...stale, occurredAt: T0 + MAX_SESSION_SPAN_MS, positionMs: 40_000 };
    const [s] = sessionsOf([...rows, stale], 100_000);
    expect(s?.playedMs).toBe(20_000);
    expect(s?.beaconHours).toEqual([T0]);
    expect(sessionsOf([...rows, atEdge], 100_000)[0]?.playedMs).toBe(30_000);
  });
});

describe("breakdown cardinality", () => {
  // 25 countries, country i with 25 − i views: the top 20 stay, the 5 smallest fold into "other".
  const countries = Array.from({ length: 25 }, (_, i) => `C${String.fromCharCode(65 + i)}`);
  const rows = countries.flatMap((country, i) =>
    Array.from({ length: 25 - i }, (_, j) =>
      watched(`${country}-${j}`, 10_000, T0 + j, { country }).map((r) => ({
        ...r,
        sessionId: `${country}-${j}`,
      })),
    ).flat(),
  );
  const b = bucketFromSessions(sessionsOf(rows, 100_000), 100_000);
  const countryKeys = () => [...b.dims.keys()].filter((k) => k.startsWith("country\t"));

  it(`keeps the top ${MAX_DIM_VALUES} values by views and sums the rest into "${OTHER_VALUE}"`, () => {
    expect(countryKeys()).toHaveLength(MAX_DIM_VALUES + 1);
    expect(b.dims.get("country\tCT")).toMatchObject({ views: 6 });
    expect(b.dims.has("country\tCU")).toBe(false);
    // Folded: CU..CY with 5 + 4 + 3 + 2 + 1 views.
    expect(b.dims.get("country\tother")).toMatchObject({ views: 15, watchMs: 150_000, startedViews: 15 });
    expect([...(b.startup.get("country\tother")?.values() ?? [])].reduce((x, y) => x + y, 0)).toBe(15);
    expect(b.startup.has("country\tCU")).toBe(false);
    // Every total is intact: the sum over the values is the bucket's.
    const sum = [...b.dims].filter(([k]) => k.startsWith("country\t")).reduce((s, [, f]) => s + f.views, 0);
    expect(sum).toBe(b.views);
    // The other dimensions (one value each) are untouched.
    expect(b.dims.get("source\tsearch")?.views).toBe(b.views);
  });

  it("is deterministic (ties by watch time, then value) and idempotent", () => {
    const tie = Array.from({ length: 22 }, (_, i) => `T${String.fromCharCode(65 + i)}`).flatMap(
      (country, i) =>
        watched(`t-${country}`, i === 21 ? 20_000 : 10_000, T0, { country }).map((r) => ({
          ...r,
          sessionId: country,
        })),
    );
    const one = bucketFromSessions(sessionsOf(tie, 100_000), 100_000);
    const two = bucketFromSessions(sessionsOf([...tie].reverse(), 100_000), 100_000);
    expect(one).toEqual(two);
    const kept = [...one.dims.keys()].filter((k) => k.startsWith("country\t")).sort();
    // TV watched most; then TA…TS by value; TT and TU are folded.
    expect(kept).toContain("country\tTV");
    expect(kept).toContain("country\tTS");
    expect(kept).not.toContain("country\tTT");
    expect(one.dims.get("country\tother")?.views).toBe(2);
    expect(mergeBuckets([one], true)).toEqual(one);
  });

  it("merges of capped buckets keep every total exact", () => {
    const merged = mergeBuckets([b, b], true);
    expect(merged.views).toBe(2 * b.views);
    const countrySum = [...merged.dims]
      .filter(([k]) => k.startsWith("country\t"))
      .reduce((s, [, f]) => s + f.views, 0);
    expect(countrySum).toBe(merged.views);
    expect(merged.dims.get("country\tother")?.views).toBe(30);
    // The rows written are capped too, and round-trip.
    const key = {
      scope: "video" as const,
      scopeId: VIDEO,
      grain: "day" as const,
      start: T0,
      channelId: null,
    };
    const made = bucketRows(merged, key, 1);
    expect(made.dims.filter((d) => d.dim === "country")).toHaveLength(MAX_DIM_VALUES + 1);
    expect(
      bucketFromRows(
        made.period as Parameters<typeof bucketFromRows>[0],
        made.dims as Parameters<typeof bucketFromRows>[1],
        made.startup,
      ),
    ).toEqual(merged);
  });
});
