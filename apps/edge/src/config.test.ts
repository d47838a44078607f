import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { loadConfig } from "./config";
import { AppError } from "./lib/errors";

describe("configuration", () => {
  it("is validated once, with a clear message naming the bad field", () => {
    expect(() => loadConfig({ ...env, JWT_PRIVATE_JWK: "not json" })).toThrow(AppError);
    expect(() => loadConfig({ ...env, ACCESS_TOKEN_TTL_SECONDS: "-5" })).toThrow(/ACCESS_TOKEN_TTL_SECONDS/);
    expect(() => loadConfig({ ...env, MAILER: "http", MAILER_API_KEY: "" })).toThrow(/MAILER_API_KEY/);
  });

  it("turns development routes off in production", () => {
    expect(loadConfig({ ...env, APP_ENV: "production" }).devRoutes).toBe(false);
    expect(loadConfig({ ...env, APP_ENV: "development" }).devRoutes).toBe(true);
  });

  it("chooses the HTTP mailer and Twilio when configured", () => {
    const config = loadConfig({
      ...env,
      MAILER: "http",
      MAILER_API_KEY: "re_live",
      SMS: "twilio",
      TWILIO_ACCOUNT_SID: "AC123",
      TWILIO_AUTH_TOKEN: "tok",
      TWILIO_FROM: "+15005550006",
    });
    expect(config.mailer).toMatchObject({ kind: "http", apiKey: "re_live" });
    expect(config.sms).toMatchObject({ kind: "twilio", from: "+15005550006" });
  });
});
