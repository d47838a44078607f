import type { Config } from "../config";
import type { Log } from "./dev-outbox";
import { DevMailer, HttpMailer, type Mailer } from "./mailer";
import { DevSmsSender, type SmsSender, TwilioSmsSender } from "./sms";

export type { Log } from "./dev-outbox";
export { DeliveryError } from "./errors";
export {
  DEFAULT_RESEND_BASE_URL,
  type DevMail,
  DevMailer,
  HttpMailer,
  listDevMail,
  type Mailer,
  type OutgoingEmail,
} from "./mailer";
export {
  DEFAULT_TWILIO_BASE_URL,
  type DevSms,
  DevSmsSender,
  isE164,
  listDevSms,
  type SmsMessage,
  type SmsSender,
  TwilioSmsSender,
} from "./sms";

/** The delivery settings, as config.ts validates them from the environment (one definition, there). */
export type MailerConfig = Config["mailer"];
export type SmsConfig = Config["sms"];

export interface NotifyConfig {
  mailer: MailerConfig;
  sms: SmsConfig;
}

export interface Notifiers {
  mailer: Mailer;
  sms: SmsSender;
}

export function createNotifiers(cfg: NotifyConfig, deps: { kv: KVNamespace; log: Log }): Notifiers {
  const mailer: Mailer =
    cfg.mailer.kind === "http"
      ? new HttpMailer({ baseUrl: cfg.mailer.baseUrl, apiKey: cfg.mailer.apiKey, from: cfg.mailer.from })
      : new DevMailer(deps.kv, deps.log);
  const sms: SmsSender =
    cfg.sms.kind === "twilio"
      ? new TwilioSmsSender({
          baseUrl: cfg.sms.baseUrl,
          accountSid: cfg.sms.accountSid,
          authToken: cfg.sms.authToken,
          from: cfg.sms.from,
          messagingServiceSid: cfg.sms.messagingServiceSid,
        })
      : new DevSmsSender(deps.kv, deps.log);
  return { mailer, sms };
}
