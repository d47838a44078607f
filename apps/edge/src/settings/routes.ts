import {
  bearerSecurity,
  commonErrors,
  createRouter,
  jsonBody,
  jsonContent,
  optionalBearerSecurity,
  routesOf,
} from "../lib/openapi";
import { ListQuery } from "../lib/pagination";
import { caller, services } from "../services";
import { ConfigRollback, ConfigUpdate, ConfigVersionPage, ConfigView, MyFlags } from "./schemas";
import { currentConfig, listConfigVersions, myFlags, rollbackConfig, updateConfig } from "./service";

const route = routesOf({ tags: ["admin"], security: bearerSecurity });

const PROPAGATION =
  "Every route reads the settings per request from a per-isolate copy at most 30 s old, so a change " +
  "takes effect everywhere within 30 s.";

/** The dynamic settings (docs/moderation.md, "Configuration"): the admin's editor, and the caller's flags. */
export const settingsRoutes = createRouter()
  .openapi(
    route({
      method: "get",
      path: "/admin/config",
      summary: "The current dynamic settings and their version (admin)",
      responses: { 200: jsonContent(ConfigView, "The current version"), ...commonErrors },
    }),
    async (c) => c.json(await currentConfig(...caller(c)), 200),
  )
  .openapi(
    route({
      method: "put",
      path: "/admin/config",
      summary: "Replace the dynamic settings (admin; validated, versioned, audited)",
      description: `A field that fails validation is a 400 naming it (json.value.…). \`ifVersion\` must be the current version, else 409. ${PROPAGATION}`,
      request: { body: jsonBody(ConfigUpdate) },
      responses: { 200: jsonContent(ConfigView, "The new version"), ...commonErrors },
    }),
    async (c) => c.json(await updateConfig(...caller(c), c.req.valid("json")), 200),
  )
  .openapi(
    route({
      method: "get",
      path: "/admin/config/versions",
      summary: "Every recorded version of the dynamic settings, newest first (admin)",
      request: { query: ListQuery },
      responses: { 200: jsonContent(ConfigVersionPage, "A page of versions"), ...commonErrors },
    }),
    async (c) => c.json(await listConfigVersions(...caller(c), c.req.valid("query")), 200),
  )
  .openapi(
    route({
      method: "post",
      path: "/admin/config/rollback",
      summary: "Make an earlier version's value current again, as a new version (admin; audited)",
      description: `Version 0 is the built-in defaults. ${PROPAGATION}`,
      request: { body: jsonBody(ConfigRollback) },
      responses: { 200: jsonContent(ConfigView, "The new version"), ...commonErrors },
    }),
    async (c) => c.json(await rollbackConfig(...caller(c), c.req.valid("json")), 200),
  )
  .openapi(
    route({
      method: "get",
      path: "/me/flags",
      tags: ["accounts"],
      security: optionalBearerSecurity,
      summary: "Every feature flag, on or off for the caller's account",
      description:
        "Percentage rollouts put each account in a stable bucket; without a token only flags rolled out to 100 % are on.",
      responses: { 200: jsonContent(MyFlags, "The flags"), ...commonErrors },
    }),
    async (c) => c.json(await myFlags(services(c), c.var.actor ?? null), 200),
  );
