import { createRouter } from "../../lib/openapi";

/** reactions routes under /api/v1. */
export const reactionsRoutes = createRouter();
