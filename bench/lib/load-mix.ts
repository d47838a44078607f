// The load benchmark's workload: what viewers and a creator do, as weighted operations of one to
// three requests each. Viewers are seeded profiles with their own tokens and their own addresses
// (cf-connecting-ip), so per-client limits apply per viewer as they would for people in different
// homes. A viewer's writes are never concurrent with each other (its `busy` flag), so its last
// acknowledged reaction is its reaction, and the ledger can be checked exactly afterwards.
import type { Ledger, Recorder } from "./load-record";

export interface Viewer {
  index: number;
  profileId: string;
  token: string;
  ip: string;
  busy: boolean;
  /** The player session its beacons belong to, and what it has sent so far. */
  sessionId: string;
  beacons: number;
  lastBeaconAt: number;
}

/** One rendition a watching viewer plays: its media playlist and segment URLs (init included). */
export interface Watching {
  playlist: string;
  segments: string[];
}

export interface Workload {
  base: string;
  videoId: string;
  viewers: Viewer[];
  watching: Watching[];
  /** The creator's token, for uploads. */
  creatorToken: string;
  /** A small MP4 the uploads send. */
  uploadBytes: Uint8Array;
  words: string[];
  rec: Recorder;
  ledger: Ledger;
  /** The next viewer to ask for playback (each asks once: a stream slot per account); shared by phases. */
  playbackCursor: { next: number };
}

const pick = <T>(xs: readonly T[]): T => xs[Math.floor(Math.random() * xs.length)] as T;

const auth = (v: Viewer, json = false): Record<string, string> => ({
  authorization: `Bearer ${v.token}`,
  "cf-connecting-ip": v.ip,
  ...(json ? { "content-type": "application/json" } : {}),
});

/** An idle viewer (a few tries), marked busy until `fn` ends; nothing when all tried were busy. */
async function asIdleViewer(w: Workload, fn: (v: Viewer) => Promise<void>): Promise<void> {
  for (let i = 0; i < 5; i++) {
    const v = pick(w.viewers);
    if (v.busy) continue;
    v.busy = true;
    try {
      await fn(v);
    } finally {
      v.busy = false;
    }
    return;
  }
}

type Op = (w: Workload) => Promise<void>;

const segment: Op = async (w) => {
  await w.rec.fetch("GET /media segment", pick(pick(w.watching).segments), {}, true);
};

const playlist: Op = async (w) => {
  await w.rec.fetch("GET /media playlist", pick(w.watching).playlist);
};

const playback: Op = async (w) => {
  const v = w.viewers[w.playbackCursor.next++ % w.viewers.length] as Viewer;
  await w.rec.fetch("GET /videos/{id}/playback", `${w.base}/api/v1/videos/${w.videoId}/playback`, {
    headers: auth(v),
  });
};

const beacon: Op = (w) =>
  asIdleViewer(w, async (v) => {
    const now = Date.now();
    const kind = v.beacons === 0 ? "start" : "heartbeat";
    const id = `${v.sessionId}b${v.beacons}`;
    const body = {
      beacons: [
        {
          id,
          videoId: w.videoId,
          sessionId: v.sessionId,
          kind,
          positionMs: Math.min(v.beacons * 1000, 7000),
          playedMs: v.beacons === 0 ? 0 : Math.min(now - v.lastBeaconAt, 10_000),
          occurredAt: new Date(now).toISOString(),
        },
      ],
    };
    const a = await w.rec.fetch("POST /events/playback", `${w.base}/api/v1/events/playback`, {
      method: "POST",
      headers: auth(v, true),
      body: JSON.stringify(body),
    });
    if (a?.status !== 202) return;
    const receipt = JSON.parse(a.text) as { rejected: { id: string }[] };
    if (receipt.rejected.some((r) => r.id === id)) return;
    v.beacons++;
    v.lastBeaconAt = now;
    w.ledger.beacons.push({ profileId: v.profileId, beaconId: id });
  });

const react: Op = (w) =>
  asIdleViewer(w, async (v) => {
    const value = pick(["like", "like", "dislike", null] as const);
    const url = `${w.base}/api/v1/videos/${w.videoId}/reaction`;
    const a =
      value === null
        ? await w.rec.fetch("DELETE /videos/{id}/reaction", url, { method: "DELETE", headers: auth(v) })
        : await w.rec.fetch("PUT /videos/{id}/reaction", url, {
            method: "PUT",
            headers: auth(v, true),
            body: JSON.stringify({ value }),
          });
    if (a === null) w.ledger.unknownReactions.add(v.profileId);
    else if (a.status >= 200 && a.status < 300) w.ledger.reactions.set(v.profileId, value);
  });

const comment: Op = (w) =>
  asIdleViewer(w, async (v) => {
    const a = await w.rec.fetch(
      "POST /videos/{id}/comments",
      `${w.base}/api/v1/videos/${w.videoId}/comments`,
      {
        method: "POST",
        headers: auth(v, true),
        body: JSON.stringify({ body: `A comment under load from viewer ${v.index} (${pick(w.words)})` }),
      },
    );
    if (a?.status === 201) w.ledger.comments.push((JSON.parse(a.text) as { id: string }).id);
  });

const feed: Op = async (w) => {
  await w.rec.fetch("GET /feed", `${w.base}/api/v1/feed`, { headers: auth(pick(w.viewers)) });
};

const search: Op = async (w) => {
  const q = encodeURIComponent(pick(w.words));
  await w.rec.fetch("GET /search", `${w.base}/api/v1/search?q=${q}`, { headers: auth(pick(w.viewers)) });
};

const trending: Op = async (w) => {
  await w.rec.fetch("GET /trending", `${w.base}/api/v1/trending`);
};

const video: Op = async (w) => {
  await w.rec.fetch("GET /videos/{id}", `${w.base}/api/v1/videos/${w.videoId}`);
};

/** A creator's upload: create, the signed PUT of the file, upload-complete (queued for an origin). */
const upload: Op = async (w) => {
  const creator = { authorization: `Bearer ${w.creatorToken}`, "content-type": "application/json" };
  const created = await w.rec.fetch("POST /videos", `${w.base}/api/v1/videos`, {
    method: "POST",
    headers: creator,
    body: JSON.stringify({
      title: `Load upload ${pick(w.words)}`,
      upload: { size: w.uploadBytes.length, contentType: "video/mp4" },
    }),
  });
  if (created?.status !== 201) return;
  const { video: v, upload: u } = JSON.parse(created.text) as {
    video: { id: string };
    upload: { kind: string; url: string; headers?: Record<string, string> };
  };
  if (u.kind !== "single") throw new Error(`expected a single PUT, got ${u.kind}`);
  const put = await w.rec.fetch("PUT /storage (upload)", u.url, {
    method: "PUT",
    headers: u.headers ?? {},
    body: w.uploadBytes,
  });
  if (put?.status !== 200) return;
  const done = await w.rec.fetch(
    "POST /videos/{id}/upload-complete",
    `${w.base}/api/v1/videos/${v.id}/upload-complete`,
    { method: "POST", headers: { authorization: creator.authorization } },
  );
  if (done?.status === 202) w.ledger.uploads.push(v.id);
};

/** The mix, by weight: mostly watching (segments, playlists, beacons), then browsing, then writes. */
const MIX: [Op, number][] = [
  [segment, 30],
  [playlist, 8],
  [playback, 3],
  [beacon, 14],
  [react, 10],
  [comment, 4],
  [feed, 8],
  [search, 8],
  [trending, 5],
  [video, 8],
  [upload, 2],
];
const TOTAL_WEIGHT = MIX.reduce((s, [, weight]) => s + weight, 0);

/** One operation drawn from the mix. */
export function randomOp(): Op {
  let r = Math.random() * TOTAL_WEIGHT;
  for (const [op, weight] of MIX) {
    r -= weight;
    if (r < 0) return op;
  }
  return segment;
}

/** `concurrency` loops of operations back to back for `seconds`: what the platform carries. */
export async function closedLoop(w: Workload, concurrency: number, seconds: number) {
  const until = performance.now() + seconds * 1000;
  const before = w.rec.requests;
  let ops = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        await randomOp()(w);
        ops++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  return { opsPerSecond: ops / elapsed, requestsPerSecond: (w.rec.requests - before) / elapsed };
}

/**
 * Operations started at `rate` per second for `seconds` whether or not earlier ones answered (an
 * open loop: arrivals do not slow down when the platform does, as real viewers don't). Waits for
 * every operation to end (each request answers, hangs past HANG_MS, or fails).
 */
export async function openLoop(w: Workload, rate: number, seconds: number) {
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  const before = w.rec.requests;
  let launched = 0;
  let maxInFlight = 0;
  while (performance.now() - started < seconds * 1000) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    for (; launched < due; launched++) {
      const p: Promise<void> = randomOp()(w)
        .catch((err) => {
          console.error(`operation failed in the bench itself: ${(err as Error).message}`);
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
    maxInFlight = Math.max(maxInFlight, inFlight.size);
    await Bun.sleep(5);
  }
  const offeredSeconds = (performance.now() - started) / 1000;
  await Promise.all(inFlight);
  const drainSeconds = (performance.now() - started) / 1000 - offeredSeconds;
  return {
    opsStarted: launched,
    requests: w.rec.requests - before,
    maxInFlight,
    drainSeconds,
  };
}
