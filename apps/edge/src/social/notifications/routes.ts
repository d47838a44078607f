import { createRouter } from "../../lib/openapi";

/** notifications routes under /api/v1. */
export const notificationsRoutes = createRouter();
