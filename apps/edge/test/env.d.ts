import type { D1Migration } from "cloudflare:test";

declare global {
  namespace Cloudflare {
    interface Env {
      /** Test-only bindings added by vitest.config.ts. */
      TEST_MIGRATIONS: D1Migration[];
      SAAS_URL: string;
    }
  }
}
