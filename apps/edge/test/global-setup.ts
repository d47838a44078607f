/**
 * vitest globalSetup for the edge project (runs in Node, not workerd): starts the local SaaS
 * stand-in (test/saas-server.ts), the payments sandbox (apps/payments-sandbox) and the relay its
 * webhooks go to (test/payments-relay.ts), and provides their URLs, which vitest.config.ts binds
 * into the worker (SAAS_URL, STRIPE_API_URL/PAYPAL_API_URL, PAYMENTS_RELAY_URL).
 */
import type { TestProject } from "vitest/node";
import { SANDBOX_CREDENTIALS } from "../../payments-sandbox/src/credentials";
import { startPaymentsSandbox } from "../../payments-sandbox/src/server";
import { startPaymentsRelay } from "./payments-relay";
import { startSaasServer } from "./saas-server";
import { startWebhookReceiver } from "./webhook-receiver";

declare module "vitest" {
  export interface ProvidedContext {
    saasUrl: string;
    paymentsSandboxUrl: string;
    paymentsRelayUrl: string;
    webhookReceiverUrl: string;
  }
}

export default async function setup({ provide }: Pick<TestProject, "provide">): Promise<() => Promise<void>> {
  const server = await startSaasServer();
  const relay = await startPaymentsRelay();
  const receiver = await startWebhookReceiver();
  const sandbox = await startPaymentsSandbox({
    stripeWebhook: { url: `${relay.url}/stripe`, secret: SANDBOX_CREDENTIALS.stripeWebhookSecret },
    paypalWebhook: { url: `${relay.url}/paypal`, webhookId: SANDBOX_CREDENTIALS.paypalWebhookId },
    // The relay always answers 200: no retries are ever needed.
    retryDelaysMs: [50],
  });
  provide("saasUrl", server.url);
  provide("paymentsSandboxUrl", sandbox.url);
  provide("paymentsRelayUrl", relay.url);
  provide("webhookReceiverUrl", receiver.url);
  return async () => {
    await sandbox.close();
    await receiver.close();
    await relay.close();
    await server.close();
  };
}
