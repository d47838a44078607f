import { createRouter } from "../lib/openapi";

/** Creator money under /api/v1 (docs/payouts.md): onboarding, earnings, payouts; the admin's runs. */
export const payoutsRoutes = createRouter();
