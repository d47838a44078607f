import { OpenAPIHono, z } from "@hono/zod-openapi";
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

export { entityId } from "./params";

export const bearerSecurity = [{ bearerAuth: [] }];
