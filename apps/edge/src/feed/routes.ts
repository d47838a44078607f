import { createRouter } from "../lib/openapi";

/** feed routes under /api/v1 (issue 5). */
export const feedRoutes = createRouter();
