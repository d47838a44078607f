import { devOutbox, type Log } from "./dev-outbox";
import type { DevRecord } from "./dev-store";
import { DeliveryError } from "./errors";
import { type FetchFn, postToProvider, trimSlash } from "./http";
import { acceptedId } from "./provider-reply";

export interface SmsMessage {
  /** E.164, e.g. +15551234567 */
  to: string;
  body: string;
}

export interface SmsSender {
  send(msg: SmsMessage): Promise<{ id: string }>;
}

export const DEFAULT_TWILIO_BASE_URL = "https://api.twilio.com";
const E164 = /^\+[1-9]\d{1,14}$/;

export function isE164(phone: string): boolean {
  return E164.test(phone);
}

export interface DevSms extends DevRecord {
  body: string;
}

const devPhone = devOutbox<DevSms>("devsms:", "dev-sms");

/**
 * Development SMS sender: keeps each message in KV for a day (see listDevSms, /dev/mailbox) and logs
 * that it did, without the body. Refused in production by config.ts.
 */
export class DevSmsSender implements SmsSender {
  constructor(
    private readonly kv: KVNamespace,
    private readonly log: Log,
  ) {}

  send(msg: SmsMessage): Promise<{ id: string }> {
    return devPhone.keep(this.kv, this.log, { to: msg.to, body: msg.body });
  }
}

/** Messages DevSmsSender stored, newest first, optionally only those to one number. */
export function listDevSms(kv: KVNamespace, opts: { to?: string; limit: number }): Promise<DevSms[]> {
  return devPhone.list(kv, opts);
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
    return acceptedId("twilio", res, {
      idField: "sid",
      errorCode: (err) =>
        typeof err.code === "number" || typeof err.code === "string" ? String(err.code) : undefined,
    });
  }
}
