import { createRouter } from "../../lib/openapi";

/** comments routes under /api/v1. */
export const commentsRoutes = createRouter();
