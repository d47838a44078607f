import { type DevRecord, listDevRecords, storeDevRecord } from "./dev-store";
import { DeliveryError, isRetryableStatus } from "./errors";
import { type FetchFn, isRecord, postToProvider, readJson, trimSlash } from "./http";

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  html?: string;
  /** Category, sent to Resend as the tag `category`: letters, digits, `_` and `-` only. */
  tag?: string;
  /** Sent as the `Idempotency-Key` header by HttpMailer; ignored by DevMailer. */
  idempotencyKey?: string;
}

export interface Mailer {
  send(message: OutgoingEmail): Promise<{ id: string }>;
}

export type Log = (obj: Record<string, unknown>) => void;

export const DEFAULT_RESEND_BASE_URL = "https://api.resend.com";
const DEV_MAIL_PREFIX = "devmail:";

export interface DevMail extends DevRecord {
  subject: string;
  text: string;
  html?: string;
  tag?: string;
}

/**
 * Development mailer: keeps each message in KV for a day (see listDevMail, /dev/mailbox) and logs
 * that it did, without the contents. Refused in production by config.ts.
 */
export class DevMailer implements Mailer {
  constructor(
    private readonly kv: KVNamespace,
    private readonly log: Log,
  ) {}

  async send(message: OutgoingEmail): Promise<{ id: string }> {
    const record = await storeDevRecord<DevMail>(this.kv, DEV_MAIL_PREFIX, (id, sentAt) => ({
      id,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      tag: message.tag,
      sentAt,
    }));
    // Never the subject or the text: they carry the code or the reset link (read them in the mailbox).
    this.log({ event: "dev-mail", id: record.id, to: message.to, tag: message.tag });
    return { id: record.id };
  }
}

/** Messages DevMailer stored, newest first, optionally only those to one recipient (case-insensitive). */
export function listDevMail(kv: KVNamespace, opts: { to?: string; limit: number }): Promise<DevMail[]> {
  return listDevRecords<DevMail>(kv, DEV_MAIL_PREFIX, opts);
}

export interface HttpMailerOptions {
  /** e.g. DEFAULT_RESEND_BASE_URL */
  baseUrl: string;
  apiKey: string;
  /** `addr@example.com` or `Name <addr@example.com>` */
  from: string;
  timeoutMs?: number;
  fetch?: FetchFn;
}

/** Sends through the Resend API (`POST /emails`). */
export class HttpMailer implements Mailer {
  constructor(private readonly opts: HttpMailerOptions) {}

  async send(message: OutgoingEmail): Promise<{ id: string }> {
    const body: Record<string, unknown> = {
      from: this.opts.from,
      to: [message.to],
      subject: message.subject,
      text: message.text,
    };
    if (message.html !== undefined) body.html = message.html;
    if (message.tag !== undefined) body.tags = [{ name: "category", value: message.tag }];

    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.opts.apiKey}`,
      "Content-Type": "application/json",
    };
    if (message.idempotencyKey !== undefined) headers["Idempotency-Key"] = message.idempotencyKey;

    const res = await postToProvider(
      "resend",
      `${trimSlash(this.opts.baseUrl)}/emails`,
      { headers, body: JSON.stringify(body) },
      this.opts,
    );
    const json = await readJson(res);
    if (res.ok && isRecord(json) && typeof json.id === "string") return { id: json.id };

    const err = isRecord(json) ? json : {};
    throw new DeliveryError({
      provider: "resend",
      status: res.status,
      code: typeof err.name === "string" ? err.name : res.ok ? "invalid_response" : `http_${res.status}`,
      retryable: isRetryableStatus(res.status),
      message: `resend: ${typeof err.message === "string" ? err.message : `unexpected response (HTTP ${res.status})`}`,
    });
  }
}
