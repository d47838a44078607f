// The payout settings of the origin's configuration (the rest is covered in server.test.ts).
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config";

const token = "t".repeat(43);

describe("payout configuration", () => {
  it("defaults: a local ledger file, Stripe's API, a $10.00 minimum, a 60 s lease, no schedule without credentials", () => {
    expect(loadConfig({})).toMatchObject({
      DATABASE_URL: "file:.data/origin.sqlite",
      STRIPE_API_URL: "https://api.stripe.com",
      PAYOUT_MINIMUM_CENTS: 1000,
      PAYOUTS_LEASE_TTL_MS: 60_000,
      PAYOUTS_SCHEDULE: "off",
    });
    expect(loadConfig({}).PAYOUTS_CRASH_AT).toBeUndefined();
  });

  it("the schedule is monthly by default once the process holds the payout run's token and Stripe's key", () => {
    expect(loadConfig({ PAYOUTS_TOKEN: token }).PAYOUTS_SCHEDULE).toBe("off");
    expect(loadConfig({ STRIPE_SECRET_KEY: "sk_test_x" }).PAYOUTS_SCHEDULE).toBe("off");
    // The transcoder's token is not the payout run's: a transcoding origin never schedules payouts.
    expect(loadConfig({ ORIGIN_TOKEN: token, STRIPE_SECRET_KEY: "sk_test_x" }).PAYOUTS_SCHEDULE).toBe("off");
    expect(loadConfig({ PAYOUTS_TOKEN: token, STRIPE_SECRET_KEY: "sk_test_x" }).PAYOUTS_SCHEDULE).toBe(
      "monthly",
    );
    expect(
      loadConfig({ PAYOUTS_TOKEN: token, STRIPE_SECRET_KEY: "sk_test_x", PAYOUTS_SCHEDULE: "off" })
        .PAYOUTS_SCHEDULE,
    ).toBe("off");
    expect(() => loadConfig({ ORIGIN_TOKEN: token, PAYOUTS_SCHEDULE: "monthly" })).toThrow(
      /PAYOUTS_SCHEDULE monthly needs PAYOUTS_TOKEN and STRIPE_SECRET_KEY/,
    );
  });

  it("says what is wrong with a payout setting, echoing only what is safe", () => {
    expect(() => loadConfig({ PAYOUT_MINIMUM_CENTS: "9.99" })).toThrow(
      /PAYOUT_MINIMUM_CENTS must be whole cents \(got "9.99"\)/,
    );
    expect(() => loadConfig({ PAYOUT_MINIMUM_CENTS: "0" })).toThrow(/at least 1 cent/);
    expect(() => loadConfig({ PAYOUTS_SCHEDULE: "weekly" })).toThrow(
      /PAYOUTS_SCHEDULE must be monthly or off/,
    );
    expect(() => loadConfig({ PAYOUTS_CRASH_AT: "before_lunch" })).toThrow(
      /after_claim, after_send, after_record/,
    );
    expect(() => loadConfig({ STRIPE_API_URL: "ftp://x" })).toThrow(
      /STRIPE_API_URL must be an http\(s\) URL/,
    );
    expect(() => loadConfig({ PAYOUTS_LEASE_TTL_MS: "10" })).toThrow(/PAYOUTS_LEASE_TTL_MS must be between/);
    // The lease must comfortably outlast one Stripe request (a third of it, payouts/lease.ts).
    expect(() => loadConfig({ PAYOUTS_LEASE_TTL_MS: "2000" })).toThrow(
      /PAYOUTS_LEASE_TTL_MS must be between 3000/,
    );
    expect(loadConfig({ PAYOUTS_LEASE_TTL_MS: "4000" }).PAYOUTS_LEASE_TTL_MS).toBe(4000);
    expect(() =>
      loadConfig({ APP_ENV: "production", ORIGIN_TOKEN: token, PAYOUTS_CRASH_AT: "after_send" }),
    ).toThrow(/PAYOUTS_CRASH_AT is for tests only/);
    expect(() => loadConfig({ DATABASE_AUTH_TOKEN: "", PAYOUT_MINIMUM_CENTS: "x" })).toThrow(ConfigError);
  });
});
