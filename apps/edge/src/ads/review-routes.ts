import { createRouter } from "../lib/openapi";

/** STUB: filled by a helper (see docs/ads.md). */
export const reviewRoutes = createRouter();
