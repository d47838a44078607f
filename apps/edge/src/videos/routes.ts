import { createRouter } from "../lib/openapi";

/** Public video routes under /api/v1 (videos domain). */
export const videoRoutes = createRouter();
