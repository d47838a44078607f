/**
 * Playback beacons for the history API (POST /api/v1/events/playback): start, a heartbeat about
 * every 10 s and end, plus analytics' request (play asked for) and error (a fatal playback error);
 * each may carry quality-of-experience deltas (`qoe`, `ranges`: lib/player/qoe.ts), the request
 * also the traffic source (lib/trafficSource.ts). The beacons go as the request body's JSON, as is.
 * Beacons are queued and sent in batches (heartbeats and requests wait for the next batch); a batch
 * that fails for a transient reason (network, 5xx, 429) is retried with the same ids, which the API
 * de-duplicates, so a retry never counts twice. On pagehide the queue's newest beacons (as many as
 * the browser's keepalive quota allows) go out with `fetch(..., { keepalive: true })`.
 * Each beacon remembers the profile it was watched as: after a profile switch the token names
 * another profile, so the old profile's unsent beacons are dropped rather than credited to the new one.
 */
import { api } from "../api/client";
import type { paths } from "../api/schema";
import { batchSize, keepaliveCount } from "./beaconBatch";
import { session } from "./session";

type Body = paths["/api/v1/events/playback"]["post"]["requestBody"]["content"]["application/json"];
export type Beacon = Body["beacons"][number];
export type BeaconKind = Beacon["kind"];

const MAX_QUEUE = 500;
const HEARTBEAT_BATCH_MS = 30_000;

interface Queued {
  beacon: Beacon;
  profileId: string;
}

let queue: Queued[] = [];
let sending = false;
let retryTimer: ReturnType<typeof setTimeout> | null = null;
let batchTimer: ReturnType<typeof setTimeout> | null = null;
let failures = 0;

/** Keeps only what the current profile watched; returns the current profile (null: signed out). */
function currentQueue(): string | null {
  const profileId = session.get()?.profileId ?? null;
  queue = queue.filter((q) => q.profileId === profileId);
  return profileId;
}

export function newBeaconId(): string {
  return crypto.randomUUID();
}

/** Queues one beacon and sends soon. */
/** `urgent`: the page is going away (keepalive); `now`: don't batch this heartbeat (a pause: the resume point). */
export function sendBeacon(beacon: Beacon, options: { urgent?: boolean; now?: boolean } = {}) {
  const profileId = currentQueue();
  if (!profileId) return;
  queue.push({ beacon, profileId });
  if (queue.length > MAX_QUEUE) queue = queue.slice(-MAX_QUEUE);
  if (options.urgent) flushKeepalive();
  // A request rides with the start that normally follows within a second (or pagehide, or the timer).
  else if ((beacon.kind === "heartbeat" || beacon.kind === "request") && !options.now) flushLater();
  else void flush();
}

/**
 * Heartbeats (and requests) ride along: they wait up to HEARTBEAT_BATCH_MS for the next flush (a
 * start, an end, pagehide, or this timer), so a viewer costs one request per half minute, not one
 * per heartbeat.
 */
function flushLater() {
  if (batchTimer) return;
  batchTimer = setTimeout(() => {
    batchTimer = null;
    void flush();
  }, HEARTBEAT_BATCH_MS);
}

async function flush(): Promise<void> {
  if (sending || retryTimer || !currentQueue() || queue.length === 0) return;
  sending = true;
  const batch = queue.slice(0, batchSize(queue.map((q) => q.beacon)));
  try {
    const { response } = await api.POST("/api/v1/events/playback", {
      body: { beacons: batch.map((q) => q.beacon) },
    });
    if (response.ok || (response.status >= 400 && response.status < 500 && response.status !== 429)) {
      // Accepted (or a batch the API will never accept): done with these ids either way.
      queue = queue.filter((b) => !batch.includes(b));
      failures = 0;
    } else {
      scheduleRetry();
    }
  } catch {
    scheduleRetry();
  } finally {
    sending = false;
  }
  if (queue.length && !retryTimer) void flush();
}

function scheduleRetry() {
  failures += 1;
  const delay = Math.min(30_000, 1000 * 2 ** Math.min(failures, 5)) * (0.75 + Math.random() / 2);
  retryTimer = setTimeout(() => {
    retryTimer = null;
    void flush();
  }, delay);
}

/**
 * Sends the queue's newest beacons with keepalive, so they survive the page going away: as many as
 * the browser's keepalive quota takes (beaconBatch.ts). The rest stay queued, sent normally if the
 * page survives (restored from the back/forward cache).
 */
export function flushKeepalive() {
  const token = session.accessToken();
  if (!token || !currentQueue() || queue.length === 0) return;
  const outgoing = queue.splice(queue.length - keepaliveCount(queue.map((q) => q.beacon)));
  while (outgoing.length) {
    const batch = outgoing.splice(0, batchSize(outgoing.map((q) => q.beacon)));
    void fetch("/api/v1/events/playback", {
      method: "POST",
      keepalive: true,
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ beacons: batch.map((q) => q.beacon) } satisfies Body),
    }).catch(() => undefined);
  }
}

if (typeof window !== "undefined") {
  window.addEventListener("pagehide", flushKeepalive);
  // Back from the back/forward cache: what the keepalive quota left behind goes now.
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) void flush();
  });
}
