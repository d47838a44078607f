import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      /** Test-only bindings added by vitest.config.ts. */
      TEST_MIGRATIONS: D1Migration[];
      SAAS_URL: string;
      /** The payments sandbox's base URL (its /__control test controls) and the webhook relay's. */
      PAYMENTS_SANDBOX_URL: string;
      PAYMENTS_RELAY_URL: string;
      /** The local webhook receiver and DoH resolver (test/webhook-receiver.ts). */
      WEBHOOK_RECEIVER_URL: string;
      DNS_RESOLVER_URL: string;
    }
  }
}
