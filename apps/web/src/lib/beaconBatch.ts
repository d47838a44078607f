/** Beacons per batch: the API takes 1–50 (PlaybackBeaconBatch). */
const MAX_BATCH = 50;
/**
 * Bytes of beacon JSON per batch, under the API's 64 KiB body limit (MAX_JSON_BODY_BYTES) with
 * room for the envelope: 50 beacons with every QoE field full could pass it and be refused (413).
 */
const MAX_BATCH_BYTES = 60_000;

/**
 * Bytes of keepalive request bodies a pagehide sends at most, all its batches together: Chrome
 * refuses a keepalive fetch once the page's keepalive bodies in flight would pass 64 KiB (Fetch's
 * "inflight keepalive bytes"), and a refused fetch loses its beacons.
 */
export const MAX_KEEPALIVE_BYTES = 60_000;
/** `{"beacons":[]}` around each batch. */
const ENVELOPE_BYTES = 14;

const bytesOf = (beacon: unknown) => new TextEncoder().encode(JSON.stringify(beacon)).length;

/** How many queued beacons, from the front, go in the next batch: at most MAX_BATCH and MAX_BATCH_BYTES. */
export function batchSize(beacons: readonly unknown[]): number {
  let bytes = 0;
  let n = 0;
  for (const beacon of beacons.slice(0, MAX_BATCH)) {
    bytes += bytesOf(beacon) + 1;
    if (n > 0 && bytes > MAX_BATCH_BYTES) break;
    n++;
  }
  return n;
}

/**
 * How many beacons from the back of the queue (the newest: the session's end, its last figures) a
 * pagehide sends with keepalive, in batches of MAX_BATCH whose bodies together stay within
 * MAX_KEEPALIVE_BYTES. The older ones stay queued: a page that survives (the back/forward cache)
 * sends them normally. May be 0 (nothing fits).
 */
export function keepaliveCount(beacons: readonly unknown[]): number {
  let bytes = 0;
  let n = 0;
  for (let i = beacons.length - 1; i >= 0; i--) {
    bytes += bytesOf(beacons[i]) + 1 + (n % MAX_BATCH === 0 ? ENVELOPE_BYTES : 0);
    if (bytes > MAX_KEEPALIVE_BYTES) break;
    n++;
  }
  return n;
}
