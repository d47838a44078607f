import { createRouter } from "../lib/openapi";

export const moderationRoutes = createRouter();
