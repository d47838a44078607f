import { createRouter } from "../lib/openapi";

export const settingsRoutes = createRouter();
