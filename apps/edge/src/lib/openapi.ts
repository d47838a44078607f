import { createRoute, OpenAPIHono, type RouteConfig, z } from "@hono/zod-openapi";
import type { ZodError } from "zod";
import type { AppEnv } from "../types";
import { AppError, type FieldError } from "./errors";

/** Converts zod issues into the problem document's `errors`, prefixed by where the input came from. */
export function fieldErrors(error: ZodError, target: string): FieldError[] {
  return error.issues.map((issue) => ({
    path: [target, ...issue.path.map(String)].join("."),
    message: issue.message,
  }));
}

/** Every router in the app is made here, so validation failures always become the same problem. */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) {
        throw new AppError("validation_failed", "Some fields are missing or invalid.", {
          errors: fieldErrors(result.error, result.target),
        });
      }
    },
  });
}

export type Router = ReturnType<typeof createRouter>;

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    code: z.string(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");

const problem = (description: string) => ({
  description,
  content: { "application/problem+json": { schema: ProblemSchema } },
});

/** The error responses every route may give, for the generated documentation. */
export const commonErrors = {
  400: problem("Invalid input"),
  401: problem("Missing, invalid or expired credentials"),
  403: problem("Not allowed"),
  404: problem("Not found"),
  409: problem("Conflict"),
  429: problem("Too many requests"),
} as const;

export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
  return {
    required: true,
    ...(description ? { description } : {}),
    content: { "application/json": { schema } },
  } as const;
}

export function jsonContent<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } } as const;
}

/** Routes that need a signed-in caller (the handler enforces it; this is for the documentation). */
export const bearerSecurity = [{ bearerAuth: [] }];
/** Signed-out callers may call; a token applies its profile's access and maturity level. */
export const optionalBearerSecurity = [{}, ...bearerSecurity];

/** Routes anyone may call, signed in or not: said as `security: []`, so the document says it too. */
export const publicSecurity: { [scheme: string]: string[] }[] = [];

const pascal = (text: string) =>
  text
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]?.toUpperCase() + word.slice(1))
    .join("");

/**
 * The operationId of a route that names none: the method, then each segment of the route's path
 * (as its router declares it, so `/login` on the auth router; a leading `/api/v1` is dropped), a
 * parameter as `By<Name>` (`GET /videos/{videoId}/comments` → `getVideosByVideoIdComments`). One
 * rule for every route, so each operation has an id (the SDK's method names) and a new route gets
 * one without anyone choosing it. Two routers declaring the same method and path would collide:
 * Redocly's lint in tests/platform/platform.test.ts fails on a duplicate id, and that route then
 * names its own.
 */
export function operationIdFor(method: string, path: string): string {
  const segments = path
    .replace(/^\/api\/v1(?=\/|$)/, "")
    .split("/")
    .filter(Boolean);
  const words = segments.map((segment) => {
    const param = /^\{(.+)\}$/.exec(segment)?.[1];
    return param ? `By${pascal(param)}` : pascal(segment);
  });
  return method.toLowerCase() + words.join("");
}

/**
 * createRoute with what a domain's routes share said once: `const route = routesOf({ tags, security })`,
 * then `route({ method, path, summary, request, responses })`. A route that differs overrides the
 * field (`security: publicSecurity` for a public route). Defaults come first so the generated operation
 * keeps the key order `tags, security, summary, …`; the operationId is operationIdFor's unless the
 * route gives one. Same generics as createRoute, so handlers are typed exactly as with it;
 * `Omit<D, keyof R>` because an override replaces a default (a plain intersection of two
 * `security` types can be never, and with it the whole route type).
 */
export function routesOf<D extends Partial<RouteConfig>>(defaults: D) {
  return <P extends string, R extends Omit<RouteConfig, "path"> & { path: P }>(config: R) =>
    createRoute<P, Omit<D, keyof R> & R & { operationId: string }>({
      ...defaults,
      ...config,
      operationId: config.operationId ?? operationIdFor(config.method, config.path),
    });
}
