import { createRouter } from "../lib/openapi";

/** history routes under /api/v1 (issue 5). */
export const historyRoutes = createRouter();
