/**
 * What production must configure instead of the development mailer and SMS sender: with these, a
 * worker started with APP_ENV "production" loads its config (src/config.ts refuses the dev senders).
 */
export const REAL_SENDERS = {
  MAILER: "http",
  MAILER_API_KEY: "re_live",
  SMS: "twilio",
  TWILIO_ACCOUNT_SID: "AC123",
  TWILIO_AUTH_TOKEN: "tok",
  TWILIO_FROM: "+15005550006",
};

/** The vars of a production worker, for tests of what production turns off. */
export const PRODUCTION_VARS = { APP_ENV: "production", ...REAL_SENDERS };
