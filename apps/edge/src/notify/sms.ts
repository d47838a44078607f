import { type DevRecord, listDevRecords, storeDevRecord } from "./dev-store";
import { DeliveryError, isRetryableStatus } from "./errors";
import { type FetchFn, isRecord, postToProvider, readJson, trimSlash } from "./http";
import type { Log } from "./mailer";

export interface SmsMessage {
  /** E.164, e.g. +15551234567 */
  to: string;
  body: string;
}

export interface SmsSender {
  send(msg: SmsMessage): Promise<{ id: string }>;
}

export const DEFAULT_TWILIO_BASE_URL = "https://api.twilio.com";
const DEV_SMS_PREFIX = "devsms:";
const E164 = /^\+[1-9]\d{1,14}$/;

export function isE164(phone: string): boolean {
  return E164.test(phone);
}

export interface DevSms extends DevRecord {
  body: string;
}

/**
 * Development SMS sender: keeps each message in KV for a day (see listDevSms, /dev/mailbox) and logs
 * that it did, without the body. Refused in production by config.ts.
 */
export class DevSmsSender implements SmsSender {
  constructor(
    private readonly kv: KVNamespace,
    private readonly log: Log,
  ) {}

  async send(msg: SmsMessage): Promise<{ id: string }> {
    const record = await storeDevRecord<DevSms>(this.kv, DEV_SMS_PREFIX, (id, sentAt) => ({
      id,
      to: msg.to,
      body: msg.body,
      sentAt,
    }));
    // Never the body: it is the code (read it in the mailbox).
    this.log({ event: "dev-sms", id: record.id, to: msg.to });
    return { id: record.id };
  }
}

/** Messages DevSmsSender stored, newest first, optionally only those to one number. */
export function listDevSms(kv: KVNamespace, opts: { to?: string; limit: number }): Promise<DevSms[]> {
  return listDevRecords<DevSms>(kv, DEV_SMS_PREFIX, opts);
}

export interface TwilioOptions {
  /** e.g. DEFAULT_TWILIO_BASE_URL */
  baseUrl: string;
  /** "AC" + 32 hex */
  accountSid: string;
  authToken: string;
  /** Sender number; ignored when messagingServiceSid is set. */
  from?: string;
  /** "MG" + 32 hex; takes precedence over `from`. */
  messagingServiceSid?: string;
  timeoutMs?: number;
  fetch?: FetchFn;
}

/** Sends through Twilio's Programmable Messaging API (`POST /2010-04-01/Accounts/{sid}/Messages.json`). */
export class TwilioSmsSender implements SmsSender {
  constructor(private readonly opts: TwilioOptions) {
    if (!opts.from && !opts.messagingServiceSid) {
      throw new Error("TwilioSmsSender needs `from` or `messagingServiceSid`");
    }
  }

  async send(msg: SmsMessage): Promise<{ id: string }> {
    if (!isE164(msg.to)) {
      throw new DeliveryError({
        provider: "twilio",
        status: 400,
        code: "invalid_phone",
        retryable: false,
        message: "twilio: recipient is not an E.164 phone number",
      });
    }
    const form = new URLSearchParams({ To: msg.to });
    if (this.opts.messagingServiceSid) form.set("MessagingServiceSid", this.opts.messagingServiceSid);
    else if (this.opts.from) form.set("From", this.opts.from);
    form.set("Body", msg.body);

    const { accountSid, authToken } = this.opts;
    const res = await postToProvider(
      "twilio",
      `${trimSlash(this.opts.baseUrl)}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`,
      {
        headers: {
          Authorization: `Basic ${btoa(`${accountSid}:${authToken}`)}`,
          "Content-Type": "application/x-www-form-urlencoded",
          Accept: "application/json",
        },
        body: form.toString(),
      },
      this.opts,
    );
    const json = await readJson(res);
    if (res.ok && isRecord(json) && typeof json.sid === "string") return { id: json.sid };

    const err = isRecord(json) ? json : {};
    const code = typeof err.code === "number" || typeof err.code === "string" ? String(err.code) : undefined;
    throw new DeliveryError({
      provider: "twilio",
      status: res.status,
      code: code ?? (res.ok ? "invalid_response" : `http_${res.status}`),
      retryable: isRetryableStatus(res.status),
      message: `twilio: ${typeof err.message === "string" ? err.message : `unexpected response (HTTP ${res.status})`}`,
    });
  }
}
