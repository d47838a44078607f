import { createRouter } from "../lib/openapi";

export const auditRoutes = createRouter();
