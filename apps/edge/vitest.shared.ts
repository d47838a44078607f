import { webcrypto } from "node:crypto";
import { accessSync, constants } from "node:fs";
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

/** A throwaway ES256 key per test run, so tests never depend on a developer's .dev.vars. */
async function testSigningKey(): Promise<string> {
  const pair = await webcrypto.subtle.generateKey({ name: "ECDSA", namedCurve: "P-256" }, true, [
    "sign",
    "verify",
  ]);
  const jwk = await webcrypto.subtle.exportKey("jwk", pair.privateKey);
  return JSON.stringify({ ...jwk, kid: `test-${Date.now()}`, alg: "ES256" });
}

/**
 * Local workerd makes one SQLite file per Durable Object in the temp dir: ~20 ms each on disk,
 * ~1.5 ms on tmpfs. The 10,000-inbox fan-out test needs tmpfs to finish in reasonable time.
 */
function preferTmpfs(): void {
  try {
    accessSync("/dev/shm", constants.W_OK);
    if (!process.env.TMPDIR) process.env.TMPDIR = "/dev/shm";
  } catch {
    // no tmpfs: slower, still correct
  }
}
preferTmpfs();

/**
 * The edge tests run in workerd (@cloudflare/vitest-plugin) as two projects of this one setup:
 * `edge` reuses a worker across test files (`isolate: false`: each file no longer pays ~1–10 s of
 * spawning workerd and loading the app's module graph again, which was most of the suite's time),
 * so files in one worker share its D1, R2, KV and Durable Objects; `edge-isolated` gives each of
 * ISOLATED_FILES a fresh worker, for the tests that need storage nobody else wrote to (an audit
 * chain from its genesis row, an ad auction with only its own campaigns, a plan's stream count).
 */
export const ISOLATED_FILES = [
  "bench/worker.test.ts",
  "src/admin/users.test.ts",
  "src/ads/decision.refusals.test.ts",
  "src/ads/decision.test.ts",
  "src/audit/chain.test.ts",
  "src/audit/chain.verify.test.ts",
  "src/audit/routes.test.ts",
  "src/moderation/flow.test.ts",
  "src/playback/playback.streams.test.ts",
  "src/playback/streams/routes.playback.test.ts",
];

export const edgeProject = (name: "edge" | "edge-isolated") =>
  defineConfig(async () => {
    const migrations = await readD1Migrations(path.join(import.meta.dirname, "migrations"));
    const jwk = await testSigningKey();
    return {
      plugins: [
        cloudflareTest(({ inject }) => ({
          wrangler: { configPath: "../../wrangler.toml" },
          miniflare: {
            bindings: {
              APP_ENV: "test",
              // No load shedding in tests: some fire thousands of requests at once on purpose.
              MAX_IN_FLIGHT: "0",
              JWT_PRIVATE_JWK: jwk,
              ORIGIN_TOKEN: "test-origin-token-0123456789",
              PAYOUTS_TOKEN: "test-payouts-token-0123456789",
              MEDIA_SIGNING_KEY: "test-media-signing-key-0123456789",
              TEST_MIGRATIONS: migrations,
              SAAS_URL: inject("saasUrl"),
              // The payments sandbox (apps/payments-sandbox) with its fixed dev/test credentials.
              STRIPE_API_URL: inject("paymentsSandboxUrl"),
              STRIPE_SECRET_KEY: "sk_test_marquee_sandbox",
              STRIPE_WEBHOOK_SECRET: "whsec_marquee_sandbox",
              PAYPAL_API_URL: inject("paymentsSandboxUrl"),
              PAYPAL_CLIENT_ID: "marquee-sandbox-client",
              PAYPAL_CLIENT_SECRET: "marquee-sandbox-secret",
              PAYPAL_WEBHOOK_ID: "WH-MARQUEE-SANDBOX",
              PAYMENTS_SANDBOX_URL: inject("paymentsSandboxUrl"),
              PAYMENTS_RELAY_URL: inject("paymentsRelayUrl"),
              // Webhooks (src/webhooks): names resolve through the test zone; only the local
              // receiver's own origin is exempt from the https and public-address rules.
              WEBHOOK_RECEIVER_URL: inject("webhookReceiverUrl"),
              DNS_RESOLVER_URL: `${inject("webhookReceiverUrl")}/dns-query`,
              WEBHOOK_ALLOWED_ORIGINS: inject("webhookReceiverUrl"),
              WEBHOOK_RETRY_BASE_SECONDS: "1",
            },
          },
        })),
      ],
      test: {
        name,
        isolate: name === "edge-isolated",
        // bench/: the bench-only worker entry's own tests.
        include:
          name === "edge" ? ["src/**/*.test.ts", "test/**/*.test.ts", "bench/**/*.test.ts"] : ISOLATED_FILES,
        exclude: name === "edge" ? ISOLATED_FILES : [],
        globalSetup: ["./test/global-setup.ts"],
        setupFiles: ["./test/apply-migrations.ts"],
        testTimeout: 30_000,
      },
    };
  });
