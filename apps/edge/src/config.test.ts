import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { PRODUCTION_VARS, REAL_SENDERS } from "../test/production-vars";
import { configuredProviders, providerFor } from "./billing/providers";
import { loadConfig } from "./config";
import { AppError } from "./lib/errors";

/** A production worker's vars (R2 storage, real senders and payment endpoints). */
const PRODUCTION = PRODUCTION_VARS;

describe("configuration", () => {
  it("is validated once, with a clear message naming the bad field", () => {
    expect(() => loadConfig({ ...env, JWT_PRIVATE_JWK: "not json" })).toThrow(AppError);
    expect(() => loadConfig({ ...env, ACCESS_TOKEN_TTL_SECONDS: "-5" })).toThrow(/ACCESS_TOKEN_TTL_SECONDS/);
    expect(() => loadConfig({ ...env, MAILER: "http", MAILER_API_KEY: "" })).toThrow(/MAILER_API_KEY/);
  });

  it("refuses webhook address exemptions in production (an SSRF hole there), allows them elsewhere", () => {
    expect(() =>
      loadConfig({ ...env, ...PRODUCTION, WEBHOOK_ALLOWED_ORIGINS: "http://127.0.0.1:9000" }),
    ).toThrow(/WEBHOOK_ALLOWED_ORIGINS/);
    expect(() =>
      loadConfig({ ...env, ...PRODUCTION, DNS_RESOLVER_URL: "http://resolver.example/dns-query" }),
    ).toThrow(/DNS_RESOLVER_URL/);
    const dev = loadConfig({
      ...env,
      APP_ENV: "development",
      WEBHOOK_ALLOWED_ORIGINS: "http://127.0.0.1:9000",
    });
    expect(dev.webhooks.allowedOrigins).toEqual(["http://127.0.0.1:9000"]);
    expect(loadConfig({ ...env, ...PRODUCTION }).webhooks).toMatchObject({
      allowedOrigins: [],
      resolverUrl: "https://cloudflare-dns.com/dns-query",
      retryBaseSeconds: 1,
    });
  });

  it("turns development routes off in production", () => {
    expect(loadConfig({ ...env, ...PRODUCTION }).devRoutes).toBe(false);
    expect(loadConfig({ ...env, APP_ENV: "development" }).devRoutes).toBe(true);
  });

  it("refuses the development mailer and SMS sender in production, the defaults included", () => {
    const { MAILER: _m, SMS: _s, APP_ENV: _a, ...unset } = env as unknown as Record<string, string>;
    // No APP_ENV, MAILER or SMS at all: production with the dev senders, which would log nothing
    // sent and keep codes and reset links in a readable outbox.
    expect(() => loadConfig({ ...unset })).toThrow(/MAILER: .*production/);
    expect(() => loadConfig({ ...env, APP_ENV: "production" })).toThrow(AppError);
    expect(() => loadConfig({ ...env, ...PRODUCTION, MAILER: "dev" })).toThrow(/MAILER/);
    expect(() => loadConfig({ ...env, ...PRODUCTION, SMS: "dev" })).toThrow(/SMS/);
    const error = (() => {
      try {
        loadConfig({ ...env, APP_ENV: "production" });
      } catch (e) {
        return e as AppError;
      }
    })();
    expect(error?.code).toBe("misconfigured");
    expect(loadConfig({ ...env, ...PRODUCTION }).mailer.kind).toBe("http");
    expect(loadConfig({ ...env, APP_ENV: "development" }).mailer.kind).toBe("dev");
  });

  it("chooses the HTTP mailer and Twilio when configured", () => {
    const config = loadConfig({ ...env, ...REAL_SENDERS });
    expect(config.mailer).toMatchObject({ kind: "http", apiKey: "re_live" });
    expect(config.sms).toMatchObject({ kind: "twilio", from: "+15005550006" });
  });

  it("billing: keys, grace and stream lapse from the environment; a provider without keys is off", () => {
    const config = loadConfig({ ...env, BILLING_PAST_DUE_GRACE_SECONDS: "60", STREAM_LAPSE_SECONDS: "120" });
    expect(config.billing).toMatchObject({
      stripe: { secretKey: "sk_test_marquee_sandbox", webhookSecret: "whsec_marquee_sandbox" },
      paypal: { clientId: "marquee-sandbox-client", webhookId: "WH-MARQUEE-SANDBOX" },
      pastDueGraceSeconds: 60,
      streamLapseSeconds: 120,
    });
    const defaults = loadConfig({
      ...env,
      BILLING_PAST_DUE_GRACE_SECONDS: undefined,
      STREAM_LAPSE_SECONDS: undefined,
    });
    expect(defaults.billing).toMatchObject({ pastDueGraceSeconds: 259200, streamLapseSeconds: 90 });
    // A lapse beyond 2 minutes would break the promise that a stopped stream frees its slot within 2.
    expect(() => loadConfig({ ...env, STREAM_LAPSE_SECONDS: "121" })).toThrow(/STREAM_LAPSE_SECONDS/);
    // Billing is optional: no keys at all is fine, even in production (the provider is off)...
    const off = loadConfig({
      ...env,
      ...PRODUCTION,
      STRIPE_SECRET_KEY: "",
      STRIPE_WEBHOOK_SECRET: "",
      PAYPAL_CLIENT_ID: "",
      PAYPAL_CLIENT_SECRET: "",
      PAYPAL_WEBHOOK_ID: "",
    });
    expect(configuredProviders(off)).toEqual([]);
    expect(() => providerFor(off, "stripe")).toThrow(/Stripe is not configured/);
    expect(configuredProviders(loadConfig({ ...env }))).toEqual(["stripe", "paypal"]);
    // ...but half a configuration is a mistake.
    expect(() => loadConfig({ ...env, STRIPE_WEBHOOK_SECRET: "" })).toThrow(/STRIPE_SECRET_KEY/);
    expect(() => loadConfig({ ...env, PAYPAL_WEBHOOK_ID: "" })).toThrow(/PAYPAL_CLIENT_ID/);
  });

  it("refuses provider URLs that are not https in production", () => {
    expect(() => loadConfig({ ...env, ...PRODUCTION, STRIPE_API_URL: "http://api.stripe.com" })).toThrow(
      /STRIPE_API_URL/,
    );
    expect(() => loadConfig({ ...env, ...PRODUCTION, PAYPAL_API_URL: "http://127.0.0.1:9" })).toThrow(
      /PAYPAL_API_URL/,
    );
    expect(loadConfig({ ...env, ...PRODUCTION }).billing.stripe.apiUrl).toBe("https://api.stripe.com");
    // The sandbox's http URL is fine outside production (the tests run on it).
    expect(loadConfig({ ...env }).billing.stripe.apiUrl.startsWith("http://127.0.0.1:")).toBe(true);
  });

  it("refuses local storage in production, and R2 without its keys", () => {
    expect(() => loadConfig({ ...env, ...PRODUCTION, STORAGE_MODE: "local" })).toThrow(
      /STORAGE_MODE: local storage is refused in production/,
    );
    expect(loadConfig({ ...env, ...PRODUCTION }).storage.mode).toBe("r2");
    expect(() => loadConfig({ ...env, ...PRODUCTION, R2_SECRET_ACCESS_KEY: "" })).toThrow(/R2_ACCESS_KEY_ID/);
    // Local storage stays the default outside production (bun run dev, the tests).
    expect(loadConfig({ ...env, APP_ENV: "development" }).storage.mode).toBe("local");
  });

  it("refuses a production worker without its required secrets", () => {
    const production = { ...env, ...PRODUCTION };
    expect(loadConfig(production).env).toBe("production");
    for (const [name, pattern] of [
      ["JWT_PRIVATE_JWK", /JWT_PRIVATE_JWK/],
      ["ORIGIN_TOKEN", /ORIGIN_TOKEN/],
      ["PAYOUTS_TOKEN", /PAYOUTS_TOKEN/],
      ["MEDIA_SIGNING_KEY", /MEDIA_SIGNING_KEY/],
      ["MAILER_API_KEY", /MAILER_API_KEY/],
      ["TWILIO_AUTH_TOKEN", /TWILIO_ACCOUNT_SID/],
      ["R2_ACCOUNT_ID", /R2_ACCESS_KEY_ID/],
    ] as const) {
      expect(() => loadConfig({ ...production, [name]: undefined }), name).toThrow(pattern);
    }
    // One secret for both would hand the transcoder (ffmpeg on strangers' files) the payout run's keys.
    expect(() => loadConfig({ ...production, PAYOUTS_TOKEN: env.ORIGIN_TOKEN })).toThrow(
      /PAYOUTS_TOKEN must differ from ORIGIN_TOKEN/,
    );
  });

  it("origin containers: fleet limits from the environment, bounded", () => {
    expect(loadConfig({ ...env }).originContainers).toEqual({
      maxInstances: 1,
      concurrency: 1,
      sleepAfterSeconds: 300,
    });
    const set = { ORIGIN_CONTAINER_MAX_INSTANCES: "4", ORIGIN_CONTAINER_CONCURRENCY: "2" };
    expect(loadConfig({ ...env, ...set }).originContainers).toMatchObject({
      maxInstances: 4,
      concurrency: 2,
    });
    expect(() => loadConfig({ ...env, ORIGIN_CONTAINER_MAX_INSTANCES: "0" })).toThrow(
      /ORIGIN_CONTAINER_MAX_INSTANCES/,
    );
    expect(() => loadConfig({ ...env, ORIGIN_CONTAINER_SLEEP_AFTER_SECONDS: "5" })).toThrow(
      /ORIGIN_CONTAINER_SLEEP_AFTER_SECONDS/,
    );
  });
});
