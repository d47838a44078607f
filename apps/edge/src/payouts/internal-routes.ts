import { createRouter } from "../lib/openapi";

/** The origin's payout API under /internal/payouts (docs/payouts.md). */
export const payoutsInternalRoutes = createRouter();
