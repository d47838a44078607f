import { createRouter } from "../lib/openapi";

/** The origin's internal API under /internal (bearer ORIGIN_TOKEN). */
export const internalRoutes = createRouter();
