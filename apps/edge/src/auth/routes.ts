import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { undoEmailChange } from "../accounts/email-change";
import {
  bearerSecurity,
  commonErrors,
  createRouter,
  jsonBody,
  jsonContent,
  publicSecurity,
  routesOf,
} from "../lib/openapi";
import { caller, services } from "../services";
import type { AppEnv } from "../types";
import { clientAddress } from "./limits";
import {
  CodeBody,
  EmailChangeUndoBody,
  LoginBody,
  RefreshBody,
  ResetConfirmBody,
  ResetRequestBody,
  SignupBody,
  TokenPair,
} from "./schemas";
import * as auth from "./service";
import { publicJwks } from "./tokens";

const route = routesOf({ tags: ["auth"], security: publicSecurity });
const noContent = { 204: { description: "Done" } };

const client = (c: Context<AppEnv>) => ({
  address: clientAddress(c),
  userAgent: c.req.header("user-agent") ?? null,
});

export const authRoutes = createRouter()
  .openapi(
    route({
      method: "post",
      path: "/signup",
      summary: "Create an account (with its first profile) and sign in",
      description:
        "409 if the email is registered. Five 409s from one client (IPv4 address or IPv6 /64) in an hour, here " +
        "or at POST /me/email, make every signup from it answer 429 with Retry-After for the rest of the hour.",
      request: { body: jsonBody(SignupBody) },
      responses: { 201: jsonContent(TokenPair, "Signed in"), ...commonErrors },
    }),
    async (c) => c.json(await auth.signup(services(c), c.req.valid("json"), client(c)), 201),
  )
  .openapi(
    route({
      method: "post",
      path: "/login",
      summary: "Sign in with email and password",
      description:
        "A client is its IPv4 address or its IPv6 /64. Ten attempts for one email from one client (or thirty " +
        "from one client) within five minutes answer 429 with Retry-After. Past ten attempts on one email from " +
        "anywhere, attempts from clients that have not signed in to it lately queue for one slot a second, and " +
        "one that would wait more than five seconds answers 429 with Retry-After; a client that signed in to " +
        "the email within 30 days is never slowed or refused by this.",
      request: { body: jsonBody(LoginBody) },
      responses: { 200: jsonContent(TokenPair, "Signed in"), ...commonErrors },
    }),
    async (c) => c.json(await auth.login(services(c), c.req.valid("json"), client(c)), 200),
  )
  .openapi(
    route({
      method: "post",
      path: "/refresh",
      summary: "Exchange a refresh token for a new token pair (the old refresh token dies)",
      request: { body: jsonBody(RefreshBody) },
      responses: { 200: jsonContent(TokenPair.omit({ accountId: true }), "New pair"), ...commonErrors },
    }),
    async (c) => c.json(await auth.refresh(services(c), c.req.valid("json").refreshToken), 200),
  )
  .openapi(
    route({
      method: "post",
      path: "/logout",
      security: bearerSecurity,
      summary: "End this session: its access and refresh tokens stop working",
      responses: { ...noContent, ...commonErrors },
    }),
    async (c) => {
      await auth.logout(...caller(c));
      return c.body(null, 204);
    },
  )
  .openapi(
    route({
      method: "post",
      path: "/verify-email/request",
      security: bearerSecurity,
      summary: "Send a new email verification code (429 with Retry-After past the limits)",
      responses: { 202: { description: "Sent" }, ...commonErrors },
    }),
    async (c) => {
      await auth.requestEmailVerification(...caller(c), clientAddress(c));
      return c.body(null, 202);
    },
  )
  .openapi(
    route({
      method: "post",
      path: "/verify-email",
      security: bearerSecurity,
      summary: "Verify the account's email with the six-digit code that was mailed",
      request: { body: jsonBody(CodeBody) },
      responses: { ...noContent, ...commonErrors },
    }),
    async (c) => {
      await auth.verifyEmail(...caller(c), c.req.valid("json").code);
      return c.body(null, 204);
    },
  )
  .openapi(
    route({
      method: "post",
      path: "/password-reset/request",
      summary: "Mail a password-reset link (answers 202 whether or not the email is registered)",
      description:
        "Limited per (address typed, client) and per client (IPv4 address or IPv6 /64), registered or not, and " +
        "per address typed at a cap one client cannot reach: past a limit the answer is 429 with Retry-After " +
        "for any email, so it reveals nothing about registration.",
      request: { body: jsonBody(ResetRequestBody) },
      responses: { 202: { description: "If the account exists, a link is on its way" }, ...commonErrors },
    }),
    async (c) => {
      await auth.requestPasswordReset(services(c), c.req.valid("json").email, clientAddress(c), (work) =>
        c.executionCtx.waitUntil(work),
      );
      return c.body(null, 202);
    },
  )
  .openapi(
    route({
      method: "post",
      path: "/password-reset/confirm",
      summary: "Set a new password with a reset token; every session of the account ends",
      request: { body: jsonBody(ResetConfirmBody) },
      responses: { ...noContent, ...commonErrors },
    }),
    async (c) => {
      const { token, password } = c.req.valid("json");
      await auth.confirmPasswordReset(services(c), token, password);
      return c.body(null, 204);
    },
  )
  .openapi(
    route({
      method: "post",
      path: "/email-change/undo",
      summary:
        "Give the account back to its previous email with the mailed undo token, and set a new password",
      description: "Every session of the account ends; reset links and later undo links die.",
      request: { body: jsonBody(EmailChangeUndoBody) },
      responses: { ...noContent, ...commonErrors },
    }),
    async (c) => {
      const { token, password } = c.req.valid("json");
      await undoEmailChange(services(c), token, password);
      return c.body(null, 204);
    },
  )
  .openapi(
    route({
      method: "get",
      path: "/jwks",
      summary: "Public keys that verify access tokens",
      responses: {
        200: jsonContent(
          z.object({
            keys: z.array(
              z.object({
                kty: z.string(),
                crv: z.string(),
                x: z.string(),
                y: z.string(),
                kid: z.string(),
                alg: z.string(),
                use: z.string(),
              }),
            ),
          }),
          "JWKS",
        ),
      },
    }),
    async (c) => c.json(await publicJwks(c.var.config), 200),
  );
