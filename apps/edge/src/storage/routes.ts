import { createRouter } from "../lib/openapi";

/** The local signed-URL storage route, /storage/{key} (see signer.ts). */
export const storageRoutes = createRouter();
