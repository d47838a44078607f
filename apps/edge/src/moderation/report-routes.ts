import { createRouter } from "../lib/openapi";

export const reportRoutes = createRouter();
