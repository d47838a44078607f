/**
 * Development outbox kept in KV: every message is one key whose name sorts
 * newest first (`<prefix><inverted timestamp>:<id>`), expiring after a day.
 */

const TTL_SECONDS = 86_400;
const MAX_TS = 9_999_999_999_999; // 13 digits: fine until the year 2286
let lastTs = 0;

/** Milliseconds that strictly increase within this isolate (Workers freeze Date.now() between I/O). */
function monotonicNow(): number {
  lastTs = Math.max(Date.now(), lastTs + 1);
  return lastTs;
}

export interface DevRecord {
  id: string;
  to: string;
  sentAt: string;
}

export async function storeDevRecord<T extends DevRecord>(
  kv: KVNamespace,
  prefix: string,
  build: (id: string, sentAt: string) => T,
): Promise<T> {
  const ts = monotonicNow();
  const id = crypto.randomUUID();
  const record = build(id, new Date(ts).toISOString());
  const key = `${prefix}${String(MAX_TS - ts).padStart(13, "0")}:${id}`;
  await kv.put(key, JSON.stringify(record), {
    expirationTtl: TTL_SECONDS,
    metadata: { to: record.to.toLowerCase() },
  });
  return record;
}

export async function listDevRecords<T extends DevRecord>(
  kv: KVNamespace,
  prefix: string,
  opts: { to?: string; limit: number },
): Promise<T[]> {
  const want = opts.to?.toLowerCase();
  const out: T[] = [];
  let cursor: string | undefined;
  while (out.length < opts.limit) {
    const page = await kv.list<{ to?: string }>({ prefix, cursor, limit: 1000 });
    for (const key of page.keys) {
      if (out.length >= opts.limit) break;
      // The recipient is also in the key's metadata: skip other recipients without a read.
      if (want !== undefined && key.metadata?.to !== undefined && key.metadata.to !== want) continue;
      const value = await kv.get<T>(key.name, "json");
      if (value && (want === undefined || value.to.toLowerCase() === want)) out.push(value);
    }
    if (page.list_complete) break;
    cursor = page.cursor;
  }
  return out;
}
