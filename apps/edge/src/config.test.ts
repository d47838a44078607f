import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { PRODUCTION_VARS, REAL_SENDERS } from "../test/production-vars";
import { loadConfig } from "./config";
import { AppError } from "./lib/errors";

describe("configuration", () => {
  it("is validated once, with a clear message naming the bad field", () => {
    expect(() => loadConfig({ ...env, JWT_PRIVATE_JWK: "not json" })).toThrow(AppError);
    expect(() => loadConfig({ ...env, ACCESS_TOKEN_TTL_SECONDS: "-5" })).toThrow(/ACCESS_TOKEN_TTL_SECONDS/);
    expect(() => loadConfig({ ...env, MAILER: "http", MAILER_API_KEY: "" })).toThrow(/MAILER_API_KEY/);
  });

  it("turns development routes off in production", () => {
    expect(loadConfig({ ...env, ...PRODUCTION_VARS }).devRoutes).toBe(false);
    expect(loadConfig({ ...env, APP_ENV: "development" }).devRoutes).toBe(true);
  });

  it("refuses the development mailer and SMS sender in production, the defaults included", () => {
    const { MAILER: _m, SMS: _s, APP_ENV: _a, ...unset } = env as unknown as Record<string, string>;
    // No APP_ENV, MAILER or SMS at all: production with the dev senders, which would log nothing
    // sent and keep codes and reset links in a readable outbox.
    expect(() => loadConfig({ ...unset })).toThrow(/MAILER: .*production/);
    expect(() => loadConfig({ ...env, APP_ENV: "production" })).toThrow(AppError);
    expect(() => loadConfig({ ...env, ...PRODUCTION_VARS, MAILER: "dev" })).toThrow(/MAILER/);
    expect(() => loadConfig({ ...env, ...PRODUCTION_VARS, SMS: "dev" })).toThrow(/SMS/);
    const error = (() => {
      try {
        loadConfig({ ...env, APP_ENV: "production" });
      } catch (e) {
        return e as AppError;
      }
    })();
    expect(error?.code).toBe("misconfigured");
    expect(loadConfig({ ...env, ...PRODUCTION_VARS }).mailer.kind).toBe("http");
    expect(loadConfig({ ...env, APP_ENV: "development" }).mailer.kind).toBe("dev");
  });

  it("chooses the HTTP mailer and Twilio when configured", () => {
    const config = loadConfig({ ...env, ...REAL_SENDERS });
    expect(config.mailer).toMatchObject({ kind: "http", apiKey: "re_live" });
    expect(config.sms).toMatchObject({ kind: "twilio", from: "+15005550006" });
  });
});
