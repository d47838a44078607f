/**
 * `bun apps/payments-sandbox/src/main.ts`: the sandbox as a process (what `bun run dev` starts).
 * Env: PAYMENTS_SANDBOX_PORT (default 8791), PAYMENTS_SANDBOX_PUBLIC_URL, STRIPE_WEBHOOK_URL,
 * STRIPE_WEBHOOK_SECRET, PAYPAL_WEBHOOK_URL, PAYPAL_WEBHOOK_ID, SANDBOX_RETRY_DELAYS_MS (csv of ms).
 */
import { SANDBOX_CREDENTIALS } from "./credentials";
import { DEFAULT_RETRY_DELAYS_MS, startPaymentsSandbox } from "./server";

const env = process.env;

function retryDelays(raw: string | undefined): number[] {
  if (!raw?.trim()) return DEFAULT_RETRY_DELAYS_MS;
  const delays = raw.split(",").map((s) => Number(s.trim()));
  if (delays.some((d) => !Number.isInteger(d) || d < 0)) {
    console.error(
      `SANDBOX_RETRY_DELAYS_MS: expected a comma-separated list of milliseconds, got ${JSON.stringify(raw)}`,
    );
    process.exit(2);
  }
  return delays;
}

const port = Number(env.PAYMENTS_SANDBOX_PORT ?? 8791);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(
    `PAYMENTS_SANDBOX_PORT must be a port number, got ${JSON.stringify(env.PAYMENTS_SANDBOX_PORT)}`,
  );
  process.exit(2);
}

const sandbox = await startPaymentsSandbox({
  port,
  publicUrl: env.PAYMENTS_SANDBOX_PUBLIC_URL || undefined,
  stripeWebhook: env.STRIPE_WEBHOOK_URL
    ? {
        url: env.STRIPE_WEBHOOK_URL,
        secret: env.STRIPE_WEBHOOK_SECRET || SANDBOX_CREDENTIALS.stripeWebhookSecret,
      }
    : undefined,
  paypalWebhook: env.PAYPAL_WEBHOOK_URL
    ? { url: env.PAYPAL_WEBHOOK_URL, webhookId: env.PAYPAL_WEBHOOK_ID || SANDBOX_CREDENTIALS.paypalWebhookId }
    : undefined,
  retryDelaysMs: retryDelays(env.SANDBOX_RETRY_DELAYS_MS),
});
console.log(`payments sandbox listening on ${sandbox.url} (Stripe + PayPal, test mode)`);
console.log(
  `  stripe webhooks → ${env.STRIPE_WEBHOOK_URL || "(none)"}; paypal webhooks → ${env.PAYPAL_WEBHOOK_URL || "(none)"}`,
);

const stop = () => {
  void sandbox.close().then(() => process.exit(0));
};
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
