import { Hono } from "hono";
import type { AppEnv } from "../types";

/** Routes that serve the web app's own pages from the worker (the embeddable player). */
export const webRoutes = new Hono<AppEnv>();
