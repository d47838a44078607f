import { devOutbox, type Log } from "./dev-outbox";
import type { DevRecord } from "./dev-store";
import { type FetchFn, postToProvider, trimSlash } from "./http";
import { acceptedId } from "./provider-reply";

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

export const DEFAULT_RESEND_BASE_URL = "https://api.resend.com";

export interface DevMail extends DevRecord {
  subject: string;
  text: string;
  html?: string;
  tag?: string;
}

const devMailbox = devOutbox<DevMail>("devmail:", "dev-mail");

/**
 * Development mailer: keeps each message in KV for a day (see listDevMail, /dev/mailbox) and logs
 * that it did, without the contents. Refused in production by config.ts.
 */
export class DevMailer implements Mailer {
  constructor(
    private readonly kv: KVNamespace,
    private readonly log: Log,
  ) {}

  send(message: OutgoingEmail): Promise<{ id: string }> {
    const { to, subject, text, html, tag } = message;
    return devMailbox.keep(this.kv, this.log, { to, subject, text, html, tag }, { tag });
  }
}

/** Messages DevMailer stored, newest first, optionally only those to one recipient (case-insensitive). */
export function listDevMail(kv: KVNamespace, opts: { to?: string; limit: number }): Promise<DevMail[]> {
  return devMailbox.list(kv, opts);
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
    return acceptedId("resend", res, {
      idField: "id",
      errorCode: (err) => (typeof err.name === "string" ? err.name : undefined),
    });
  }
}
