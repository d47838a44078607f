import { z } from "zod";
import { AppError } from "./lib/errors";

/**
 * Everything the worker reads from its environment, validated once per isolate at the boundary.
 * Code deeper in never touches `env.*` strings: it receives this typed object.
 */
const csvWithDefault = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((s) =>
      s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    );
const csv = csvWithDefault("");
const seconds = (fallback: number) => z.coerce.number().int().positive().default(fallback);

const ConfigSchema = z
  .object({
    APP_ENV: z.enum(["development", "test", "production"]).default("production"),
    PUBLIC_URL: z.url().default("http://127.0.0.1:8787"),
    ALLOWED_ORIGINS: csv,
    ACCESS_TOKEN_TTL_SECONDS: seconds(900),
    REFRESH_TOKEN_TTL_SECONDS: seconds(30 * 24 * 3600),
    MAX_JSON_BODY_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(64 * 1024),
    /**
     * Requests to /api and /media this isolate serves at once before it sheds more with 503 and
     * Retry-After (middleware/load-shed.ts); 0 turns shedding off (production's default: Cloudflare
     * adds isolates under load; the one local process is what runs out).
     */
    MAX_IN_FLIGHT: z.coerce.number().int().min(0).max(100_000).default(0),
    /** ES256 private key as a JWK JSON string with a `kid`. */
    JWT_PRIVATE_JWK: z.string().min(1, "JWT_PRIVATE_JWK secret is required"),
    /** Older public keys (JSON array of JWKs) still accepted while tokens signed by them live. */
    JWT_PREVIOUS_PUBLIC_JWKS: z.string().default("[]"),
    LOGIN_MAX_FAILURES_PER_EMAIL: z.coerce.number().int().positive().default(10),
    LOGIN_MAX_FAILURES_PER_CLIENT: z.coerce.number().int().positive().default(30),
    LOGIN_WINDOW_SECONDS: seconds(300),
    MAILER: z.enum(["dev", "http"]).default("dev"),
    MAILER_URL: z.url().default("https://api.resend.com"),
    MAILER_API_KEY: z.string().default(""),
    MAILER_FROM: z.string().default("Marquee <no-reply@marquee.local>"),
    SMS: z.enum(["dev", "twilio"]).default("dev"),
    TWILIO_URL: z.url().default("https://api.twilio.com"),
    TWILIO_ACCOUNT_SID: z.string().default(""),
    TWILIO_AUTH_TOKEN: z.string().default(""),
    TWILIO_FROM: z.string().default(""),
    TWILIO_MESSAGING_SERVICE_SID: z.string().default(""),
    /** Bearer token of the origin transcoder on /internal/*. */
    ORIGIN_TOKEN: z.string().min(16, "ORIGIN_TOKEN must be at least 16 characters"),
    /**
     * Bearer token of the payout run on /internal/payouts/*, separate from ORIGIN_TOKEN: the
     * transcoder runs ffmpeg on strangers' files, and a process that leaks its token must not be
     * able to read Connect accounts or publish payout statements (docs/payouts.md).
     */
    PAYOUTS_TOKEN: z.string().min(16, "PAYOUTS_TOKEN must be at least 16 characters"),
    STORAGE_MODE: z.enum(["local", "r2"]).default("local"),
    /** HMAC key of local signed storage URLs. */
    MEDIA_SIGNING_KEY: z.string().min(16, "MEDIA_SIGNING_KEY must be at least 16 characters"),
    R2_ACCOUNT_ID: z.string().default(""),
    R2_ACCESS_KEY_ID: z.string().default(""),
    R2_SECRET_ACCESS_KEY: z.string().default(""),
    R2_BUCKET: z.string().default("marquee-media"),
    MAX_UPLOAD_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(20 * 1024 ** 3),
    SINGLE_UPLOAD_MAX_BYTES: z.coerce
      .number()
      .int()
      .positive()
      .default(100 * 1024 ** 2),
    UPLOAD_URL_TTL_SECONDS: seconds(3600),
    JOB_LEASE_SECONDS: seconds(60),
    MAX_JOB_ATTEMPTS: z.coerce.number().int().positive().default(3),
    MAX_SOURCE_DURATION_SECONDS: z.coerce
      .number()
      .positive()
      .default(4 * 3600),
    MAX_SOURCE_WIDTH: z.coerce.number().int().positive().default(7680),
    MAX_SOURCE_HEIGHT: z.coerce.number().int().positive().default(4320),
    PLAYBACK_TOKEN_TTL_SECONDS: seconds(4 * 3600),
    SAVE_DATA_MAX_HEIGHT: z.coerce.number().int().positive().default(480),
    /** Reaction shard objects per video unless KV `reactions:shards:<videoId>` says otherwise (docs/social.md). */
    REACTION_SHARDS: z.coerce.number().int().min(1).max(64).default(1),
    /** Billing (docs/billing.md). A provider without its keys is simply not offered (503 at checkout). */
    STRIPE_API_URL: z.url().default("https://api.stripe.com"),
    STRIPE_SECRET_KEY: z.string().default(""),
    /**
     * Comma-separated signing secrets: the platform endpoint's and the Connect endpoint's (events on
     * connected accounts, e.g. account.updated, are signed with that endpoint's own secret).
     */
    STRIPE_WEBHOOK_SECRET: z.string().default(""),
    PAYPAL_API_URL: z.url().default("https://api-m.paypal.com"),
    PAYPAL_CLIENT_ID: z.string().default(""),
    PAYPAL_CLIENT_SECRET: z.string().default(""),
    PAYPAL_WEBHOOK_ID: z.string().default(""),
    /** How long a past-due subscription keeps its plan, from when the mirror first saw it past due. */
    BILLING_PAST_DUE_GRACE_SECONDS: z.coerce.number().int().nonnegative().default(259200),
    /** A stream stops holding its slot this long after its last heartbeat (the issue promises < 2 min). */
    STREAM_LAPSE_SECONDS: z.coerce.number().int().positive().max(120).default(90),
    /** Ads (docs/ads.md): an ad reservation lapses this long after the decision unless an impression follows. */
    ADS_RESERVATION_SECONDS: z.coerce.number().int().positive().max(600).default(120),
    /** The auction's reserve price: a lone bidder pays this CPM (cents), never more than its bid. */
    ADS_FLOOR_CPM_CENTS: z.coerce.number().int().positive().default(100),
    /** Longest creative the origin accepts, seconds. */
    ADS_MAX_CREATIVE_SECONDS: z.coerce.number().int().positive().max(120).default(60),
    /** Payouts (docs/payouts.md): creators' share of their videos' ad revenue, percent. */
    PAYOUTS_CREATOR_AD_SHARE_PCT: z.coerce.number().int().min(0).max(100).default(55),
    /** Share of net premium revenue split among creators by premium watch time, percent. */
    PAYOUTS_PREMIUM_POOL_PCT: z.coerce.number().int().min(0).max(100).default(55),
    /**
     * A period's facts are served this long after it ended: a fact stamped by a Worker just before
     * the end has committed by then (a D1 batch times out in 30 s). Facts of an ended period never change.
     */
    PAYOUTS_CLOSE_DELAY_SECONDS: z.coerce.number().int().nonnegative().max(86_400).default(600),
    /**
     * Origin containers (production only, where the ORIGIN_CONTAINER binding exists): at most this
     * many run at once. Keep it at or below the container's `max_instances` in wrangler.toml.
     */
    ORIGIN_CONTAINER_MAX_INSTANCES: z.coerce.number().int().min(1).max(100).default(1),
    /** Jobs one origin container transcodes at once (its ORIGIN_CONCURRENCY). */
    ORIGIN_CONTAINER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(1),
    /** An origin container holding no job stops after this long without a request into it. */
    ORIGIN_CONTAINER_SLEEP_AFTER_SECONDS: z.coerce.number().int().min(30).max(86_400).default(300),
    /** Webhooks (docs/webhooks.md): the DNS-over-HTTPS JSON endpoint endpoint hosts are resolved with. */
    DNS_RESOLVER_URL: z.url().default("https://cloudflare-dns.com/dns-query"),
    /** Comma-separated origins exempt from the https and public-address rules: local receivers in dev and tests only. */
    WEBHOOK_ALLOWED_ORIGINS: csv,
    /** The first retry's delay; each next one doubles, for up to a day after the event. */
    WEBHOOK_RETRY_BASE_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
  })
  .superRefine((c, ctx) => {
    if (c.PAYOUTS_TOKEN === c.ORIGIN_TOKEN) {
      ctx.addIssue({
        code: "custom",
        path: ["PAYOUTS_TOKEN"],
        message:
          "PAYOUTS_TOKEN must differ from ORIGIN_TOKEN: the transcoder must not hold the payout run's credential",
      });
    }
    // The dev senders keep every code and reset link in a KV outbox: never in production, where
    // APP_ENV is the default, so leaving MAILER/SMS unset fails here instead of "sending" nothing.
    if (c.APP_ENV === "production" && c.MAILER === "dev") {
      ctx.addIssue({
        code: "custom",
        path: ["MAILER"],
        message: "the dev mailer is refused in production: set MAILER=http (and MAILER_API_KEY)",
      });
    }
    if (c.APP_ENV === "production" && c.SMS === "dev") {
      ctx.addIssue({
        code: "custom",
        path: ["SMS"],
        message: "the dev SMS sender is refused in production: set SMS=twilio (and its TWILIO_* vars)",
      });
    }
    // Local storage streams every upload through this worker's /storage route (request-size and
    // CPU limits in production): production hands out R2 presigned URLs instead.
    if (c.APP_ENV === "production" && c.STORAGE_MODE === "local") {
      ctx.addIssue({
        code: "custom",
        path: ["STORAGE_MODE"],
        message: "local storage is refused in production: set STORAGE_MODE=r2 (and the R2_* secrets)",
      });
    }
    if (c.MAILER === "http" && !c.MAILER_API_KEY) {
      ctx.addIssue({ code: "custom", path: ["MAILER_API_KEY"], message: "required when MAILER=http" });
    }
    if (c.SMS === "twilio" && (!c.TWILIO_ACCOUNT_SID || !c.TWILIO_AUTH_TOKEN)) {
      ctx.addIssue({
        code: "custom",
        path: ["TWILIO_ACCOUNT_SID"],
        message: "TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are required when SMS=twilio",
      });
    }
    // A half-configured provider is a typo, not a choice: refuse it (a provider with no keys at all is off).
    const stripeKeys = [c.STRIPE_SECRET_KEY, c.STRIPE_WEBHOOK_SECRET].filter(Boolean).length;
    if (stripeKeys === 1) {
      ctx.addIssue({
        code: "custom",
        path: ["STRIPE_SECRET_KEY"],
        message:
          "STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET go together (set both, or neither to turn Stripe off)",
      });
    }
    const paypalKeys = [c.PAYPAL_CLIENT_ID, c.PAYPAL_CLIENT_SECRET, c.PAYPAL_WEBHOOK_ID].filter(
      Boolean,
    ).length;
    if (paypalKeys > 0 && paypalKeys < 3) {
      ctx.addIssue({
        code: "custom",
        path: ["PAYPAL_CLIENT_ID"],
        message:
          "PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET and PAYPAL_WEBHOOK_ID go together (set all, or none to turn PayPal off)",
      });
    }
    // Secrets and card-holder data never travel in clear text to a provider in production, and a
    // webhook host's addresses are not learnt over a channel anyone on the path could answer.
    if (c.APP_ENV === "production") {
      for (const key of ["STRIPE_API_URL", "PAYPAL_API_URL", "DNS_RESOLVER_URL"] as const) {
        if (!c[key].startsWith("https://")) {
          ctx.addIssue({ code: "custom", path: [key], message: "must be an https:// URL in production" });
        }
      }
    }
    // The exemption lets a webhook reach a loopback receiver: a test convenience, an SSRF hole in production.
    if (c.APP_ENV === "production" && c.WEBHOOK_ALLOWED_ORIGINS.length > 0) {
      ctx.addIssue({
        code: "custom",
        path: ["WEBHOOK_ALLOWED_ORIGINS"],
        message: "is for local receivers in development and tests; refused in production",
      });
    }
    if (c.STORAGE_MODE === "r2" && (!c.R2_ACCOUNT_ID || !c.R2_ACCESS_KEY_ID || !c.R2_SECRET_ACCESS_KEY)) {
      ctx.addIssue({
        code: "custom",
        path: ["R2_ACCESS_KEY_ID"],
        message: "R2_ACCOUNT_ID, R2_ACCESS_KEY_ID and R2_SECRET_ACCESS_KEY are required when STORAGE_MODE=r2",
      });
    }
    if (c.SMS === "twilio" && !c.TWILIO_FROM && !c.TWILIO_MESSAGING_SERVICE_SID) {
      ctx.addIssue({
        code: "custom",
        path: ["TWILIO_FROM"],
        message: "TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID is required",
      });
    }
  });

export type RawConfig = z.infer<typeof ConfigSchema>;

/** Every name the parser reads (vars and secrets), for scripts/deploy-check.ts's typo check. */
export const CONFIG_KEYS: readonly string[] = Object.keys(ConfigSchema.shape);

export interface Config {
  env: RawConfig["APP_ENV"];
  publicUrl: string;
  allowedOrigins: string[];
  accessTokenTtl: number;
  refreshTokenTtl: number;
  maxJsonBodyBytes: number;
  /** Load shedding's limit of requests in flight per isolate; 0: off. */
  maxInFlight: number;
  jwt: { privateJwk: JsonWebKey & { kid: string }; previousPublicJwks: (JsonWebKey & { kid: string })[] };
  loginThrottle: { maxPerEmail: number; maxPerClient: number; windowSeconds: number };
  mailer: { kind: "dev" } | { kind: "http"; baseUrl: string; apiKey: string; from: string };
  sms:
    | { kind: "dev" }
    | {
        kind: "twilio";
        baseUrl: string;
        accountSid: string;
        authToken: string;
        from?: string;
        messagingServiceSid?: string;
      };
  /** Dev-only routes (the mailbox) exist only outside production. */
  devRoutes: boolean;
  originToken: string;
  /** The payout run's credential on /internal/payouts (never the transcoder's). */
  payoutsToken: string;
  /** Signs local storage URLs and playback tokens (each with its own label). */
  mediaSigningKey: string;
  storage:
    | { mode: "local"; signingKey: string }
    | { mode: "r2"; accountId: string; accessKeyId: string; secretAccessKey: string; bucket: string };
  uploads: { maxBytes: number; singleMaxBytes: number; urlTtlSeconds: number };
  jobs: { leaseSeconds: number; maxAttempts: number };
  sourceLimits: { maxDurationSeconds: number; maxWidth: number; maxHeight: number; maxBytes: number };
  playback: {
    tokenTtlSeconds: number;
    saveDataMaxHeight: number;
  };
  reactions: { defaultShards: number };
  /**
   * Payment providers. Empty keys = that provider is off (not listed in /plans, checkout 503).
   * Plans and their limits are data (the `plans` table), not configuration.
   */
  billing: {
    stripe: { apiUrl: string; secretKey: string; webhookSecret: string };
    paypal: { apiUrl: string; clientId: string; clientSecret: string; webhookId: string };
    pastDueGraceSeconds: number;
    streamLapseSeconds: number;
  };
  /** Ads (docs/ads.md). */
  ads: { reservationSeconds: number; floorCpmCents: number; maxCreativeSeconds: number };
  /** Payouts (docs/payouts.md). */
  payouts: { creatorAdSharePct: number; premiumPoolPct: number; closeDelaySeconds: number };
  /** Origin containers, used only where the ORIGIN_CONTAINER binding exists (origin-container/). */
  originContainers: { maxInstances: number; concurrency: number; sleepAfterSeconds: number };
  /** Integrator webhooks (docs/webhooks.md). */
  webhooks: { resolverUrl: string; allowedOrigins: string[]; retryBaseSeconds: number };
}

const JwkSchema = z.looseObject({ kty: z.string(), kid: z.string().min(1) });

const cache = new WeakMap<object, Config>();

export function loadConfig(env: object): Config {
  const hit = cache.get(env);
  if (hit) return hit;
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    throw new AppError("misconfigured", `Invalid configuration: ${fields}`);
  }
  const c = parsed.data;
  const config: Config = {
    env: c.APP_ENV,
    publicUrl: c.PUBLIC_URL,
    allowedOrigins: c.ALLOWED_ORIGINS,
    accessTokenTtl: c.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtl: c.REFRESH_TOKEN_TTL_SECONDS,
    maxJsonBodyBytes: c.MAX_JSON_BODY_BYTES,
    maxInFlight: c.MAX_IN_FLIGHT,
    jwt: {
      privateJwk: parseJwk(c.JWT_PRIVATE_JWK, "JWT_PRIVATE_JWK"),
      previousPublicJwks: parseJwkList(c.JWT_PREVIOUS_PUBLIC_JWKS),
    },
    loginThrottle: {
      maxPerEmail: c.LOGIN_MAX_FAILURES_PER_EMAIL,
      maxPerClient: c.LOGIN_MAX_FAILURES_PER_CLIENT,
      windowSeconds: c.LOGIN_WINDOW_SECONDS,
    },
    mailer:
      c.MAILER === "http"
        ? { kind: "http", baseUrl: c.MAILER_URL, apiKey: c.MAILER_API_KEY, from: c.MAILER_FROM }
        : { kind: "dev" },
    sms:
      c.SMS === "twilio"
        ? {
            kind: "twilio",
            baseUrl: c.TWILIO_URL,
            accountSid: c.TWILIO_ACCOUNT_SID,
            authToken: c.TWILIO_AUTH_TOKEN,
            ...(c.TWILIO_FROM ? { from: c.TWILIO_FROM } : {}),
            ...(c.TWILIO_MESSAGING_SERVICE_SID
              ? { messagingServiceSid: c.TWILIO_MESSAGING_SERVICE_SID }
              : {}),
          }
        : { kind: "dev" },
    devRoutes: c.APP_ENV !== "production",
    originToken: c.ORIGIN_TOKEN,
    payoutsToken: c.PAYOUTS_TOKEN,
    mediaSigningKey: c.MEDIA_SIGNING_KEY,
    storage:
      c.STORAGE_MODE === "r2"
        ? {
            mode: "r2",
            accountId: c.R2_ACCOUNT_ID,
            accessKeyId: c.R2_ACCESS_KEY_ID,
            secretAccessKey: c.R2_SECRET_ACCESS_KEY,
            bucket: c.R2_BUCKET,
          }
        : { mode: "local", signingKey: c.MEDIA_SIGNING_KEY },
    uploads: {
      maxBytes: c.MAX_UPLOAD_BYTES,
      singleMaxBytes: c.SINGLE_UPLOAD_MAX_BYTES,
      urlTtlSeconds: c.UPLOAD_URL_TTL_SECONDS,
    },
    jobs: { leaseSeconds: c.JOB_LEASE_SECONDS, maxAttempts: c.MAX_JOB_ATTEMPTS },
    sourceLimits: {
      maxDurationSeconds: c.MAX_SOURCE_DURATION_SECONDS,
      maxWidth: c.MAX_SOURCE_WIDTH,
      maxHeight: c.MAX_SOURCE_HEIGHT,
      maxBytes: c.MAX_UPLOAD_BYTES,
    },
    playback: {
      tokenTtlSeconds: c.PLAYBACK_TOKEN_TTL_SECONDS,
      saveDataMaxHeight: c.SAVE_DATA_MAX_HEIGHT,
    },
    reactions: { defaultShards: c.REACTION_SHARDS },
    billing: {
      stripe: {
        apiUrl: c.STRIPE_API_URL,
        secretKey: c.STRIPE_SECRET_KEY,
        webhookSecret: c.STRIPE_WEBHOOK_SECRET,
      },
      paypal: {
        apiUrl: c.PAYPAL_API_URL,
        clientId: c.PAYPAL_CLIENT_ID,
        clientSecret: c.PAYPAL_CLIENT_SECRET,
        webhookId: c.PAYPAL_WEBHOOK_ID,
      },
      pastDueGraceSeconds: c.BILLING_PAST_DUE_GRACE_SECONDS,
      streamLapseSeconds: c.STREAM_LAPSE_SECONDS,
    },
    ads: {
      reservationSeconds: c.ADS_RESERVATION_SECONDS,
      floorCpmCents: c.ADS_FLOOR_CPM_CENTS,
      maxCreativeSeconds: c.ADS_MAX_CREATIVE_SECONDS,
    },
    payouts: {
      creatorAdSharePct: c.PAYOUTS_CREATOR_AD_SHARE_PCT,
      premiumPoolPct: c.PAYOUTS_PREMIUM_POOL_PCT,
      closeDelaySeconds: c.PAYOUTS_CLOSE_DELAY_SECONDS,
    },
    originContainers: {
      maxInstances: c.ORIGIN_CONTAINER_MAX_INSTANCES,
      concurrency: c.ORIGIN_CONTAINER_CONCURRENCY,
      sleepAfterSeconds: c.ORIGIN_CONTAINER_SLEEP_AFTER_SECONDS,
    },
    webhooks: {
      resolverUrl: c.DNS_RESOLVER_URL,
      allowedOrigins: c.WEBHOOK_ALLOWED_ORIGINS,
      retryBaseSeconds: c.WEBHOOK_RETRY_BASE_SECONDS,
    },
  };
  cache.set(env, config);
  return config;
}

function parseJwk(raw: string, name: string): JsonWebKey & { kid: string } {
  try {
    return JwkSchema.parse(JSON.parse(raw)) as JsonWebKey & { kid: string };
  } catch {
    throw new AppError("misconfigured", `${name} must be a JSON Web Key with a kid`);
  }
}

function parseJwkList(raw: string): (JsonWebKey & { kid: string })[] {
  try {
    return z.array(JwkSchema).parse(JSON.parse(raw)) as (JsonWebKey & { kid: string })[];
  } catch {
    throw new AppError("misconfigured", "JWT_PREVIOUS_PUBLIC_JWKS must be a JSON array of JWKs with kids");
  }
}
