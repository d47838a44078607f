import { type DevRecord, listDevRecords, storeDevRecord } from "./dev-store";

export type Log = (obj: Record<string, unknown>) => void;

/**
 * One development outbox (dev mail, dev SMS): keeps each message in KV under `prefix` and logs
 * `event` with its id and recipient (plus `logged`), never the contents, which carry codes and links.
 */
export function devOutbox<T extends DevRecord>(prefix: string, event: string) {
  return {
    async keep(
      kv: KVNamespace,
      log: Log,
      message: Omit<T, "id" | "sentAt">,
      logged: Record<string, unknown> = {},
    ): Promise<{ id: string }> {
      const record = await storeDevRecord<T>(kv, prefix, (id, sentAt) => ({ id, ...message, sentAt }) as T);
      log({ event, id: record.id, to: record.to, ...logged });
      return { id: record.id };
    },
    /** Messages kept, newest first, optionally only those to one recipient (case-insensitive). */
    list(kv: KVNamespace, opts: { to?: string; limit: number }): Promise<T[]> {
      return listDevRecords<T>(kv, prefix, opts);
    },
  };
}
