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
 * `edge` reuses a worker across test files (`isolate: false`: each file no longer pays workerd's
 * start and the app's module graph again, which was most of the suite's time), so files in one
 * worker share its D1, R2, KV and Durable Objects; `edge-isolated` gives each of ISOLATED_FILES a
 * fresh worker. Which worker runs which file after which depends on timing, so a file goes to
 * `edge-isolated` when it changes or reads state other files share rather than only rows of its
 * own: anything signed in as an admin or a moderator (plans, settings, categories, the audit log,
 * queues), the ads (auctions see every campaign), and the tests that found shared storage
 * (an audit chain from its genesis row, a plan's stream count). A clean clone showed the need:
 * audit/actions.test.ts edits the standard plan, and billing/routes.test.ts after it in one worker
 * read the edit.
 */
export const ISOLATED_FILES = [
  "bench/worker.test.ts",
  "src/admin/suspension.test.ts",
  "src/admin/users.test.ts",
  "src/ads/auction.test.ts",
  "src/ads/campaigns.test.ts",
  "src/ads/click-through.test.ts",
  "src/ads/context.test.ts",
  "src/ads/creatives.test.ts",
  "src/ads/decision.concurrency.test.ts",
  "src/ads/decision.refusals.test.ts",
  "src/ads/decision.test.ts",
  "src/ads/delivery.test.ts",
  "src/ads/pacing.test.ts",
  "src/ads/reports.test.ts",
  "src/ads/reviews.test.ts",
  "src/ads/rollups.test.ts",
  "src/ads/stitch.test.ts",
  "src/ads/targeting.test.ts",
  "src/ads/tracking.test.ts",
  "src/ads/vast.test.ts",
  "src/analytics/rollup/buckets.test.ts",
  "src/analytics/rollup/recompute.test.ts",
  "src/analytics/routes.channel.test.ts",
  "src/analytics/routes.cover.test.ts",
  "src/analytics/routes.test.ts",
  "src/app.test.ts",
  "src/audit/actions.test.ts",
  "src/audit/chain.test.ts",
  "src/audit/chain.verify.test.ts",
  "src/audit/routes.test.ts",
  "src/billing/routes.test.ts",
  "src/catalog/categories.test.ts",
  "src/catalog/listings.moderation.test.ts",
  "src/channels/routes.test.ts",
  "src/db/session.test.ts",
  "src/feed/service.test.ts",
  "src/history/beacons.moderation.test.ts",
  "src/history/beacons.qoe.test.ts",
  "src/history/beacons.test.ts",
  "src/history/service.test.ts",
  "src/moderation/auto-hide.test.ts",
  "src/moderation/claims.test.ts",
  "src/moderation/flow.test.ts",
  "src/moderation/targets.test.ts",
  "src/payouts/earnings.test.ts",
  "src/payouts/internal-routes.test.ts",
  "src/playback/playback.streams.test.ts",
  "src/playback/service.moderation.test.ts",
  "src/playback/streams/routes.playback.test.ts",
  "src/playback/urls.test.ts",
  "src/search/service.test.ts",
  "src/settings/routes.test.ts",
  "src/settings/store.test.ts",
  "src/social/comments/deletion.test.ts",
  "src/social/comments/moderation.reports.test.ts",
  "src/social/comments/moderation.test.ts",
  "src/social/comments/posting.test.ts",
  "src/social/comments/text.test.ts",
  "src/social/comments/watched-words.test.ts",
  "src/social/reactions/events.test.ts",
  "src/social/reactions/routes.test.ts",
  "src/social/subscriptions/service.hidden.test.ts",
  "src/videos/ad-creatives.test.ts",
  "src/videos/routes.test.ts",
  "src/webhooks/webhooks.test.ts",
  "test/authorization-matrix.test.ts",
  "test/fuzz.test.ts",
  "test/maturity.property.test.ts",
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
