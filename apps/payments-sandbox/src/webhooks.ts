/**
 * Webhook delivery for both providers: signed like the real ones, sent asynchronously, in order per
 * `orderKey` (a subscription, an account), retried on any non-2xx or network error after each of
 * `retryDelaysMs`, and logged for `/__control/webhooks`. A retry blocks only its own key's queue, so
 * one failing subscription does not hold back another's events (Stripe doesn't promise order at all;
 * the sandbox is stricter so tests can choose the order they want to see).
 */
import { createHmac, randomUUID } from "node:crypto";
import { isoTime } from "./clock";

export type Provider = "stripe" | "paypal";

export interface Attempt {
  at: string;
  status: number | null;
  error?: string;
}

export interface LogEntry {
  provider: Provider;
  eventId: string;
  type: string;
  url: string | null;
  orderKey: string;
  createdAt: string;
  /** pending: queued or between retries; failed: every retry used up; skipped: no endpoint configured. */
  status: "pending" | "delivered" | "failed" | "skipped";
  attempts: Attempt[];
}

export interface WebhookTargets {
  stripe?: { url: string; secret: string };
  paypal?: { url: string; webhookId: string };
  /** The key the sandbox signs PayPal transmissions with (verify-webhook-signature recomputes it). */
  paypalSigningKey: string;
  publicUrl: string;
}

interface Queued {
  entry: LogEntry;
  body: string;
}

export class WebhookDispatcher {
  private readonly entries: LogEntry[] = [];
  private readonly bodies = new Map<string, string>();
  private readonly chains = new Map<string, Promise<void>>();
  private readonly timers = new Set<{ timer: ReturnType<typeof setTimeout>; resolve: () => void }>();
  private closed = false;

  constructor(
    private readonly targets: WebhookTargets,
    private readonly retryDelaysMs: number[],
  ) {}

  enqueue(provider: Provider, eventId: string, type: string, orderKey: string, body: string): void {
    const url = (provider === "stripe" ? this.targets.stripe?.url : this.targets.paypal?.url) ?? null;
    const entry: LogEntry = {
      provider,
      eventId,
      type,
      url,
      orderKey,
      createdAt: new Date().toISOString(),
      status: url ? "pending" : "skipped",
      attempts: [],
    };
    this.entries.push(entry);
    this.bodies.set(eventId, body);
    if (url) this.schedule({ entry, body });
  }

  /** Sends a logged event again: the same id and body, a fresh signature. */
  redeliver(eventId: string): boolean {
    const entry = this.entries.find((e) => e.eventId === eventId);
    const body = this.bodies.get(eventId);
    if (!entry || body === undefined || !entry.url) return false;
    entry.status = "pending";
    this.schedule({ entry, body });
    return true;
  }

  log(): LogEntry[] {
    return this.entries;
  }

  /** Resolves once every queue is empty (tests; `/__control/webhooks?wait=1`). */
  async idle(): Promise<void> {
    while (true) {
      const pending = [...this.chains.values()];
      await Promise.all(pending);
      if ([...this.chains.values()].every((c, i) => c === pending[i]) && this.chains.size === pending.length)
        return;
    }
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) {
      clearTimeout(t.timer);
      t.resolve();
    }
    this.timers.clear();
  }

  private schedule(item: Queued): void {
    const key = `${item.entry.provider}:${item.entry.orderKey}`;
    const prev = this.chains.get(key) ?? Promise.resolve();
    const next = prev.then(() => this.deliver(item)).catch(() => {});
    this.chains.set(key, next);
  }

  private async deliver({ entry, body }: Queued): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      if (this.closed) return;
      const ok = await this.attempt(entry, body);
      if (ok) {
        entry.status = "delivered";
        return;
      }
      const delay = this.retryDelaysMs[attempt];
      if (delay === undefined) {
        entry.status = "failed";
        return;
      }
      await this.sleep(delay);
    }
  }

  private async attempt(entry: LogEntry, body: string): Promise<boolean> {
    const at = new Date().toISOString();
    try {
      const res = await fetch(entry.url as string, {
        method: "POST",
        headers: { "content-type": "application/json", ...this.signatureHeaders(entry.provider, body) },
        body,
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer().catch(() => undefined);
      entry.attempts.push({ at, status: res.status });
      return res.status >= 200 && res.status < 300;
    } catch (err) {
      entry.attempts.push({ at, status: null, error: err instanceof Error ? err.message : String(err) });
      return false;
    }
  }

  private signatureHeaders(provider: Provider, body: string): Record<string, string> {
    if (provider === "stripe") {
      // Real time, not the sandbox clock: receivers compare `t` with their own clock (5 min tolerance).
      const t = Math.floor(Date.now() / 1000);
      const v1 = createHmac("sha256", this.targets.stripe?.secret ?? "")
        .update(`${t}.${body}`)
        .digest("hex");
      return {
        "Stripe-Signature": `t=${t},v1=${v1}`,
        "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
      };
    }
    const transmissionId = randomUUID();
    const time = isoTime(Math.floor(Date.now() / 1000));
    const webhookId = this.targets.paypal?.webhookId ?? "";
    return {
      "PAYPAL-TRANSMISSION-ID": transmissionId,
      "PAYPAL-TRANSMISSION-TIME": time,
      "PAYPAL-TRANSMISSION-SIG": paypalSignature(
        this.targets.paypalSigningKey,
        transmissionId,
        time,
        webhookId,
        body,
      ),
      "PAYPAL-CERT-URL": `${this.targets.publicUrl}/paypal/certs/sandbox.pem`,
      "PAYPAL-AUTH-ALGO": "SHA256withRSA",
    };
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const handle = {
        timer: setTimeout(() => {
          this.timers.delete(handle);
          resolve();
        }, ms),
        resolve,
      };
      this.timers.add(handle);
    });
  }
}

/**
 * PayPal's signed string is `transmissionId|time|webhookId|crc32(body)`; real PayPal signs it with
 * RSA, the sandbox with an HMAC only it knows, so only its verify-webhook-signature can check it.
 */
export function paypalSignature(
  key: string,
  id: string,
  time: string,
  webhookId: string,
  body: string,
): string {
  return createHmac("sha256", key)
    .update(`${id}|${time}|${webhookId}|${crc32(body)}`)
    .digest("base64");
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (IEEE) of the UTF-8 bytes, as an unsigned decimal number (what PayPal's docs use). */
export function crc32(text: string): number {
  let crc = 0xffffffff;
  for (const byte of Buffer.from(text, "utf8"))
    crc = (CRC_TABLE[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
