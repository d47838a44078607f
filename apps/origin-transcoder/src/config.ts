// Origin configuration, read from the environment and validated with zod.
// This module must stay free of Bun-only APIs: the tests import it directly under Node.
import { tmpdir } from "node:os";
import { join } from "node:path";
import { z } from "zod";
import { CRASH_POINTS } from "./payouts/crash";

/** Where the origin runs. Only "production" makes ORIGIN_TOKEN mandatory. */
const AppEnv = z.enum(["development", "test", "production"]);

const Port = z.coerce
  .number({ error: "must be a port number" })
  .int("must be an integer port")
  .min(0, "must be between 0 and 65535 (0 = any free port)")
  .max(65535, "must be between 0 and 65535 (0 = any free port)");

const ConfigSchema = z
  .object({
    APP_ENV: AppEnv.default("development"),
    ORIGIN_HOST: z.string().min(1).default("127.0.0.1"),
    ORIGIN_PORT: Port.default(8790),
    // The edge this origin leases transcode jobs from (its /internal API).
    EDGE_URL: z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
      .default("http://127.0.0.1:8787"),
    // Bearer token shared with the edge (the edge's ORIGIN_TOKEN secret).
    // Required in production. In development and tests it may be absent: the HTTP server still runs,
    // but the origin cannot authenticate to the edge, so it won't lease jobs. `bun run dev` passes the
    // token from .dev.vars, so locally it is normally set.
    ORIGIN_TOKEN: z.string().min(32, "must be at least 32 characters").optional(),
    // The payout run's bearer token on the edge's /internal/payouts (its PAYOUTS_TOKEN secret): only a
    // process that runs payouts needs it, never a transcoding container.
    PAYOUTS_TOKEN: z.string().min(32, "must be at least 32 characters").optional(),
    // How many ffmpeg jobs run at once; one per couple of cores is plenty.
    ORIGIN_CONCURRENCY: z.coerce
      .number({ error: "must be a number" })
      .int("must be an integer")
      .min(1, "must be between 1 and 64")
      .max(64, "must be between 1 and 64")
      .default(1),
    // Parent of the per-job temp dirs (source, ffmpeg output); each job's dir is removed when it ends.
    ORIGIN_WORK_DIR: z
      .string()
      .min(1)
      .default(() => join(tmpdir(), "marquee-origin")),
    // How often the progressive publisher looks for finished segments while ffmpeg runs.
    ORIGIN_PUBLISH_INTERVAL_MS: z.coerce
      .number({ error: "must be a number" })
      .int("must be an integer")
      .min(50, "must be between 50 and 10000")
      .max(10_000, "must be between 50 and 10000")
      .default(500),
    // Payout ledger (libSQL): a local SQLite file by default, a Turso/libSQL URL in production.
    DATABASE_URL: z.string().min(1).default("file:.data/origin.sqlite"),
    // Bearer token of a libSQL server / Turso database (ignored for file: URLs).
    DATABASE_AUTH_TOKEN: z.string().min(1).optional(),
    // The platform's Stripe secret key: payout transfers leave the platform's balance. Without it the
    // origin pays nobody (the monthly schedule stays off, `payouts:run` refuses to start).
    STRIPE_SECRET_KEY: z.string().min(1).optional(),
    // Stripe's API (the payments sandbox locally, e.g. http://127.0.0.1:8791).
    STRIPE_API_URL: z
      .url({ protocol: /^https?$/, error: "must be an http(s) URL" })
      .default("https://api.stripe.com"),
    // A channel's payable balance below this (cents) is carried over to a later run ($10.00).
    PAYOUT_MINIMUM_CENTS: z.coerce
      .number({ error: "must be a number of cents" })
      .int("must be whole cents")
      .min(1, "must be at least 1 cent")
      .max(100_000_000, "must be at most 100000000 cents")
      .default(1000),
    // `monthly`: the origin pays the previous month once it is closed (payouts/schedule.ts); `off`:
    // run `payouts:run` from your own scheduler. Default: monthly when PAYOUTS_TOKEN and
    // STRIPE_SECRET_KEY are both set (it needs the edge and Stripe), else off.
    PAYOUTS_SCHEDULE: z.enum(["monthly", "off"], { error: "must be monthly or off" }).optional(),
    // How long a payout run's hold on its period lasts unless renewed (every sixth of it): after a
    // crash, the period can be run again this much later (payouts/lease.ts). Stripe requests time out
    // after a third of it (at most 20 s), so a transfer always ends inside the lease; 3 s at the
    // least keeps that timeout at 1 s or more.
    PAYOUTS_LEASE_TTL_MS: z.coerce
      .number({ error: "must be a number of milliseconds" })
      .int("must be whole milliseconds")
      .min(3000, "must be between 3000 and 3600000")
      .max(3_600_000, "must be between 3000 and 3600000")
      .default(60_000),
    // Tests only: the payout run SIGKILLs itself at this point (payouts/crash.ts).
    PAYOUTS_CRASH_AT: z.enum(CRASH_POINTS, { error: `must be one of ${CRASH_POINTS.join(", ")}` }).optional(),
  })
  .superRefine((cfg, ctx) => {
    if (cfg.APP_ENV === "production" && !cfg.ORIGIN_TOKEN) {
      ctx.addIssue({
        code: "custom",
        path: ["ORIGIN_TOKEN"],
        message: "is required when APP_ENV=production",
      });
    }
    if (cfg.APP_ENV === "production" && cfg.PAYOUTS_CRASH_AT) {
      ctx.addIssue({
        code: "custom",
        path: ["PAYOUTS_CRASH_AT"],
        message: "is for tests only, not production",
      });
    }
    if (cfg.PAYOUTS_SCHEDULE === "monthly" && (!cfg.PAYOUTS_TOKEN || !cfg.STRIPE_SECRET_KEY)) {
      ctx.addIssue({
        code: "custom",
        path: ["PAYOUTS_SCHEDULE"],
        message: "monthly needs PAYOUTS_TOKEN and STRIPE_SECRET_KEY",
      });
    }
  });

/** Variables whose values may be echoed in error messages (never secrets or URLs with credentials). */
const ECHOABLE = new Set([
  "APP_ENV",
  "ORIGIN_HOST",
  "ORIGIN_PORT",
  "ORIGIN_CONCURRENCY",
  "ORIGIN_WORK_DIR",
  "ORIGIN_PUBLISH_INTERVAL_MS",
  "STRIPE_API_URL",
  "PAYOUT_MINIMUM_CENTS",
  "PAYOUTS_SCHEDULE",
  "PAYOUTS_CRASH_AT",
  "PAYOUTS_LEASE_TTL_MS",
]);

/** The settings, with PAYOUTS_SCHEDULE resolved to its effective value. */
export type Config = Omit<z.infer<typeof ConfigSchema>, "PAYOUTS_SCHEDULE"> & {
  PAYOUTS_SCHEDULE: "monthly" | "off";
};

export class ConfigError extends Error {
  override name = "ConfigError";
}

/**
 * Reads the origin's configuration from `env` (defaults to process.env).
 * Empty strings count as unset, so `ORIGIN_PORT=` falls back to the default.
 * Throws ConfigError with one line per invalid variable, e.g. `ORIGIN_PORT must be a port number (got "abc")`.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(ConfigSchema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== "") input[key] = value;
  }
  const result = ConfigSchema.safeParse(input);
  if (result.success) {
    const cfg = result.data;
    const paying = Boolean(cfg.PAYOUTS_TOKEN && cfg.STRIPE_SECRET_KEY);
    return { ...cfg, PAYOUTS_SCHEDULE: cfg.PAYOUTS_SCHEDULE ?? (paying ? "monthly" : "off") };
  }
  const lines = result.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? "(config)");
    const got = ECHOABLE.has(key) && key in input ? ` (got ${JSON.stringify(input[key])})` : "";
    return `  ${key} ${issue.message}${got}`;
  });
  throw new ConfigError(`Invalid origin configuration:\n${lines.join("\n")}`);
}
