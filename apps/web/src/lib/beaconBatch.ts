/** Beacons per batch: the API takes 1–50 (PlaybackBeaconBatch). */
const MAX_BATCH = 50;
/**
 * Bytes of beacon JSON per batch, under the API's 64 KiB body limit (MAX_JSON_BODY_BYTES) with
 * room for the envelope: 50 beacons with every QoE field full could pass it and be refused (413).
 */
const MAX_BATCH_BYTES = 60_000;

/** How many queued beacons, from the front, go in the next batch: at most MAX_BATCH and MAX_BATCH_BYTES. */
export function batchSize(beacons: readonly unknown[]): number {
  let bytes = 0;
  let n = 0;
  for (const beacon of beacons.slice(0, MAX_BATCH)) {
    bytes += new TextEncoder().encode(JSON.stringify(beacon)).length + 1;
    if (n > 0 && bytes > MAX_BATCH_BYTES) break;
    n++;
  }
  return n;
}
