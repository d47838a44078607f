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

/** The real providers' endpoints (the tests' bindings point at the local payments sandbox, over http). */
export const REAL_PAYMENT_URLS = {
  STRIPE_API_URL: "https://api.stripe.com",
  PAYPAL_API_URL: "https://api-m.paypal.com",
};

/** Production refuses local storage (src/config.ts): R2 presigned URLs with an R2 API token. */
export const R2_STORAGE = {
  STORAGE_MODE: "r2",
  R2_ACCOUNT_ID: "acc",
  R2_ACCESS_KEY_ID: "key",
  R2_SECRET_ACCESS_KEY: "secret",
};

/**
 * Webhooks in production: no loopback receiver exempt (the tests bind one; src/config.ts refuses it)
 * and names resolved over https (the tests' resolver is the local one, over http).
 */
export const REAL_WEBHOOK_RESOLUTION = {
  WEBHOOK_ALLOWED_ORIGINS: "",
  DNS_RESOLVER_URL: "https://cloudflare-dns.com/dns-query",
};

/** The vars of a production worker, for tests of what production turns off. */
export const PRODUCTION_VARS = {
  APP_ENV: "production",
  ...REAL_SENDERS,
  ...REAL_PAYMENT_URLS,
  ...R2_STORAGE,
  ...REAL_WEBHOOK_RESOLUTION,
};
