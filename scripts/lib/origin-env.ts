/**
 * The environment the local platform gives its origin (scripts/dev.ts), in one place so that what the
 * platform tests run beside it (`payouts:run` as a child process) gets exactly the same. Node APIs only.
 */
import { join } from "node:path";
import { SANDBOX_CREDENTIALS } from "../../apps/payments-sandbox/src/credentials";

export interface DevOriginOptions {
  host: string;
  port: number;
  edgeUrl: string;
  originToken: string;
  /** The payout run's token: locally the origin runs the monthly schedule too. */
  payoutsToken: string;
  /** The platform's state dir: the payout ledger lives inside it. */
  stateDir: string;
  /** The payments sandbox, the origin's Stripe for Connect transfers. */
  sandboxUrl: string;
}

/**
 * The origin's payout ledger file inside a state dir. Inside it, not the origin's `.data/` default, so
 * a platform started on a fresh state dir (every platform test) starts with an empty ledger, next to
 * the edge's empty D1, and removing the state dir resets both together.
 */
export const originLedgerFile = (stateDir: string) => join(stateDir, "origin", "origin.sqlite");

export function devOriginEnv(o: DevOriginOptions): Record<string, string> {
  return {
    ORIGIN_HOST: o.host,
    ORIGIN_PORT: String(o.port),
    EDGE_URL: o.edgeUrl,
    ORIGIN_TOKEN: o.originToken,
    PAYOUTS_TOKEN: o.payoutsToken,
    APP_ENV: "development",
    // Payouts: transfers go to the payments sandbox with its dev key (never a real Stripe).
    STRIPE_SECRET_KEY: SANDBOX_CREDENTIALS.stripeSecretKey,
    STRIPE_API_URL: o.sandboxUrl,
    DATABASE_URL: `file:${originLedgerFile(o.stateDir)}`,
  };
}
