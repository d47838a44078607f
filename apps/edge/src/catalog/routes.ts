import { createRouter } from "../lib/openapi";

/** catalog routes under /api/v1 (issue 5). */
export const catalogRoutes = createRouter();
