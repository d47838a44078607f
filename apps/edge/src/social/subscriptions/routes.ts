import { createRouter } from "../../lib/openapi";

/** subscriptions routes under /api/v1. */
export const subscriptionsRoutes = createRouter();
