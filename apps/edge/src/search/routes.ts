import { createRouter } from "../lib/openapi";

/** search routes under /api/v1 (issue 5). */
export const searchRoutes = createRouter();
