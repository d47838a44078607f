/**
 * The sandbox's fixed credentials (docs: common names in issue 12). Dev/test constants that only ever
 * unlock this in-memory sandbox; production uses the providers' real keys. `bun run dev` passes these
 * to the edge with `--var`, and the tests import them.
 */
export const SANDBOX_CREDENTIALS = {
  stripeSecretKey: "sk_test_marquee_sandbox",
  stripeWebhookSecret: "whsec_marquee_sandbox",
  paypalClientId: "marquee-sandbox-client",
  paypalClientSecret: "marquee-sandbox-secret",
  paypalWebhookId: "WH-MARQUEE-SANDBOX",
} as const;

/** The Stripe API version the sandbox reports when a request names none (stripe@23's pinned one). */
export const DEFAULT_STRIPE_API_VERSION = "2026-11-18.endive";
